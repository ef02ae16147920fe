package io.jobplane.worker.catalog.discovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.orc.CompressionCodec;
import org.apache.orc.CompressionKind;
import org.apache.orc.OrcProto;
import org.apache.orc.OrcUtils;
import org.apache.orc.TypeDescription;
import org.apache.orc.impl.OrcCodecPool;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * An ORC file's schema and row count from its tail alone, with orc-core's protobuf messages,
 * codecs and type conversion: the last byte gives the postscript's length, the postscript the
 * footer's length, compression and block size. A footer or block larger than
 * {@link Limits#maxFooterBytes()} (compressed or not) is refused before it is read, and the footer's
 * type list must be a tree (each type used once, children after parents) before it is converted.
 */
final class OrcSchemas {

    private static final List<String> ACID_FIELDS = List.of("operation", "originalTransaction", "bucket", "rowId",
            "currentTransaction", "row");
    /** ORC's default compression block when the postscript names none. */
    private static final int DEFAULT_BLOCK = 256 * 1024;

    private OrcSchemas() {
    }

    static FileSchema read(FileInput file, Limits limits) throws IOException, UnreadableFileException {
        if (file.size < 4) {
            throw new UnreadableFileException("is too small to be an ORC file");
        }
        byte[] head = file.read(0, 3);
        if (head[0] != 'O' || head[1] != 'R' || head[2] != 'C') {
            throw new UnreadableFileException("is not an ORC file (it does not start with ORC)");
        }
        int psLength = file.read(file.size - 1, 1)[0] & 0xff;
        if (psLength == 0 || psLength + 1 + 3 > file.size) {
            throw new UnreadableFileException("is not an ORC file (no postscript at its end)");
        }
        OrcProto.PostScript ps = OrcProto.PostScript.parseFrom(file.read(file.size - 1 - psLength, psLength));
        if (ps.hasMagic() && !ps.getMagic().equals("ORC")) {
            throw new UnreadableFileException("is not an ORC file (its postscript lacks the ORC magic)");
        }
        long footerLength = ps.getFooterLength();
        if (footerLength <= 0 || footerLength > file.size - 1 - psLength - 3) {
            throw new UnreadableFileException("claims a footer of " + footerLength + " bytes, more than the file holds");
        }
        if (footerLength > limits.maxFooterBytes()) {
            throw new UnreadableFileException("claims a footer of " + footerLength + " bytes, over the bound of "
                    + limits.maxFooterBytes());
        }
        byte[] footerBytes = file.read(file.size - 1 - psLength - footerLength, (int) footerLength);
        CompressionKind kind = CompressionKind.valueOf(ps.getCompression().name());
        long block = ps.hasCompressionBlockSize() ? ps.getCompressionBlockSize() : DEFAULT_BLOCK;
        byte[] plain = kind == CompressionKind.NONE ? footerBytes : decompress(footerBytes, kind, block, limits);
        OrcProto.Footer footer = OrcProto.Footer.parseFrom(plain);
        checkTree(footer.getTypesList(), limits);
        TypeDescription schema = OrcUtils.convertTypeFromProtobuf(footer.getTypesList(), 0);
        if (schema.getCategory() != TypeDescription.Category.STRUCT) {
            throw new UnreadableFileException("has a " + schema.getCategory() + " schema where ORC files hold a struct");
        }
        TypeBudget budget = new TypeBudget(limits);
        if (schema.getFieldNames().equals(ACID_FIELDS) && schema.getChildren().get(5).getCategory() == TypeDescription.Category.STRUCT) {
            budget.warnings.add("is a Hive ACID (transactional) file: its columns are those of its 'row' struct");
            schema = schema.getChildren().get(5);
        }
        List<CatalogChange.Column> columns = new ArrayList<>();
        for (int i = 0; i < schema.getFieldNames().size(); i++) {
            budget.field();
            String name = schema.getFieldNames().get(i);
            columns.add(new CatalogChange.Column(name, type(name, schema.getChildren().get(i), 1, budget).toString(), null));
        }
        return new FileSchema(FileFormat.ORC, columns, footer.hasNumberOfRows() ? footer.getNumberOfRows() : null, budget.warnings);
    }

    /** The footer's chunks (3-byte header: length and whether stored as is) through ORC's codec, bounded. */
    private static byte[] decompress(byte[] compressed, CompressionKind kind, long block, Limits limits)
            throws IOException, UnreadableFileException {
        if (block <= 0 || block > limits.maxFooterBytes()) {
            throw new UnreadableFileException("claims compression blocks of " + block + " bytes, over the bound of "
                    + limits.maxFooterBytes());
        }
        CompressionCodec codec = OrcCodecPool.getCodec(kind);
        if (codec == null) {
            throw new UnreadableFileException("uses the compression " + kind + ", which this worker cannot read");
        }
        try {
            ByteBuffer out = ByteBuffer.allocate(Math.min(limits.maxFooterBytes(), Math.max(compressed.length * 4, 1024)));
            ByteBuffer chunk = ByteBuffer.allocate((int) block);
            int at = 0;
            while (at < compressed.length) {
                if (at + 3 > compressed.length) {
                    throw new UnreadableFileException("has a truncated footer");
                }
                int b0 = compressed[at] & 0xff;
                int b1 = compressed[at + 1] & 0xff;
                int b2 = compressed[at + 2] & 0xff;
                boolean original = (b0 & 1) == 1;
                int length = (b2 << 15) | (b1 << 7) | (b0 >> 1);
                at += 3;
                if (length > compressed.length - at) {
                    throw new UnreadableFileException("has a footer chunk longer than the footer");
                }
                ByteBuffer in = ByteBuffer.wrap(compressed, at, length).slice();
                ByteBuffer piece;
                if (original) {
                    piece = in;
                } else {
                    chunk.clear();
                    codec.decompress(in, chunk);
                    piece = chunk;
                }
                if (out.position() + piece.remaining() > limits.maxFooterBytes()) {
                    throw new UnreadableFileException("has a footer larger than " + limits.maxFooterBytes() + " bytes uncompressed");
                }
                if (out.remaining() < piece.remaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(limits.maxFooterBytes(),
                            Math.max((long) out.capacity() * 2, (long) out.position() + piece.remaining())));
                    out.flip();
                    bigger.put(out);
                    out = bigger;
                }
                out.put(piece);
                at += length;
            }
            byte[] plain = new byte[out.position()];
            out.flip();
            out.get(plain);
            return plain;
        } finally {
            OrcCodecPool.returnCodec(kind, codec);
        }
    }

    /** The type list is a tree reached from type 0, nested within the bound, before ORC converts it recursively. */
    private static void checkTree(List<OrcProto.Type> types, Limits limits) throws UnreadableFileException {
        if (types.isEmpty()) {
            throw new UnreadableFileException("has a footer without a schema");
        }
        if (types.size() > 8L * limits.maxColumns() + 1) {
            throw new UnreadableFileException("has more than " + limits.maxColumns() + " columns and nested fields");
        }
        int[] depth = new int[types.size()];
        boolean[] used = new boolean[types.size()];
        used[0] = true;
        for (int id = 0; id < types.size(); id++) {
            if (!used[id]) {
                continue;
            }
            OrcProto.Type type = types.get(id);
            if (type.getSubtypesCount() > 0 && depth[id] > limits.maxTypeDepth()) {
                throw new UnreadableFileException("has a type nested deeper than " + limits.maxTypeDepth() + " levels");
            }
            for (int child : type.getSubtypesList()) {
                if (child <= id || child >= types.size() || used[child]) {
                    throw new UnreadableFileException("has a malformed schema (type " + id + " refers to type " + child + ")");
                }
                used[child] = true;
                depth[child] = depth[id] + 1;
            }
        }
    }

    /** docs/catalog/discovery.md, "Types": ORC. */
    private static CatalogTypes.Type type(String column, TypeDescription t, int depth, TypeBudget budget) throws UnreadableFileException {
        switch (t.getCategory()) {
            case BOOLEAN:
                return TypeBudget.BOOLEAN;
            case BYTE:
                return TypeBudget.TINYINT;
            case SHORT:
                return TypeBudget.SMALLINT;
            case INT:
                return TypeBudget.INT;
            case LONG:
                return TypeBudget.BIGINT;
            case FLOAT:
                return TypeBudget.FLOAT;
            case DOUBLE:
                return TypeBudget.DOUBLE;
            case STRING:
                return TypeBudget.STRING;
            case DATE:
                return TypeBudget.DATE;
            case TIMESTAMP:
            case TIMESTAMP_INSTANT:
                return TypeBudget.TIMESTAMP;
            case BINARY:
                return TypeBudget.BINARY;
            case DECIMAL:
                return budget.decimal(column, t.getPrecision(), t.getScale());
            case VARCHAR:
                return t.getMaxLength() >= 1 && t.getMaxLength() <= 9999 ? new CatalogTypes.Primitive("varchar(" + t.getMaxLength() + ")")
                        : TypeBudget.STRING;
            case CHAR:
                return t.getMaxLength() >= 1 && t.getMaxLength() <= 255 ? new CatalogTypes.Primitive("char(" + t.getMaxLength() + ")")
                        : TypeBudget.STRING;
            case LIST:
                budget.nest(depth);
                return new CatalogTypes.ArrayType(type(column, t.getChildren().get(0), depth + 1, budget));
            case MAP:
                budget.nest(depth);
                return new CatalogTypes.MapType(type(column, t.getChildren().get(0), depth + 1, budget),
                        type(column, t.getChildren().get(1), depth + 1, budget));
            case STRUCT: {
                budget.nest(depth);
                List<CatalogTypes.Field> fields = new ArrayList<>();
                for (int i = 0; i < t.getFieldNames().size(); i++) {
                    budget.field();
                    fields.add(new CatalogTypes.Field(t.getFieldNames().get(i), type(column, t.getChildren().get(i), depth + 1, budget)));
                }
                return new CatalogTypes.StructType(List.copyOf(fields));
            }
            case UNION: {
                budget.nest(depth);
                List<CatalogTypes.Type> members = new ArrayList<>();
                for (TypeDescription member : t.getChildren()) {
                    members.add(type(column, member, depth + 1, budget));
                }
                if (members.isEmpty()) {
                    throw new UnreadableFileException("has a union without members in column '" + column + "'");
                }
                return new CatalogTypes.UnionType(List.copyOf(members));
            }
            default:
                throw new UnreadableFileException("has a column '" + column + "' of the ORC type " + t.getCategory()
                        + ", which Hive has no type for");
        }
    }

}
