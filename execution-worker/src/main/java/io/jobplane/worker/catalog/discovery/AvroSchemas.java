package io.jobplane.worker.catalog.discovery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * An Avro container file's schema from its header alone, read by Avro's {@link DataFileStream}.
 * The header (magic, metadata map, sync marker) is first read into memory, at most
 * {@link Limits#maxFooterBytes()} bytes, and its lengths checked against what was read, so Avro
 * never allocates for a length the file only claims. Row counts are not in the header: unknown.
 */
final class AvroSchemas {

    /** Bytes read first: a header with a schema of a few hundred columns fits. */
    private static final int FIRST_READ = 64 * 1024;

    private AvroSchemas() {
    }

    static FileSchema read(FileInput file, Limits limits) throws IOException, UnreadableFileException {
        int length = (int) Math.min(file.size, FIRST_READ);
        byte[] header = file.read(0, length);
        if (length < 4 || header[0] != 'O' || header[1] != 'b' || header[2] != 'j' || header[3] != 1) {
            throw new UnreadableFileException("is not an Avro container file (it does not start with Obj\\1)");
        }
        if (!headerFits(header, length) && length < file.size) {
            length = (int) Math.min(file.size, limits.maxFooterBytes());
            header = file.read(0, length);
            if (!headerFits(header, length)) {
                throw new UnreadableFileException(length < file.size ? "has a header over the bound of " + limits.maxFooterBytes() + " bytes"
                        : "has a truncated or malformed header");
            }
        } else if (!headerFits(header, length)) {
            throw new UnreadableFileException("has a truncated or malformed header");
        }
        Schema schema;
        try (DataFileStream<Object> stream = new DataFileStream<>(new ByteArrayInputStream(header, 0, length), new GenericDatumReader<>())) {
            schema = stream.getSchema();
        }
        TypeBudget budget = new TypeBudget(limits);
        Schema record = nonNull(schema);
        if (record == null || record.getType() != Schema.Type.RECORD) {
            throw new UnreadableFileException("has a " + schema.getType() + " schema where a table needs a record");
        }
        List<CatalogChange.Column> columns = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            budget.field();
            columns.add(new CatalogChange.Column(field.name(), type(field.name(), field.schema(), 1, budget).toString(), field.doc()));
        }
        return new FileSchema(FileFormat.AVRO, columns, null, budget.warnings);
    }

    /**
     * Whether the whole header (magic, metadata blocks of keys and values, 16 sync bytes) lies within
     * the first {@code length} bytes, walking its lengths (zig-zag varints, as Avro writes them);
     * false for a length or count that points past them or cannot be read.
     */
    static boolean headerFits(byte[] bytes, int length) {
        int[] at = {4};
        while (true) {
            long count = varint(bytes, length, at);
            if (count == Long.MIN_VALUE) {
                return false;
            }
            if (count == 0) {
                break;
            }
            if (count < 0) {
                count = -count;
                if (varint(bytes, length, at) == Long.MIN_VALUE) {
                    return false;
                }
            }
            if (count > length) {
                return false;
            }
            for (long i = 0; i < 2 * count; i++) {
                long size = varint(bytes, length, at);
                if (size < 0 || size > length - at[0]) {
                    return false;
                }
                at[0] += (int) size;
            }
        }
        return length - at[0] >= 16;
    }

    /** A zig-zag varint at {@code at[0]}, moving it on; {@link Long#MIN_VALUE} when it runs past {@code length} or over 10 bytes. */
    private static long varint(byte[] bytes, int length, int[] at) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (at[0] >= length) {
                return Long.MIN_VALUE;
            }
            int b = bytes[at[0]++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        return Long.MIN_VALUE;
    }

    /** The one non-null member of a union with null (a nullable type), the schema itself otherwise; null for a null schema. */
    private static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> members = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
            return members.size() == 1 ? members.get(0) : members.isEmpty() ? null : schema;
        }
        return schema.getType() == Schema.Type.NULL ? null : schema;
    }

    /** docs/catalog/discovery.md, "Types": Avro. */
    private static CatalogTypes.Type type(String column, Schema schema, int depth, TypeBudget budget) throws UnreadableFileException {
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case NULL:
                return TypeBudget.VOID;
            case BOOLEAN:
                return TypeBudget.BOOLEAN;
            case INT:
                return logical instanceof LogicalTypes.Date ? TypeBudget.DATE : TypeBudget.INT;
            case LONG:
                if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros
                        || logical instanceof LogicalTypes.TimestampNanos || logical instanceof LogicalTypes.LocalTimestampMillis
                        || logical instanceof LogicalTypes.LocalTimestampMicros || logical instanceof LogicalTypes.LocalTimestampNanos) {
                    return TypeBudget.TIMESTAMP;
                }
                return TypeBudget.BIGINT;
            case FLOAT:
                return TypeBudget.FLOAT;
            case DOUBLE:
                return TypeBudget.DOUBLE;
            case STRING:
            case ENUM:
                return TypeBudget.STRING;
            case BYTES:
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal d) {
                    return budget.decimal(column, d.getPrecision(), d.getScale());
                }
                return TypeBudget.BINARY;
            case ARRAY:
                budget.nest(depth);
                return new CatalogTypes.ArrayType(type(column, schema.getElementType(), depth + 1, budget));
            case MAP:
                budget.nest(depth);
                return new CatalogTypes.MapType(TypeBudget.STRING, type(column, schema.getValueType(), depth + 1, budget));
            case RECORD: {
                budget.nest(depth);
                List<CatalogTypes.Field> fields = new ArrayList<>();
                for (Schema.Field field : schema.getFields()) {
                    budget.field();
                    fields.add(new CatalogTypes.Field(field.name(), type(column, field.schema(), depth + 1, budget)));
                }
                return new CatalogTypes.StructType(List.copyOf(fields));
            }
            case UNION: {
                Schema single = nonNull(schema);
                if (single == null) {
                    return TypeBudget.VOID;
                }
                if (single != schema) {
                    return type(column, single, depth, budget);
                }
                budget.nest(depth);
                List<CatalogTypes.Type> members = new ArrayList<>();
                for (Schema member : schema.getTypes()) {
                    if (member.getType() != Schema.Type.NULL) {
                        members.add(type(column, member, depth + 1, budget));
                    }
                }
                return new CatalogTypes.UnionType(List.copyOf(members));
            }
            default:
                throw new UnreadableFileException("has a column '" + column + "' of the Avro type " + schema.getType()
                        + ", which Hive has no type for");
        }
    }
}
