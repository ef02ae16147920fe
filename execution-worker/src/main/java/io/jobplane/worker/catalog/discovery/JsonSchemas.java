package io.jobplane.worker.catalog.discovery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * A JSON lines file's columns from a sample of its records (one object per line, as Hive's
 * JsonSerDe reads them), parsed by Jackson's streaming parser: objects are structs, arrays arrays
 * of their elements' widened type, whole numbers {@code int} or {@code bigint} (beyond that
 * {@code double}), other numbers {@code double}, strings {@code string}, {@code true}/{@code false}
 * {@code boolean}, null {@code void}. The records' types widen into the columns; a column whose
 * values meet only as {@code string} is typed so, with a warning. Jackson refuses nesting deeper
 * than {@link Limits#maxTypeDepth()} and strings longer than {@link Limits#maxLineLength()}.
 */
final class JsonSchemas {

    private final JsonFactory factory;
    private final Limits limits;

    JsonSchemas(Limits limits) {
        this.limits = limits;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxTypeDepth() + 1)
                        .maxStringLength(limits.maxLineLength())
                        .build())
                .build();
    }

    FileSchema read(FileInput file, boolean gzip) throws IOException, UnreadableFileException {
        Map<String, CatalogChange.Column> columns = new LinkedHashMap<>();
        Map<String, CatalogTypes.Type> types = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        long rows = 0;
        long notObjects = 0;
        boolean ended = false;
        TypeBudget budget = new TypeBudget(limits);
        try (TextSamples sample = new TextSamples(file, gzip, limits); JsonParser parser = factory.createParser(sample.reader)) {
            long recordStart = 0;
            List<CatalogTypes.Field> pending = null;
            try {
                while (rows < limits.maxSampleLines()) {
                    JsonToken token = parser.nextToken();
                    if (token == null) {
                        ended = true;
                        break;
                    }
                    if (token == JsonToken.START_ARRAY && rows == 0 && notObjects == 0) {
                        throw new UnreadableFileException("is a JSON array, not JSON lines (one object per line, as Hive's JsonSerDe reads)");
                    }
                    if (token != JsonToken.START_OBJECT) {
                        parser.skipChildren();
                        notObjects++;
                        continue;
                    }
                    List<CatalogTypes.Field> record = object(parser, 1, budget);
                    long end = parser.currentLocation().getCharOffset();
                    if (end - recordStart > limits.maxLineLength()) {
                        throw new UnreadableFileException("has a record longer than " + limits.maxLineLength() + " characters");
                    }
                    recordStart = end;
                    if (pending != null) {
                        merge(pending, columns, types, warnings);
                    }
                    pending = record;
                    rows++;
                }
            } catch (StreamConstraintsException e) {
                throw new UnreadableFileException("breaks a bound: " + e.getOriginalMessage());
            } catch (JsonProcessingException e) {
                if (!sample.truncated()) {
                    throw new UnreadableFileException("is not JSON lines (" + e.getOriginalMessage() + ")");
                }
                ended = false;
            }
            if (pending != null) {
                merge(pending, columns, types, warnings);
            }
            if (types.isEmpty()) {
                throw new UnreadableFileException(notObjects > 0 ? "holds no JSON objects" : "holds no JSON records");
            }
            if (notObjects > 0) {
                warnings.add("holds " + notObjects + " JSON values that are not objects: ignored");
            }
            int fields = types.size();
            for (CatalogTypes.Type type : types.values()) {
                fields += TypeBudget.fieldsIn(type);
            }
            if (fields > limits.maxColumns()) {
                throw new UnreadableFileException("has more than " + limits.maxColumns() + " columns and nested fields");
            }
            List<CatalogChange.Column> result = new ArrayList<>();
            for (Map.Entry<String, CatalogChange.Column> column : columns.entrySet()) {
                result.add(new CatalogChange.Column(column.getValue().name(), types.get(column.getKey()).toString(), null));
            }
            boolean complete = ended && !sample.truncated();
            return new FileSchema(FileFormat.JSON, result, complete ? rows : null, warnings);
        }
    }

    /** A record's fields into the columns (matched ignoring case); a conflict types the column string, with a warning. */
    private static void merge(List<CatalogTypes.Field> record, Map<String, CatalogChange.Column> columns,
            Map<String, CatalogTypes.Type> types, List<String> warnings) {
        for (CatalogTypes.Field field : record) {
            String key = field.name().toLowerCase(Locale.ROOT);
            CatalogTypes.Type known = types.get(key);
            if (known == null) {
                columns.put(key, new CatalogChange.Column(field.name(), null, null));
                types.put(key, field.type());
                continue;
            }
            CatalogTypes.Type wider = CatalogTypes.wider(known, field.type());
            if (wider == null) {
                if (!known.equals(TypeBudget.STRING)) {
                    warnings.add("column '" + columns.get(key).name() + "' is " + known + " in some records and " + field.type()
                            + " in others: typed string");
                }
                wider = TypeBudget.STRING;
            }
            types.put(key, wider);
        }
    }

    /** The fields of the object the parser is at (after its START_OBJECT); repeated names merge. */
    private List<CatalogTypes.Field> object(JsonParser parser, int depth, TypeBudget budget) throws IOException, UnreadableFileException {
        Map<String, CatalogTypes.Field> fields = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            CatalogTypes.Type type = value(parser, depth, budget);
            String key = name.toLowerCase(Locale.ROOT);
            CatalogTypes.Field known = fields.get(key);
            if (known == null) {
                if (fields.size() >= limits.maxColumns()) {
                    throw new UnreadableFileException("has an object of more than " + limits.maxColumns() + " fields");
                }
                fields.put(key, new CatalogTypes.Field(name, type));
            } else {
                fields.put(key, new CatalogTypes.Field(known.name(), TextValues.widen(known.type(), type)));
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new UnreadableFileException("has a malformed object");
        }
        return new ArrayList<>(fields.values());
    }

    /** The type of the value the parser is at; a complex one nests at {@code depth}. */
    private CatalogTypes.Type value(JsonParser parser, int depth, TypeBudget budget) throws IOException, UnreadableFileException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                budget.nest(depth);
                return new CatalogTypes.StructType(List.copyOf(object(parser, depth + 1, budget)));
            case START_ARRAY: {
                budget.nest(depth);
                CatalogTypes.Type element = TypeBudget.VOID;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() == null) {
                        throw new UnreadableFileException("ends inside an array");
                    }
                    element = TextValues.widen(element, value(parser, depth + 1, budget));
                }
                return new CatalogTypes.ArrayType(element);
            }
            case VALUE_STRING:
                return TypeBudget.STRING;
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> TypeBudget.INT;
                    case LONG -> TypeBudget.BIGINT;
                    default -> TypeBudget.DOUBLE;
                };
            case VALUE_NUMBER_FLOAT:
                return TypeBudget.DOUBLE;
            case VALUE_TRUE:
            case VALUE_FALSE:
                return TypeBudget.BOOLEAN;
            case VALUE_NULL:
                return TypeBudget.VOID;
            default:
                throw new UnreadableFileException("has an unexpected JSON token " + token);
        }
    }
}
