package io.jobplane.worker.catalog.discovery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * A CSV file's columns from a sample of its records, split by Jackson's CSV parser with the run's
 * separator, quote and escape. With a header the first record names the columns; without one they
 * are {@code col_0}, {@code col_1}, …; a record with more fields adds columns. Each column's type
 * widens over its values ({@link TextValues#csvValue}); a column with only empty values is
 * {@code void} (typed {@code string} once the table is merged). Rows are known when the whole file
 * was read.
 */
final class CsvSchemas {

    private final CsvFactory factory;
    private final CsvSchema schema;
    private final CsvOptions options;
    private final Limits limits;

    CsvSchemas(CsvOptions options, Limits limits) {
        this.options = options;
        this.limits = limits;
        this.factory = CsvFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(limits.maxLineLength()).build())
                .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
                .build();
        CsvSchema s = CsvSchema.emptySchema().withColumnSeparator(options.separator()).withoutHeader();
        s = options.quote() == null ? s.withoutQuoteChar() : s.withQuoteChar(options.quote());
        s = options.escape() == null ? s.withoutEscapeChar() : s.withEscapeChar(options.escape());
        this.schema = s;
    }

    FileSchema read(FileInput file, boolean gzip) throws IOException, UnreadableFileException {
        Names names = new Names();
        List<CatalogTypes.Type> types = new ArrayList<>();
        List<String> pending = null;
        long rows = 0;
        boolean headerRead = !options.header();
        boolean ended = false;
        try (TextSamples sample = new TextSamples(file, gzip, limits); CsvParser parser = factory.createParser(sample.reader)) {
            parser.setSchema(schema);
            long recordStart = 0;
            try {
                while (rows < limits.maxSampleLines()) {
                    JsonToken token = parser.nextToken();
                    if (token == null) {
                        ended = true;
                        break;
                    }
                    if (token != JsonToken.START_ARRAY) {
                        throw new UnreadableFileException("cannot be split into CSV records");
                    }
                    List<String> fields = new ArrayList<>();
                    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                        if (token == null) {
                            throw new UnreadableFileException("ends inside a record");
                        }
                        if (fields.size() >= limits.maxColumns()) {
                            throw new UnreadableFileException("has a record of more than " + limits.maxColumns() + " fields");
                        }
                        fields.add(parser.getValueAsString(""));
                    }
                    long end = parser.currentLocation().getCharOffset();
                    if (end - recordStart > limits.maxLineLength()) {
                        throw new UnreadableFileException("has a record longer than " + limits.maxLineLength() + " characters");
                    }
                    recordStart = end;
                    if (!headerRead) {
                        headerRead = true;
                        for (int i = 0; i < fields.size(); i++) {
                            String name = (i == 0 ? fields.get(i).replace("\uFEFF", "") : fields.get(i)).strip();
                            names.add(name.isEmpty() ? "col_" + i : name);
                        }
                        continue;
                    }
                    if (pending != null) {
                        add(pending, names, types);
                    }
                    pending = fields;
                    rows++;
                }
            } catch (JsonProcessingException e) {
                if (!sample.truncated()) {
                    throw new UnreadableFileException("is not CSV as configured (" + e.getOriginalMessage() + ")");
                }
                // the sample ends inside a record: the records before it count
                ended = false;
            }
            // a sample that ends at its bound may end inside its last record: that one is left out
            boolean partialTail = ended && sample.truncated();
            if (pending != null && (!partialTail || rows == 1)) {
                add(pending, names, types);
            }
            boolean complete = ended && !sample.truncated();
            if (names.isEmpty() && types.isEmpty()) {
                throw new UnreadableFileException("holds no CSV records");
            }
            while (types.size() < names.size()) {
                types.add(TypeBudget.VOID);
            }
            List<CatalogChange.Column> columns = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                columns.add(new CatalogChange.Column(names.list.get(i), types.get(i).toString(), null));
            }
            return new FileSchema(FileFormat.CSV, columns, complete ? rows : null, List.of());
        }
    }

    /** One record's fields into the columns: their types widen, fields past the known columns add ones. */
    private static void add(List<String> fields, Names names, List<CatalogTypes.Type> types) {
        for (int i = 0; i < fields.size(); i++) {
            if (i >= names.size()) {
                names.add("col_" + i);
            }
            while (types.size() <= i) {
                types.add(TypeBudget.VOID);
            }
            types.set(i, TextValues.widen(types.get(i), TextValues.csvValue(fields.get(i))));
        }
    }

    /** Column names, unique ignoring case: a repeated one gets {@code _2}, {@code _3}, …. */
    private static final class Names {
        final List<String> list = new ArrayList<>();
        private final Set<String> lower = new HashSet<>();

        int size() {
            return list.size();
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        void add(String name) {
            String candidate = name;
            for (int n = 2; !lower.add(candidate.toLowerCase(Locale.ROOT)); n++) {
                candidate = name + "_" + n;
            }
            list.add(candidate);
        }
    }
}
