package io.jobplane.worker.files;

import java.io.CharConversionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.jobplane.events.sql.FolderLoadStatement;

/**
 * A CSV file (UTF-8) read with Jackson's CSV parser in the task's dialect. With a header the first
 * record names the columns (an empty name becomes {@code column_<n>}); without one they are
 * {@code column_1 …}. Every column is {@code text}: CSV carries no types, so a table made from a
 * CSV file has text columns, and a table made beforehand with other types gets each value
 * converted by PostgreSQL. A field equal to {@code NullValue} (by default an empty field) is NULL.
 */
final class CsvRows implements FileRows {

    private static final CsvMapper MAPPER = new CsvMapper();

    private final String shown;
    private final String nullValue;
    private final MappingIterator<String[]> records;
    private final List<FileColumn> columns = new ArrayList<>();
    private final String[] pending;
    private boolean pendingUsed;
    private long record;

    CsvRows(FolderLoadStatement statement, FileRows.Opener file, String shown) throws IOException, FileTaskException {
        this.shown = shown;
        this.nullValue = statement.nullValue();
        CsvSchema schema = CsvSchema.emptySchema().withoutHeader().withColumnSeparator(statement.separator())
                .withQuoteChar(statement.quote());
        if (statement.escape() != null) {
            schema = schema.withEscapeChar(statement.escape());
        }
        records = MAPPER.readerFor(String[].class).with(schema).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvParser.Feature.SKIP_EMPTY_LINES).readValues(java.nio.channels.Channels.newInputStream(file.open()));
        String[] first = read();
        if (first == null) {
            pending = null;
            pendingUsed = true;
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < first.length; i++) {
            String name = statement.header() && !first[i].isBlank() ? first[i].strip() : "column_" + (i + 1);
            if (!seen.add(name)) {
                throw FileRows.malformed(shown, "header", "names the column '" + name + "' twice");
            }
            columns.add(new FileColumn(name, "text", false));
        }
        pending = statement.header() ? null : first;
        pendingUsed = statement.header();
    }

    @Override
    public List<FileColumn> columns() {
        return columns;
    }

    @Override
    public Object[] next() throws IOException, FileTaskException {
        String[] fields;
        if (!pendingUsed) {
            pendingUsed = true;
            fields = pending;
        } else {
            fields = read();
        }
        if (fields == null) {
            return null;
        }
        if (fields.length != columns.size()) {
            throw FileRows.malformed(shown, position(), fields.length + " fields where the " + (pending == null ? "header has " : "first record has ")
                    + columns.size() + " (check Separator, Quote and Escape)");
        }
        Object[] row = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            row[i] = fields[i].equals(nullValue) ? null : fields[i];
        }
        return row;
    }

    private String[] read() throws IOException, FileTaskException {
        try {
            if (!records.hasNextValue()) {
                return null;
            }
            String[] fields = records.nextValue();
            record++;
            return fields;
        } catch (CharConversionException e) {
            throw FileRows.malformed(shown, "record " + (record + 1), "is not UTF-8 text");
        } catch (JsonProcessingException e) {
            throw FileRows.malformed(shown, "record " + (record + 1), e.getOriginalMessage());
        }
    }

    @Override
    public String position() {
        return "record " + record;
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
