package io.jobplane.worker.catalog.discovery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * A Parquet file's schema and row count from its footer alone (parquet-java's footer decoding):
 * the last 8 bytes give the footer's length and the {@code PAR1} magic; a footer longer than
 * {@link Limits#maxFooterBytes()}, or than the file, is refused before anything is allocated.
 */
final class ParquetSchemas {

    /** Bytes read from the end at once: most footers fit, so one read serves. */
    private static final int TAIL_READ = 64 * 1024;

    private ParquetSchemas() {
    }

    static FileSchema read(FileInput file, Limits limits) throws IOException, UnreadableFileException {
        if (file.size < 12) {
            throw new UnreadableFileException("is too small to be a Parquet file");
        }
        int tailLength = (int) Math.min(file.size, TAIL_READ);
        byte[] tail = file.read(file.size - tailLength, tailLength);
        int footerLength = ByteBuffer.wrap(tail, tailLength - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        String magic = new String(tail, tailLength - 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (magic.equals("PARE")) {
            throw new UnreadableFileException("is an encrypted Parquet file (its footer cannot be read without the key)");
        }
        if (!magic.equals("PAR1")) {
            throw new UnreadableFileException("is not a Parquet file (it does not end with PAR1)");
        }
        if (footerLength < 0 || footerLength > file.size - 12) {
            throw new UnreadableFileException("claims a footer of " + Integer.toUnsignedString(footerLength)
                    + " bytes, more than the file holds");
        }
        if (footerLength > limits.maxFooterBytes()) {
            throw new UnreadableFileException("claims a footer of " + footerLength + " bytes, over the bound of "
                    + limits.maxFooterBytes());
        }
        byte[] footer;
        int offset;
        if (footerLength + 8 <= tailLength) {
            footer = tail;
            offset = tailLength - 8 - footerLength;
        } else {
            footer = file.read(file.size - 8 - footerLength, footerLength);
            offset = 0;
        }
        FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer, offset, footerLength));
        checkShape(metadata.getSchema(), limits);
        MessageType schema = new ParquetMetadataConverter().fromParquetMetadata(metadata).getFileMetaData().getSchema();
        TypeBudget budget = new TypeBudget(limits);
        List<CatalogChange.Column> columns = new ArrayList<>();
        for (Type field : schema.getFields()) {
            budget.field();
            columns.add(new CatalogChange.Column(field.getName(), type(field, 1, budget).toString(), null));
        }
        return new FileSchema(FileFormat.PARQUET, columns, metadata.getNum_rows(), budget.warnings);
    }

    /**
     * Checks the flat schema list before parquet-java turns it into a tree (recursively): its
     * nesting within the bound, its children counts within the list.
     */
    private static void checkShape(List<SchemaElement> elements, Limits limits) throws UnreadableFileException {
        if (elements == null || elements.isEmpty()) {
            throw new UnreadableFileException("has a footer without a schema");
        }
        // a LIST or MAP takes up to three schema levels per type level
        int maxLevels = 3 * limits.maxTypeDepth() + 2;
        int[] left = new int[maxLevels + 1];
        int depth = 0;
        left[0] = elements.get(0).getNum_children();
        for (int i = 1; i < elements.size(); i++) {
            while (depth >= 0 && left[depth] == 0) {
                depth--;
            }
            if (depth < 0) {
                throw new UnreadableFileException("has a malformed schema (more fields than its groups hold)");
            }
            left[depth]--;
            SchemaElement element = elements.get(i);
            if (element.isSetNum_children() && element.getNum_children() > 0) {
                if (++depth > maxLevels) {
                    throw new UnreadableFileException("has a type nested deeper than " + limits.maxTypeDepth() + " levels");
                }
                left[depth] = element.getNum_children();
            }
        }
        for (int d = 0; d <= depth; d++) {
            if (left[d] != 0) {
                throw new UnreadableFileException("has a malformed schema (groups with missing fields)");
            }
        }
    }

    /** The Hive type of a field (a repeated one outside a LIST or MAP is an array of its values). */
    private static CatalogTypes.Type type(Type field, int depth, TypeBudget budget) throws UnreadableFileException {
        if (field.isRepetition(Type.Repetition.REPEATED)) {
            budget.nest(depth);
            return new CatalogTypes.ArrayType(valueType(field, depth + 1, budget));
        }
        return valueType(field, depth, budget);
    }

    /** The type of one value of a field, its repetition aside. */
    private static CatalogTypes.Type valueType(Type field, int depth, TypeBudget budget) throws UnreadableFileException {
        if (field.isPrimitive()) {
            return primitive(field.asPrimitiveType(), budget);
        }
        GroupType group = field.asGroupType();
        LogicalTypeAnnotation logical = group.getLogicalTypeAnnotation();
        budget.nest(depth);
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            return list(group, depth, budget);
        }
        if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation) {
            return map(group, depth, budget);
        }
        return struct(group.getFields(), depth, budget);
    }

    private static CatalogTypes.Type struct(List<Type> fields, int depth, TypeBudget budget) throws UnreadableFileException {
        List<CatalogTypes.Field> result = new ArrayList<>(fields.size());
        for (Type f : fields) {
            budget.field();
            result.add(new CatalogTypes.Field(f.getName(), type(f, depth + 1, budget)));
        }
        return new CatalogTypes.StructType(List.copyOf(result));
    }

    /**
     * A LIST by the Parquet spec's rules, the backward-compatible ones included: three levels
     * ({@code list.element}), or two (a repeated primitive, or a repeated group of several fields,
     * or named {@code array} or {@code <name>_tuple}, that is the element itself).
     */
    private static CatalogTypes.Type list(GroupType group, int depth, TypeBudget budget) throws UnreadableFileException {
        if (group.getFieldCount() != 1 || !group.getType(0).isRepetition(Type.Repetition.REPEATED)) {
            throw new UnreadableFileException("has a LIST field '" + group.getName() + "' that is not one repeated field");
        }
        Type repeated = group.getType(0);
        if (repeated.isPrimitive()) {
            return new CatalogTypes.ArrayType(primitive(repeated.asPrimitiveType(), budget));
        }
        GroupType inner = repeated.asGroupType();
        if (inner.getFieldCount() > 1 || inner.getName().equals("array") || inner.getName().equals(group.getName() + "_tuple")
                || inner.getLogicalTypeAnnotation() != null) {
            return new CatalogTypes.ArrayType(valueType(inner, depth + 1, budget));
        }
        return new CatalogTypes.ArrayType(type(inner.getType(0), depth + 1, budget));
    }

    /** A MAP: one repeated group of a key and a value. */
    private static CatalogTypes.Type map(GroupType group, int depth, TypeBudget budget) throws UnreadableFileException {
        if (group.getFieldCount() != 1 || group.getType(0).isPrimitive()
                || group.getType(0).asGroupType().getFieldCount() != 2) {
            throw new UnreadableFileException("has a MAP field '" + group.getName() + "' that is not one repeated key and value");
        }
        GroupType keyValue = group.getType(0).asGroupType();
        return new CatalogTypes.MapType(valueType(keyValue.getType(0), depth + 1, budget),
                type(keyValue.getType(1), depth + 1, budget));
    }

    /** docs/catalog/discovery.md, "Types": Parquet. */
    private static CatalogTypes.Type primitive(PrimitiveType p, TypeBudget budget) {
        LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            return budget.decimal(p.getName(), d.getPrecision(), d.getScale());
        }
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return TypeBudget.BOOLEAN;
            case INT32:
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return TypeBudget.DATE;
                }
                if (logical instanceof IntLogicalTypeAnnotation i) {
                    int bits = i.getBitWidth();
                    if (i.isSigned()) {
                        return bits == 8 ? TypeBudget.TINYINT : bits == 16 ? TypeBudget.SMALLINT : TypeBudget.INT;
                    }
                    return bits == 8 ? TypeBudget.SMALLINT : bits == 16 ? TypeBudget.INT : TypeBudget.BIGINT;
                }
                return TypeBudget.INT;
            case INT64:
                if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
                    return TypeBudget.TIMESTAMP;
                }
                if (logical instanceof IntLogicalTypeAnnotation i && !i.isSigned()) {
                    return new CatalogTypes.Decimal(20, 0);
                }
                return TypeBudget.BIGINT;
            case INT96:
                return TypeBudget.TIMESTAMP;
            case FLOAT:
                return TypeBudget.FLOAT;
            case DOUBLE:
                return TypeBudget.DOUBLE;
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY:
                if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return TypeBudget.STRING;
                }
                if (logical instanceof LogicalTypeAnnotation.Float16LogicalTypeAnnotation) {
                    return TypeBudget.FLOAT;
                }
                return TypeBudget.BINARY;
            default:
                return TypeBudget.BINARY;
        }
    }
}
