package io.jobplane.worker.files;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Parquet file read with parquet-java, row group by row group. Its top-level fields are the
 * columns, typed from the file's schema: {@code boolean}, {@code smallint}/{@code integer}/
 * {@code bigint}, {@code real}, {@code double precision}, {@code numeric(p,s)} (DECIMAL),
 * {@code date}, {@code time}, {@code timestamptz} (timestamps adjusted to UTC, INT96) or
 * {@code timestamp}, {@code uuid}, {@code text} (STRING, ENUM), {@code jsonb} (JSON, and nested
 * groups, lists and maps, as JSON), {@code bytea} (other binary); REQUIRED fields are NOT NULL.
 */
final class ParquetRows implements FileRows {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;

    private final String shown;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final MessageColumnIO io;
    private final List<FileColumn> columns = new ArrayList<>();
    private RecordReader<Group> records;
    private long left;
    private long row;

    ParquetRows(FileRows.Opener file, String shown) throws IOException, FileTaskException {
        this.shown = shown;
        try {
            reader = ParquetFileReader.open(new ChannelInputFile(file.open()), ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
        } catch (RuntimeException e) {
            throw FileRows.malformed(shown, null, "is not a Parquet file (" + e.getMessage() + ")");
        } catch (LinkageError e) {
            throw unsupported(e);
        }
        schema = reader.getFileMetaData().getSchema();
        io = new ColumnIOFactory().getColumnIO(schema);
        for (Type field : schema.getFields()) {
            columns.add(new FileColumn(field.getName(), typeOf(field), field.isRepetition(Type.Repetition.REQUIRED)));
        }
    }

    @Override
    public List<FileColumn> columns() {
        return columns;
    }

    @Override
    public Object[] next() throws IOException, FileTaskException {
        try {
            while (left == 0) {
                PageReadStore pages = reader.readNextRowGroup();
                if (pages == null) {
                    return null;
                }
                records = io.getRecordReader(pages, new GroupRecordConverter(schema));
                left = pages.getRowCount();
            }
            Group group = records.read();
            left--;
            row++;
            Object[] values = new Object[columns.size()];
            for (int f = 0; f < values.length; f++) {
                Type type = schema.getType(f);
                if (group.getFieldRepetitionCount(f) == 0) {
                    continue;
                }
                values[f] = type.isPrimitive() && !type.isRepetition(Type.Repetition.REPEATED) ? value(group, f, 0, type.asPrimitiveType())
                        : field(group, f, type);
            }
            return values;
        } catch (RuntimeException e) {
            throw FileRows.malformed(shown, "row " + (row + 1), "cannot be read (" + e.getMessage() + ")");
        } catch (LinkageError e) {
            throw unsupported(e);
        }
    }

    /**
     * The file needs a part of parquet-java's Hadoop side this worker does not carry (a rare
     * compression codec, say): the file fails, saying so, instead of the run's thread.
     */
    private FileTaskException unsupported(LinkageError e) {
        return FileRows.malformed(shown, null, "uses a Parquet feature this worker cannot read (" + e + ");"
                + " write it with SNAPPY, GZIP, ZSTD, LZ4_RAW or no compression");
    }

    @Override
    public String position() {
        return "row " + row;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    // ---- types ---------------------------------------------------------------------------

    static String typeOf(Type field) {
        if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
            return "jsonb";
        }
        PrimitiveType p = field.asPrimitiveType();
        LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            return "numeric(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        return switch (p.getPrimitiveTypeName()) {
            case BOOLEAN -> "boolean";
            case INT32 -> logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? "date"
                    : logical instanceof TimeLogicalTypeAnnotation ? "time"
                    : logical instanceof IntLogicalTypeAnnotation i && i.getBitWidth() < 32 && (i.isSigned() || i.getBitWidth() < 16) ? "smallint"
                    : logical instanceof IntLogicalTypeAnnotation i && !i.isSigned() ? "bigint" : "integer";
            case INT64 -> logical instanceof TimestampLogicalTypeAnnotation t ? (t.isAdjustedToUTC() ? "timestamptz" : "timestamp")
                    : logical instanceof TimeLogicalTypeAnnotation ? "time"
                    : logical instanceof IntLogicalTypeAnnotation i && !i.isSigned() ? "numeric(20,0)" : "bigint";
            case INT96 -> "timestamptz";
            case FLOAT -> "real";
            case DOUBLE -> "double precision";
            case BINARY, FIXED_LEN_BYTE_ARRAY -> logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation ? "text"
                    : logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation ? "jsonb"
                    : logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation ? "uuid" : "bytea";
        };
    }

    // ---- values --------------------------------------------------------------------------

    /** One primitive value as the column's type reads it. */
    private static Object value(Group g, int f, int i, PrimitiveType p) {
        LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
        int scale = logical instanceof DecimalLogicalTypeAnnotation d ? d.getScale() : -1;
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return g.getBoolean(f, i);
            case INT32: {
                int v = g.getInteger(f, i);
                if (scale >= 0) {
                    return BigDecimal.valueOf(v, scale);
                }
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return LocalDate.ofEpochDay(v);
                }
                if (logical instanceof TimeLogicalTypeAnnotation) {
                    return LocalTime.ofNanoOfDay(v * 1_000_000L);
                }
                return logical instanceof IntLogicalTypeAnnotation a && !a.isSigned() ? Integer.toUnsignedLong(v) : v;
            }
            case INT64: {
                long v = g.getLong(f, i);
                if (scale >= 0) {
                    return BigDecimal.valueOf(v, scale);
                }
                if (logical instanceof TimestampLogicalTypeAnnotation t) {
                    Instant at = instant(v, t.getUnit());
                    return t.isAdjustedToUTC() ? at : LocalDateTime.ofInstant(at, ZoneOffset.UTC);
                }
                if (logical instanceof TimeLogicalTypeAnnotation t) {
                    return LocalTime.ofNanoOfDay(t.getUnit() == TimeUnit.MICROS ? v * 1000 : t.getUnit() == TimeUnit.MILLIS ? v * 1_000_000 : v);
                }
                return logical instanceof IntLogicalTypeAnnotation a && !a.isSigned() ? Long.toUnsignedString(v) : v;
            }
            case INT96: {
                ByteBuffer b = ByteBuffer.wrap(g.getInt96(f, i).getBytes()).order(ByteOrder.LITTLE_ENDIAN);
                long nanos = b.getLong();
                long day = Integer.toUnsignedLong(b.getInt());
                return Instant.ofEpochSecond((day - JULIAN_EPOCH_DAY) * 86_400L).plusNanos(nanos);
            }
            case FLOAT:
                return g.getFloat(f, i);
            case DOUBLE:
                return g.getDouble(f, i);
            default: {
                Binary b = g.getBinary(f, i);
                if (scale >= 0) {
                    return new BigDecimal(new BigInteger(b.getBytes()), scale);
                }
                if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return b.toStringUsingUTF8();
                }
                if (logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    ByteBuffer u = b.toByteBuffer();
                    return new UUID(u.getLong(), u.getLong());
                }
                return b.getBytes();
            }
        }
    }

    private static Instant instant(long v, TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> Instant.ofEpochMilli(v);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
        };
    }

    /** A field that is repeated or a group, as JSON. */
    private static JsonNode field(Group g, int f, Type type) {
        int count = g.getFieldRepetitionCount(f);
        if (type.isRepetition(Type.Repetition.REPEATED)) {
            ArrayNode array = JSON.arrayNode();
            for (int i = 0; i < count; i++) {
                array.add(node(g, f, i, type));
            }
            return array;
        }
        return count == 0 ? JSON.nullNode() : node(g, f, 0, type);
    }

    /** The i-th value of field f: lists as arrays, maps and other groups as objects. */
    private static JsonNode node(Group g, int f, int i, Type type) {
        if (type.isPrimitive()) {
            return json(value(g, f, i, type.asPrimitiveType()));
        }
        GroupType group = type.asGroupType();
        Group inner = g.getGroup(f, i);
        LogicalTypeAnnotation logical = group.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && group.getFieldCount() == 1) {
            Type repeated = group.getType(0);
            ArrayNode array = JSON.arrayNode();
            for (int j = 0; j < inner.getFieldRepetitionCount(0); j++) {
                if (!repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1) {
                    Group element = inner.getGroup(0, j);
                    array.add(field(element, 0, repeated.asGroupType().getType(0)));
                } else {
                    array.add(node(inner, 0, j, repeated));
                }
            }
            return array;
        }
        if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation && group.getFieldCount() == 1
                && !group.getType(0).isPrimitive() && group.getType(0).asGroupType().getFieldCount() == 2) {
            GroupType entry = group.getType(0).asGroupType();
            ObjectNode map = JSON.objectNode();
            for (int j = 0; j < inner.getFieldRepetitionCount(0); j++) {
                Group kv = inner.getGroup(0, j);
                JsonNode key = field(kv, 0, entry.getType(0));
                map.set(key.isTextual() ? key.textValue() : key.toString(), field(kv, 1, entry.getType(1)));
            }
            return map;
        }
        ObjectNode object = JSON.objectNode();
        for (int k = 0; k < group.getFieldCount(); k++) {
            object.set(group.getFieldName(k), field(inner, k, group.getType(k)));
        }
        return object;
    }

    private static JsonNode json(Object v) {
        if (v instanceof Boolean b) {
            return JSON.booleanNode(b);
        } else if (v instanceof Integer n) {
            return JSON.numberNode(n);
        } else if (v instanceof Long n) {
            return JSON.numberNode(n);
        } else if (v instanceof Float n) {
            return n.isNaN() || n.isInfinite() ? JSON.textNode(n.toString()) : JSON.numberNode(n);
        } else if (v instanceof Double n) {
            return n.isNaN() || n.isInfinite() ? JSON.textNode(n.toString()) : JSON.numberNode(n);
        } else if (v instanceof BigDecimal n) {
            return JSON.numberNode(n);
        } else if (v instanceof byte[] bytes) {
            return JSON.binaryNode(bytes);
        }
        return JSON.textNode(v.toString());
    }

    /** A Parquet file read through an open channel (opened safely by the caller), one stream at a time. */
    private static final class ChannelInputFile implements org.apache.parquet.io.InputFile {

        private final java.nio.channels.SeekableByteChannel channel;

        ChannelInputFile(java.nio.channels.SeekableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public long getLength() throws IOException {
            return channel.size();
        }

        @Override
        public org.apache.parquet.io.SeekableInputStream newStream() throws IOException {
            channel.position(0);
            return new org.apache.parquet.io.DelegatingSeekableInputStream(java.nio.channels.Channels.newInputStream(channel)) {
                @Override
                public long getPos() throws IOException {
                    return channel.position();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    channel.position(newPos);
                }
            };
        }
    }
}
