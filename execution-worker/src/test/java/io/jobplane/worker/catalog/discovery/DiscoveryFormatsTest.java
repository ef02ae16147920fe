package io.jobplane.worker.catalog.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.orc.CompressionKind;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobplane.events.payload.catalog.CatalogChange;

/**
 * Each format's files, written by the format's own writer, are discovered with exactly the schema
 * written (mapped to Hive's types), compressed or not.
 */
class DiscoveryFormatsTest {

    @TempDir
    Path root;

    private final List<String> log = new ArrayList<>();

    private CollectingSink discover(DiscoveryOptions options) throws Exception {
        CollectingSink sink = new CollectingSink();
        new FileDiscovery(options).run(root, "fs://landing", DataFiles.ORIGIN, sink, log::add);
        return sink;
    }

    private static List<String> columns(CatalogChange.Table table) {
        return table.columns().stream().map(c -> c.name() + " " + c.type()).toList();
    }

    static final String PARQUET_SCHEMA = """
            message spark_schema {
              required int64 id;
              optional binary name (STRING);
              optional int32 small (INTEGER(16,true));
              optional int32 tiny (INTEGER(8,true));
              optional int32 day (DATE);
              optional int64 ts_micros (TIMESTAMP(MICROS,true));
              optional int64 ts_millis (TIMESTAMP(MILLIS,false));
              optional int96 legacy_ts;
              optional fixed_len_byte_array(16) amount (DECIMAL(38,6));
              optional int64 price (DECIMAL(18,2));
              optional int32 cents (DECIMAL(9,2));
              optional double score;
              optional float ratio;
              optional boolean flag;
              optional binary raw;
              optional binary doc (JSON);
              optional group tags (LIST) { repeated group list { optional binary element (STRING); } }
              optional group attrs (MAP) { repeated group key_value { required binary key (STRING); optional int32 value; } }
              optional group address { optional binary city (STRING); optional group geo { required double lat; required double lon; } }
              optional group items (LIST) { repeated group list { optional group element { optional binary sku (STRING); optional int32 qty; } } }
              optional group matrix (LIST) { repeated group list { optional group element (LIST) { repeated group list { optional int64 element; } } } }
              repeated int32 legacy_repeated;
              optional group legacy_list (LIST) { repeated int32 array; }
              optional group legacy_structs (LIST) { repeated group array { optional binary a (UTF8); } }
            }""";

    static final List<String> PARQUET_COLUMNS = List.of("id bigint", "name string", "small smallint", "tiny tinyint", "day date",
            "ts_micros timestamp", "ts_millis timestamp", "legacy_ts timestamp", "amount decimal(38,6)", "price decimal(18,2)",
            "cents decimal(9,2)", "score double", "ratio float", "flag boolean", "raw binary", "doc string", "tags array<string>",
            "attrs map<string,int>", "address struct<city:string,geo:struct<lat:double,lon:double>>",
            "items array<struct<sku:string,qty:int>>", "matrix array<array<bigint>>", "legacy_repeated array<int>",
            "legacy_list array<int>", "legacy_structs array<struct<a:string>>");

    @Test
    void parquetFootersGiveTheirSchemaAndRowsSnappyOrNot() throws Exception {
        DataFiles.parquet(root.resolve("snappy/part-0.snappy.parquet"), PARQUET_SCHEMA, CompressionCodecName.SNAPPY, 3, DiscoveryFormatsTest::fill);
        DataFiles.parquet(root.resolve("plain/part-0.parquet"), PARQUET_SCHEMA, CompressionCodecName.UNCOMPRESSED, 5, DiscoveryFormatsTest::fill);
        DataFiles.parquet(root.resolve("zstd/part-0.zstd.parquet"), PARQUET_SCHEMA, CompressionCodecName.ZSTD, 2, DiscoveryFormatsTest::fill);
        CollectingSink sink = discover(DataFiles.options(1));
        for (String table : List.of("snappy", "plain", "zstd")) {
            CatalogChange.Table t = sink.tableNamed(table);
            assertEquals(PARQUET_COLUMNS, columns(t), table);
            assertEquals("PARQUET", t.format());
            assertEquals("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", t.serdeLibrary());
            assertEquals("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", t.inputFormat());
            assertEquals("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat", t.outputFormat());
            assertEquals("EXTERNAL_TABLE", t.tableType());
            assertEquals("parquet", t.parameters().get("classification"));
            assertEquals("fs://landing/" + table, t.location());
            assertEquals(List.of(), t.partitionKeys());
            assertEquals(List.of(), t.warnings());
            assertFalse(t.mergeSchema());
        }
        assertEquals(3L, sink.tableNamed("snappy").statistics().rows());
        assertEquals(5L, sink.tableNamed("plain").statistics().rows());
        assertEquals(1L, sink.tableNamed("plain").statistics().files());
        assertEquals(Files.size(root.resolve("plain/part-0.parquet")), sink.tableNamed("plain").statistics().bytes());
        assertEquals(List.of(), log.stream().filter(l -> !l.startsWith("discovered")).toList());
    }

    private static void fill(Group g, int row) {
        g.append("id", (long) row).append("name", "n" + row).append("price", 1234L + row).append("flag", row % 2 == 0);
        g.addGroup("address").append("city", "c" + row).addGroup("geo").append("lat", 1.0).append("lon", 2.0);
        g.addGroup("tags").addGroup("list").append("element", "t" + row);
        g.append("legacy_repeated", row).append("legacy_repeated", row + 1);
        g.append("amount", Binary.fromConstantByteArray(new byte[16]));
    }

    static final String ORC_SCHEMA = "struct<id:bigint,name:string,small:smallint,tiny:tinyint,day:date,ts:timestamp,"
            + "amount:decimal(12,2),score:double,ratio:float,flag:boolean,raw:binary,code:char(3),label:varchar(20),"
            + "tags:array<string>,attrs:map<string,int>,address:struct<city:string,zip:int,geo:struct<lat:double,lon:double>>,"
            + "items:array<struct<sku:string,qty:int>>,u:uniontype<int,string>>";

    @Test
    void orcFootersGiveTheirSchemaAndRowsWhateverTheCompression() throws Exception {
        Map<String, CompressionKind> files = new LinkedHashMap<>();
        files.put("none", CompressionKind.NONE);
        files.put("snappy", CompressionKind.SNAPPY);
        files.put("zlib", CompressionKind.ZLIB);
        files.put("zstd", CompressionKind.ZSTD);
        files.put("lz4", CompressionKind.LZ4);
        int rows = 2500;
        for (Map.Entry<String, CompressionKind> f : files.entrySet()) {
            DataFiles.orc(root.resolve(f.getKey() + "/000000_0.orc"), ORC_SCHEMA, f.getValue(), rows++);
        }
        // Hive writes ORC files without an extension: found by their magic bytes
        DataFiles.orc(root.resolve("hive/000000_0"), ORC_SCHEMA, CompressionKind.ZLIB, 7);
        CollectingSink sink = discover(DataFiles.options(1));
        String expected = ORC_SCHEMA.substring("struct<".length(), ORC_SCHEMA.length() - 1);
        rows = 2500;
        for (String table : List.of("none", "snappy", "zlib", "zstd", "lz4", "hive")) {
            CatalogChange.Table t = sink.tableNamed(table);
            String joined = String.join(",", t.columns().stream().map(c -> c.name() + ":" + c.type()).toList());
            assertEquals(expected, joined, table);
            assertEquals("ORC", t.format());
            assertEquals("org.apache.hadoop.hive.ql.io.orc.OrcSerde", t.serdeLibrary());
            assertEquals(table.equals("hive") ? 7L : rows++, t.statistics().rows(), table);
            assertEquals(List.of(), t.warnings());
        }
    }

    static final String AVRO_SCHEMA = """
            {"type": "record", "name": "Order", "namespace": "shop", "fields": [
              {"name": "id", "type": "long", "doc": "the order"},
              {"name": "name", "type": ["null", "string"], "default": null},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "fixed_amount", "type": ["null", {"type": "fixed", "name": "Money", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 4}]},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "ts_millis", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "ts_micros", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}]},
              {"name": "local_ts", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
              {"name": "score", "type": "double"},
              {"name": "ratio", "type": "float"},
              {"name": "flag", "type": "boolean"},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "attrs", "type": {"type": "map", "values": "long"}},
              {"name": "address", "type": ["null", {"type": "record", "name": "Address", "fields": [
                  {"name": "city", "type": "string"}, {"name": "zip", "type": ["null", "int"]}]}]},
              {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
                  {"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}},
              {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
              {"name": "choice", "type": ["int", "string"]},
              {"name": "maybe_choice", "type": ["null", "int", "string"]},
              {"name": "raw", "type": {"type": "fixed", "name": "Four", "size": 4}},
              {"name": "blob", "type": "bytes"},
              {"name": "uuid", "type": {"type": "string", "logicalType": "uuid"}}
            ]}""";

    static final List<String> AVRO_COLUMNS = List.of("id bigint", "name string", "amount decimal(10,2)", "fixed_amount decimal(18,4)",
            "day date", "ts_millis timestamp", "ts_micros timestamp", "local_ts timestamp", "score double", "ratio float",
            "flag boolean", "tags array<string>", "attrs map<string,bigint>", "address struct<city:string,zip:int>",
            "lines array<struct<sku:string,qty:int>>", "kind string", "choice uniontype<int,string>",
            "maybe_choice uniontype<int,string>", "raw binary", "blob binary", "uuid string");

    @Test
    void avroHeadersGiveTheirSchemaWhateverTheCodec() throws Exception {
        Schema schema = new Schema.Parser().parse(AVRO_SCHEMA);
        Map<String, CodecFactory> codecs = new LinkedHashMap<>();
        codecs.put("none", CodecFactory.nullCodec());
        codecs.put("snappy", CodecFactory.snappyCodec());
        codecs.put("deflate", CodecFactory.deflateCodec(6));
        codecs.put("zstd", CodecFactory.zstandardCodec(3));
        for (Map.Entry<String, CodecFactory> c : codecs.entrySet()) {
            DataFiles.avro(root.resolve(c.getKey() + "/part-0.avro"), schema, c.getValue(), List.of(record(schema)));
        }
        CollectingSink sink = discover(DataFiles.options(1));
        for (String table : codecs.keySet()) {
            CatalogChange.Table t = sink.tableNamed(table);
            assertEquals(AVRO_COLUMNS, columns(t), table);
            assertEquals("the order", t.columns().get(0).comment());
            assertEquals("AVRO", t.format());
            assertEquals("org.apache.hadoop.hive.serde2.avro.AvroSerDe", t.serdeLibrary());
            assertNull(t.statistics().rows(), "Avro headers do not tell rows");
            assertEquals(1L, t.statistics().files());
        }
    }

    private static Map<String, Object> record(Schema schema) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", 1L);
        r.put("amount", new Conversions.DecimalConversion().toBytes(new BigDecimal("12.34"), null, LogicalTypes.decimal(10, 2)));
        r.put("day", 19000);
        r.put("ts_millis", 1L);
        r.put("local_ts", 1L);
        r.put("score", 1.5);
        r.put("ratio", 0.5f);
        r.put("flag", true);
        r.put("tags", List.of("a"));
        r.put("attrs", Map.of("k", 1L));
        r.put("lines", List.of());
        r.put("kind", new org.apache.avro.generic.GenericData.EnumSymbol(schema.getField("kind").schema(), "A"));
        r.put("choice", 3);
        r.put("raw", new org.apache.avro.generic.GenericData.Fixed(schema.getField("raw").schema(), new byte[4]));
        r.put("blob", ByteBuffer.wrap(new byte[] {1}));
        r.put("uuid", "6f1c0d2e-0000-4000-8000-000000000000");
        return r;
    }

    @Test
    void csvColumnsAreTypedFromTheirValuesHonouringHeaderQuoteAndSeparator() throws Exception {
        // with a byte order mark, as spreadsheets write it
        DataFiles.text(root.resolve("orders/a.csv"), "\uFEFF" + """
                id,name,price,placed,day,flag,zip,big,note,empty
                1,"Smith, Ann",1.50,2024-01-02 10:11:12,2024-01-02,true,02134,3000000000,x,
                2,Bob,2,2024-01-03T00:00:00.5,2024-01-03,FALSE,10001,4,"",
                3,"Say \"\"hi\"\"",-0.25,2024-01-04 00:00:00,2024-02-29,true,99999,5,\\N,
                """);
        CollectingSink sink = discover(DataFiles.with(DataFiles.options(1), o -> o.csv = CsvOptions.of(",", CsvOptions.Quote.DOUBLE_QUOTE, null, true)));
        CatalogChange.Table t = sink.tableNamed("orders");
        assertEquals(List.of("id int", "name string", "price double", "placed timestamp", "day date", "flag boolean", "zip string",
                "big bigint", "note string", "empty string"), columns(t));
        assertEquals("CSV", t.format());
        assertEquals(CsvOptions.OPEN_CSV_SERDE, t.serdeLibrary());
        assertEquals(Map.of("separatorChar", ",", "quoteChar", "\""), t.serdeParameters());
        assertEquals("1", t.parameters().get("skip.header.line.count"));
        assertEquals(3L, t.statistics().rows(), "a CSV file read to its end tells its rows");
    }

    @Test
    void csvWithoutHeaderNamesColumnsByPositionAndReadsOtherSeparatorsAndGzip() throws Exception {
        DataFiles.text(root.resolve("plain/a.csv"), "1;'a;b';2024-01-01\n2;c;2024-01-02;extra\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(root.resolve("plain/b.csv.gz")))) {
            out.write("3;d;2024-01-03\n".getBytes(StandardCharsets.UTF_8));
        }
        CollectingSink sink = discover(DataFiles.with(DataFiles.options(1), o -> o.csv = CsvOptions.of(";", CsvOptions.Quote.SINGLE_QUOTE, null, false)));
        CatalogChange.Table t = sink.tableNamed("plain");
        assertEquals(List.of("col_0 int", "col_1 string", "col_2 date", "col_3 string"), columns(t));
        assertEquals(Map.of("separatorChar", ";", "quoteChar", "'"), t.serdeParameters());
        assertEquals(3L, t.statistics().rows());

        CollectingSink unquoted = discover(DataFiles.with(DataFiles.options(1), o -> o.csv = CsvOptions.of(";", CsvOptions.Quote.NULL_QUOTE, "\\", false)));
        CatalogChange.Table u = unquoted.tableNamed("plain");
        assertEquals(CsvOptions.LAZY_SIMPLE_SERDE, u.serdeLibrary());
        assertEquals(Map.of("field.delim", ";", "serialization.format", ";", "escape.delim", "\\"), u.serdeParameters());
        assertEquals(List.of("col_0 int", "col_1 string", "col_2 string", "col_3 string"), columns(u),
                "unquoted, 'a;b' is two fields: 'a and b'");
    }

    @Test
    void jsonLinesGiveStructsArraysAndWidenedNumbers() throws Exception {
        DataFiles.text(root.resolve("events/a.json"), """
                {"id": 1, "name": "a", "price": 1.5, "tags": ["x"], "address": {"city": "c", "zip": 123}, "n": null, "items": [{"sku": "a", "qty": 1}]}
                {"id": 3000000000, "name": "b", "price": 2, "tags": [], "address": {"city": "d", "geo": [1.5, 2]}, "extra": true, "items": [{"sku": "b", "price": 2.5}]}

                {"id": 2, "Name": "c", "items": []}
                """);
        CollectingSink sink = discover(DataFiles.options(1));
        CatalogChange.Table t = sink.tableNamed("events");
        assertEquals(List.of("id bigint", "name string", "price double", "tags array<string>",
                "address struct<city:string,zip:int,geo:array<double>>", "n string", "items array<struct<sku:string,qty:int,price:double>>",
                "extra boolean"), columns(t));
        assertEquals("JSON", t.format());
        assertEquals("org.apache.hadoop.hive.serde2.JsonSerDe", t.serdeLibrary());
        assertEquals(3L, t.statistics().rows());
        assertEquals(List.of(), t.warnings());
    }

    @Test
    void jsonValuesThatMeetOnlyAsStringAreTypedStringWithAWarning() throws Exception {
        DataFiles.text(root.resolve("events/a.jsonl"), "{\"v\": 1}\n{\"v\": \"one\"}\n{\"v\": 2}\n");
        CollectingSink sink = discover(DataFiles.options(1));
        CatalogChange.Table t = sink.tableNamed("events");
        assertEquals(List.of("v string"), columns(t));
        assertEquals(List.of("'events/a.jsonl' column 'v' is int in some records and string in others: typed string"), t.warnings());
        assertTrue(log.contains("table 'events': 'events/a.jsonl' column 'v' is int in some records and string in others: typed string"), log.toString());
    }
}
