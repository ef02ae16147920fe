package io.jobplane.worker.catalog.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobplane.events.payload.catalog.CatalogChange;

/** A partitioned tree with Hadoop's leftovers and planted links gives the tables, partitions and typed keys expected. */
class DiscoveryTreeTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private final List<String> log = new ArrayList<>();

    static final String SALES = "message m { required int64 id; optional int64 amount (DECIMAL(10,2)); }";

    private DiscoveryReport discover(DiscoveryOptions options, CollectingSink sink) throws Exception {
        return new FileDiscovery(options).run(root, "fs://landing", DataFiles.ORIGIN, sink, log::add);
    }

    private Path sales(String relative, int rows) throws Exception {
        return DataFiles.parquet(root.resolve(relative), SALES, CompressionCodecName.SNAPPY, rows, (g, i) -> g.append("id", (long) i));
    }

    @Test
    void partitionedTreeGivesTablesTypedKeysAndPartitionsWithoutLeftoversOrLinks() throws Exception {
        sales("sales/year=2024/month=01/part-0.snappy.parquet", 3);
        sales("sales/year=2024/month=01/part-1.parquet", 4);
        DataFiles.text(root.resolve("sales/year=2024/month=01/.part-0.snappy.parquet.crc"), "crc garbage");
        DataFiles.text(root.resolve("sales/year=2024/month=01/._part-0"), "resource fork");
        Files.createFile(root.resolve("sales/year=2024/month=01/empty.parquet"));
        sales("sales/year=2024/month=02/part-0.parquet", 5);
        sales("sales/year=2023/month=12/part-0.parquet", 6);
        sales("sales/year=__HIVE_DEFAULT_PARTITION__/month=03/part-0.parquet", 7);
        Files.createFile(root.resolve("sales/_SUCCESS"));
        DataFiles.text(root.resolve("sales/_temporary/0/_temporary/attempt_1/part-9.parquet"), "half-written");
        // links a tenant planted: to a folder and to a file outside the data location
        DataFiles.parquet(outside.resolve("month=01/x.parquet"), "message m { required binary secret (STRING); }",
                CompressionCodecName.UNCOMPRESSED, 1, (g, i) -> g.append("secret", "s"));
        Files.createSymbolicLink(root.resolve("sales/year=2025"), outside);
        Files.createSymbolicLink(root.resolve("sales/year=2024/month=02/passwd.parquet"), outside.resolve("month=01/x.parquet"));

        DataFiles.text(root.resolve("events/dt=2024-01-01/a.json"), "{\"user\": \"u1\", \"n\": 1}\n");
        DataFiles.text(root.resolve("events/dt=2024-01-02/b.json"), "{\"user\": \"u2\", \"n\": 2}\n{\"user\": \"u3\", \"n\": 3}\n");
        DataFiles.text(root.resolve("events/dt=2024-01-02/notes.txt"), "not data");

        sales("mixed/a=1/x.parquet", 1);
        sales("mixed/a=2/y.parquet", 1);
        sales("mixed/b=2/c=3/z.parquet", 1);
        sales("top.parquet", 1);

        CollectingSink sink = new CollectingSink();
        DiscoveryReport report = discover(DataFiles.options(1), sink);

        // the database first, then each table followed by its partitions
        CatalogChange.Database database = assertInstanceOf(CatalogChange.Database.class, sink.events.get(0));
        assertEquals("hive", database.catalog());
        assertEquals("landing", database.database());
        assertEquals("ana", database.owner());
        assertEquals(List.of("events", "mixed", "sales"), sink.tables().stream().map(CatalogChange.Table::table).toList());
        List<String> order = sink.events.stream().skip(1).map(e -> e instanceof CatalogChange.Table t ? "T:" + t.table()
                : "P:" + ((CatalogChange.Partitions) e).table()).toList();
        assertEquals(List.of("T:events", "P:events", "T:mixed", "P:mixed", "T:sales", "P:sales"), order);

        CatalogChange.Table sales = sink.tableNamed("sales");
        assertEquals(List.of(new CatalogChange.Column("id", "bigint", null), new CatalogChange.Column("amount", "decimal(10,2)", null)),
                sales.columns());
        assertEquals(List.of(new CatalogChange.Column("year", "int", null), new CatalogChange.Column("month", "string", null)),
                sales.partitionKeys(), "month=01 keeps its zero: string; the default partition is null");
        assertEquals(List.of(List.of("2023", "12"), List.of("2024", "01"), List.of("2024", "02"), List.of("__HIVE_DEFAULT_PARTITION__", "03")),
                sink.partitionValues("sales"));
        CatalogChange.Partition january = sink.partitionsOf("sales").get(1);
        assertEquals("fs://landing/sales/year=2024/month=01", january.location());
        assertEquals(new CatalogChange.Statistics(2L, Files.size(root.resolve("sales/year=2024/month=01/part-0.snappy.parquet"))
                + Files.size(root.resolve("sales/year=2024/month=01/part-1.parquet")), 7L), january.statistics());
        assertEquals(5L, sales.statistics().files());
        assertEquals(25L, sales.statistics().rows());
        assertEquals("fs://landing/sales", sales.location());
        assertTrue(sales.warnings().contains("'sales/year=2025' is a symbolic link: not followed, skipped"), sales.warnings().toString());
        assertTrue(sales.warnings().contains("'sales/year=2024/month=02/passwd.parquet' is a symbolic link: not followed, skipped"));
        assertFalse(sink.tables().stream().flatMap(t -> t.columns().stream()).anyMatch(c -> c.name().equals("secret")),
                "nothing behind a link is read");

        CatalogChange.Table events = sink.tableNamed("events");
        assertEquals(List.of(new CatalogChange.Column("dt", "date", null)), events.partitionKeys());
        assertEquals(List.of("user string", "n int"), events.columns().stream().map(c -> c.name() + " " + c.type()).toList());
        assertEquals(List.of(List.of("2024-01-01"), List.of("2024-01-02")), sink.partitionValues("events"));
        assertNull(sink.partitionsOf("events").get(1).statistics().rows(), "notes.txt was not read: rows unknown");
        assertEquals(1L, sink.partitionsOf("events").get(0).statistics().rows());
        assertTrue(events.warnings().contains("1 files of no format discovery reads (by extension or magic bytes): skipped"),
                events.warnings().toString());

        CatalogChange.Table mixed = sink.tableNamed("mixed");
        assertEquals(List.of(new CatalogChange.Column("a", "int", null)), mixed.partitionKeys());
        assertEquals(List.of(List.of("1"), List.of("2")), sink.partitionValues("mixed"));
        assertTrue(mixed.warnings().contains("1 files in folders partitioned by (b, c) where most are by (a): skipped"), mixed.warnings().toString());

        assertTrue(log.contains("1 files in '.' lie above the tables (table_depth 1): skipped"), log.toString());
        assertEquals(18, report.filesSeen());
        assertEquals(9, report.filesRead());
        assertEquals(9, report.filesSkipped());
        assertEquals(report.filesSeen(), report.filesRead() + report.filesSkipped() + report.filesNotSampled() + report.filesUnchanged());
        assertEquals(3, report.tables());
        assertEquals(8, report.partitions());
        assertTrue(log.get(log.size() - 1).startsWith("discovered 3 tables and 8 partitions under fs://landing"), log.toString());
    }

    @Test
    void tableDepthZeroMakesTheDataLocationOneTableNamedAfterIt() throws Exception {
        sales("region=eu/part-0.parquet", 2);
        sales("region=us/part-0.parquet", 3);
        CollectingSink sink = new CollectingSink();
        new FileDiscovery(DataFiles.options(0)).run(root, "fs://landing/sales/", DataFiles.ORIGIN, sink, log::add);
        CatalogChange.Table t = sink.tableNamed("sales");
        assertEquals("fs://landing/sales", t.location());
        assertEquals(List.of(new CatalogChange.Column("region", "string", null)), t.partitionKeys());
        assertEquals("fs://landing/sales/region=eu", sink.partitionsOf("sales").get(0).location());
    }

    @Test
    void tableDepthTwoNamesTablesByTheSecondLevelAndRefusesASecondTableOfTheSameName() throws Exception {
        sales("raw/orders/part-0.parquet", 1);
        sales("raw/Customers/part-0.parquet", 1);
        sales("clean/orders/part-0.parquet", 1);
        CollectingSink sink = new CollectingSink();
        discover(DataFiles.options(2), sink);
        assertEquals(List.of("orders", "Customers"), sink.tables().stream().map(CatalogChange.Table::table).toList());
        assertEquals("fs://landing/clean/orders", sink.tableNamed("orders").location());
        assertTrue(log.contains("folder 'raw/orders' would be table 'orders', which folder 'clean/orders' already is: skipped"), log.toString());
    }

    @Test
    void filesWhoseTypesConflictWidenOrBecomeStringWithAWarning() throws Exception {
        // read newest first: the newest file's columns lead
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        DataFiles.touch(DataFiles.parquetColumns(root.resolve("wide/f1.parquet"), "optional int32 id; optional int32 v; optional int32 a;"),
                t0.plusSeconds(3));
        DataFiles.touch(DataFiles.parquetColumns(root.resolve("wide/f2.parquet"), "optional int64 id; optional binary v (STRING); optional double b;"),
                t0.plusSeconds(2));
        DataFiles.touch(DataFiles.parquetColumns(root.resolve("wide/f3.parquet"), "optional float a;"), t0.plusSeconds(1));
        CollectingSink sink = new CollectingSink();
        discover(DataFiles.options(1), sink);
        CatalogChange.Table t = sink.tableNamed("wide");
        assertEquals(List.of("id bigint", "v string", "a double", "b double"), t.columns().stream().map(c -> c.name() + " " + c.type()).toList());
        assertEquals(List.of("column 'v' is int in some files and string in others: typed string"), t.warnings());
        assertTrue(log.contains("table 'wide': column 'v' is int in some files and string in others: typed string"), log.toString());
    }

    @Test
    void sampleRateZeroReadsTheNewestFileOfEachFolderAndFallsBackWhenItIsUnreadable() throws Exception {
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        for (String partition : List.of("p=1", "p=2")) {
            for (int i = 0; i < 5; i++) {
                Path file = DataFiles.parquetColumns(root.resolve("t/" + partition + "/f" + i + ".parquet"), "optional int32 c" + i + ";");
                DataFiles.touch(file, t0.plusSeconds(i));
            }
        }
        // the newest of p=2 is corrupt: the next newest is read instead
        DataFiles.touch(DataFiles.text(root.resolve("t/p=2/f9.parquet"), "not parquet at all"), t0.plusSeconds(60));

        CollectingSink sink = new CollectingSink();
        DiscoveryReport report = discover(DataFiles.with(DataFiles.options(1), o -> o.sampleRate = 0), sink);
        assertEquals(List.of("c4"), sink.tableNamed("t").columns().stream().map(CatalogChange.Column::name).toList());
        assertEquals(2, report.filesRead());
        assertEquals(8, report.filesNotSampled());
        assertEquals(1, report.filesSkipped());
        assertTrue(sink.tableNamed("t").warnings().contains("'t/p=2/f9.parquet' is not a Parquet file (it does not end with PAR1): skipped"));
        assertNull(sink.tableNamed("t").statistics().rows(), "not every file read: rows unknown");
        assertEquals(11L, sink.tableNamed("t").statistics().files());

        CollectingSink half = new CollectingSink();
        DiscoveryReport halfReport = discover(DataFiles.with(DataFiles.options(1), o -> o.sampleRate = 50), half);
        assertEquals(List.of("c4", "c3", "c2"), half.tableNamed("t").columns().stream().map(CatalogChange.Column::name).toList());
        assertEquals(6, halfReport.filesRead(), "half of 5 is 3 per folder");
    }

    @Test
    void incrementalReadsOnlyChangedFilesAndEmitsOnlyTheirTablesAndPartitions() throws Exception {
        Instant lastScan = Instant.parse("2025-06-01T00:00:00Z");
        Instant before = lastScan.minusSeconds(3600);
        Instant after = lastScan.plusSeconds(3600);
        DataFiles.touch(DataFiles.parquetColumns(root.resolve("t1/p=1/a.parquet"), "optional int64 id; optional int32 old_only;"), before);
        DataFiles.touch(DataFiles.parquetColumns(root.resolve("t1/p=2/b.parquet"), "optional int64 id; optional binary extra (STRING);"), after);
        DataFiles.touch(DataFiles.parquetColumns(root.resolve("t1/p=2/c.parquet"), "optional int64 id; optional int32 old_too;"), before);
        DataFiles.touch(DataFiles.parquetColumns(root.resolve("t2/x.parquet"), "optional int64 id;"), before);

        CollectingSink sink = new CollectingSink();
        DiscoveryReport report = discover(DataFiles.with(DataFiles.options(1), o -> o.changedSince = lastScan), sink);
        assertEquals(List.of("t1"), sink.tables().stream().map(CatalogChange.Table::table).toList(), "t2 has no changed file");
        CatalogChange.Table t1 = sink.tableNamed("t1");
        assertTrue(t1.mergeSchema());
        assertEquals(List.of("id", "extra"), t1.columns().stream().map(CatalogChange.Column::name).toList(), "only b.parquet was read");
        assertEquals(List.of(List.of("2")), sink.partitionValues("t1"));
        assertEquals(new CatalogChange.Statistics(2L, Files.size(root.resolve("t1/p=2/b.parquet")) + Files.size(root.resolve("t1/p=2/c.parquet")),
                null), sink.partitionsOf("t1").get(0).statistics());
        assertEquals(3L, t1.statistics().files());
        assertEquals(1, report.filesRead());
        assertEquals(3, report.filesUnchanged());
        assertEquals(1, report.partitions());
        assertEquals(List.of("t1", "t2"), report.tableNames().stream().sorted().toList(), "t2 is still there, only unchanged");

        CollectingSink full = new CollectingSink();
        discover(DataFiles.options(1), full);
        assertFalse(full.tableNamed("t1").mergeSchema());
        assertEquals(List.of("id", "old_only", "extra", "old_too"),
                full.tableNamed("t1").columns().stream().map(CatalogChange.Column::name).toList());
        assertEquals(List.of(List.of("1"), List.of("2")), full.partitionValues("t1"));
        assertEquals(List.of("t1", "t2"), full.tables().stream().map(CatalogChange.Table::table).toList());
    }

    @Test
    void partitionsComeInBatchesOfTheEventBound() throws Exception {
        int n = CatalogChange.MAX_PARTITIONS_PER_EVENT + 20;
        for (int i = 0; i < n; i++) {
            DataFiles.text(root.resolve("t/id=" + i + "/a.csv"), i + ",x\n");
        }
        CollectingSink sink = new CollectingSink();
        discover(DataFiles.options(1), sink);
        List<Integer> sizes = sink.events.stream().filter(CatalogChange.Partitions.class::isInstance)
                .map(e -> ((CatalogChange.Partitions) e).partitions().size()).toList();
        assertEquals(List.of(CatalogChange.MAX_PARTITIONS_PER_EVENT, 20), sizes);
        assertEquals(List.of(new CatalogChange.Column("id", "int", null)), sink.tableNamed("t").partitionKeys());
    }

    @Test
    void onlyTheFormatsAskedForAreRead() throws Exception {
        sales("t/a.parquet", 1);
        DataFiles.text(root.resolve("t/b.csv"), "1,2\n");
        CollectingSink sink = new CollectingSink();
        DiscoveryReport report = discover(DataFiles.with(DataFiles.options(1), o -> o.formats = FileFormat.of("csv")), sink);
        assertEquals("CSV", sink.tableNamed("t").format());
        assertEquals(1, report.filesRead());
        assertEquals(1, report.filesSkipped());
        assertEquals(2L, sink.tableNamed("t").statistics().files(), "statistics count every data file of the folder");
    }

    @Test
    void partitionValuesRoundTripTheirTypes() {
        assertEquals("int", TextValues.partitionValue("2024").toString());
        assertEquals("string", TextValues.partitionValue("01").toString());
        assertEquals("string", TextValues.partitionValue("-0").toString());
        assertEquals("bigint", TextValues.partitionValue("30000000000").toString());
        assertEquals("double", TextValues.partitionValue("1.5").toString());
        assertEquals("string", TextValues.partitionValue("1.50").toString());
        assertEquals("date", TextValues.partitionValue("2024-02-29").toString());
        assertEquals("string", TextValues.partitionValue("2023-02-29").toString());
        assertEquals("boolean", TextValues.partitionValue("true").toString());
        assertEquals("string", TextValues.partitionValue("TRUE").toString());
        assertEquals("void", TextValues.partitionValue("__HIVE_DEFAULT_PARTITION__").toString());
        assertEquals("a/b:c", FileDiscovery.unescape("a%2Fb%3Ac"));
        assertEquals("100%", FileDiscovery.unescape("100%"));
    }
}
