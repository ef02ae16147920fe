package io.jobplane.worker.catalog.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.orc.OrcProto;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobplane.events.payload.catalog.CatalogChange;

/** Hostile trees and files: bounds fail the run or skip the file, corrupt files never crash it. */
class DiscoveryBoundsTest {

    @TempDir
    Path root;

    private final List<String> log = new ArrayList<>();

    private DiscoveryReport discover(DiscoveryOptions options, CollectingSink sink) throws Exception {
        return new FileDiscovery(options).run(root, "fs://landing", DataFiles.ORIGIN, sink, log::add);
    }

    private Path good(String relative) throws Exception {
        return DataFiles.parquetColumns(root.resolve(relative), "optional int64 id;");
    }

    @Test
    void aTreeOverTheFileBoundFailsTheRun() throws Exception {
        for (int i = 0; i < 11; i++) {
            DataFiles.text(root.resolve("t/p=" + (i % 3) + "/f" + i + ".csv"), "1\n");
        }
        DiscoveryOptions options = DataFiles.with(DataFiles.options(1), o -> o.limits = Limits.DEFAULTS.withMaxFiles(10));
        DiscoveryException e = assertThrows(DiscoveryException.class, () -> discover(options, new CollectingSink()));
        assertEquals(DiscoveryException.Code.FILES_LIMIT, e.code());
        assertTrue(e.getMessage().contains("more than 10 files"), e.getMessage());
        DiscoveryReport report = discover(DataFiles.with(DataFiles.options(1), o -> o.limits = Limits.DEFAULTS.withMaxFiles(11)),
                new CollectingSink());
        assertEquals(11, report.filesRead());
    }

    @Test
    void moreTablesThanTheBoundFailTheRun() throws Exception {
        for (String t : List.of("a", "b", "c")) {
            good(t + "/x.parquet");
        }
        DiscoveryException e = assertThrows(DiscoveryException.class,
                () -> discover(DataFiles.with(DataFiles.options(1), o -> o.limits = Limits.DEFAULTS.withMaxTables(2)), new CollectingSink()));
        assertEquals(DiscoveryException.Code.TABLES_LIMIT, e.code());
    }

    @Test
    void readsBeyondTheByteBudgetFailTheRun() throws Exception {
        good("t/a.parquet");
        good("t/b.parquet");
        long one = Files.size(root.resolve("t/a.parquet"));
        DiscoveryException e = assertThrows(DiscoveryException.class,
                () -> discover(DataFiles.with(DataFiles.options(1), o -> o.limits = Limits.DEFAULTS.withMaxBytesRead(one + 10)),
                        new CollectingSink()));
        assertEquals(DiscoveryException.Code.BYTES_LIMIT, e.code());
    }

    @Test
    void foldersDeeperThanTheBoundAreSkipped() throws Exception {
        good("t/a=1/x.parquet");
        good("t/a=1/b=2/y.parquet");
        CollectingSink sink = new CollectingSink();
        discover(DataFiles.with(DataFiles.options(1), o -> o.limits = Limits.DEFAULTS.withMaxDepth(2)), sink);
        assertEquals(List.of(List.of("1")), sink.partitionValues("t"));
        assertTrue(sink.tableNamed("t").warnings().contains("folder 't/a=1/b=2' is deeper than 2 levels: skipped"), sink.tableNamed("t").warnings().toString());
    }

    @Test
    void aDeeplyNestedJsonFileIsSkippedAndItsTableStillFound() throws Exception {
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        DataFiles.text(root.resolve("t/deep.json"), "{\"id\": 1, \"x\": " + deep + "}\n");
        DataFiles.text(root.resolve("t/good.json"), "{\"id\": 2}\n");
        CollectingSink sink = new CollectingSink();
        DiscoveryReport report = discover(DataFiles.options(1), sink);
        CatalogChange.Table t = sink.tableNamed("t");
        assertEquals(List.of(new CatalogChange.Column("id", "int", null)), t.columns());
        assertEquals(1, t.warnings().size(), t.warnings().toString());
        assertTrue(t.warnings().get(0).startsWith("'t/deep.json' breaks a bound: Document nesting depth"), t.warnings().toString());
        assertEquals(1, report.filesRead());
        assertEquals(1, report.filesSkipped());
    }

    @Test
    void parquetFilesClaimingHugeFootersAreRefusedWithoutReadingThem() throws Exception {
        // a footer length beyond the file
        ByteArrayOutputStream bogus = new ByteArrayOutputStream();
        bogus.write("PAR1".getBytes(StandardCharsets.US_ASCII));
        bogus.write(new byte[100]);
        bogus.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7fff_fff0).array());
        bogus.write("PAR1".getBytes(StandardCharsets.US_ASCII));
        Files.write(root.resolve("t/beyond.parquet").getParent() == null ? root : Files.createDirectories(root.resolve("t")).resolve("beyond.parquet"),
                bogus.toByteArray());
        // a sparse 64 MiB file whose footer would be 32 MiB: within the file, over the bound
        Path sparse = root.resolve("t/sparse.parquet");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.write("PAR1".getBytes(StandardCharsets.US_ASCII));
            f.setLength(64L << 20);
            f.seek((64L << 20) - 8);
            f.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(32 << 20).array());
            f.write("PAR1".getBytes(StandardCharsets.US_ASCII));
        }
        good("t/good.parquet");
        CollectingSink sink = new CollectingSink();
        DiscoveryReport report = discover(DataFiles.options(1), sink);
        List<String> warnings = sink.tableNamed("t").warnings();
        assertTrue(warnings.contains("'t/beyond.parquet' claims a footer of 2147483632 bytes, more than the file holds: skipped"), warnings.toString());
        assertTrue(warnings.contains("'t/sparse.parquet' claims a footer of 33554432 bytes, over the bound of 16777216: skipped"), warnings.toString());
        assertEquals(1, report.filesRead());
        assertTrue(report.bytesRead() < 256 * 1024, "only the tails were read: " + report.bytesRead());
    }

    @Test
    void orcAndAvroFilesClaimingHugeTailsOrHeadersAreRefused() throws Exception {
        Files.createDirectories(root.resolve("t"));
        byte[] ps = OrcProto.PostScript.newBuilder().setFooterLength(40L << 20).setCompression(OrcProto.CompressionKind.NONE)
                .setMagic("ORC").build().toByteArray();
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("t/huge.orc").toFile(), "rw")) {
            f.write("ORC".getBytes(StandardCharsets.US_ASCII));
            f.setLength(64L << 20);
            f.seek((64L << 20) - 1 - ps.length);
            f.write(ps);
            f.write(ps.length);
        }
        // an Avro header whose one metadata value claims 1 GiB
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        avro.write(new byte[] {'O', 'b', 'j', 1, 2 /* one entry */, 2 /* key of 1 byte */, 'k'});
        avro.write(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}); // 2^30 zig-zag: 1 GiB
        avro.write(new byte[200]);
        Files.write(root.resolve("t/huge.avro"), avro.toByteArray());
        good("t/good.parquet");
        CollectingSink sink = new CollectingSink();
        DiscoveryReport report = discover(DataFiles.options(1), sink);
        List<String> warnings = sink.tableNamed("t").warnings();
        assertTrue(warnings.contains("'t/huge.orc' claims a footer of 41943040 bytes, over the bound of 16777216: skipped"), warnings.toString());
        assertTrue(warnings.contains("'t/huge.avro' has a truncated or malformed header: skipped"), warnings.toString());
        assertTrue(report.bytesRead() < 256 * 1024, "only the tails and heads were read: " + report.bytesRead());
    }

    @Test
    void corruptFilesOfEveryFormatAreSkippedWithWarningsNeverCrashingTheRun() throws Exception {
        Random random = new Random(7);
        for (String name : List.of("a.parquet", "b.orc", "c.avro", "d.json", "e.parquet", "f.orc")) {
            byte[] junk = new byte[2000];
            random.nextBytes(junk);
            Path file = Files.createDirectories(root.resolve("t")).resolve(name);
            Files.write(file, junk);
        }
        // right magic, junk inside
        byte[] junk = new byte[3000];
        random.nextBytes(junk);
        System.arraycopy("PAR1".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 4);
        System.arraycopy(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(1000).array(), 0, junk, junk.length - 8, 4);
        System.arraycopy("PAR1".getBytes(StandardCharsets.US_ASCII), 0, junk, junk.length - 4, 4);
        Files.write(root.resolve("t/magic.parquet"), junk);
        byte[] orc = junk.clone();
        System.arraycopy("ORC".getBytes(StandardCharsets.US_ASCII), 0, orc, 0, 3);
        orc[orc.length - 1] = 20;
        Files.write(root.resolve("t/magic.orc"), orc);
        byte[] avro = junk.clone();
        System.arraycopy(new byte[] {'O', 'b', 'j', 1}, 0, avro, 0, 4);
        Files.write(root.resolve("t/magic.avro"), avro);
        good("t/good.parquet");
        CollectingSink sink = new CollectingSink();
        DiscoveryReport report = discover(DataFiles.options(1), sink);
        assertEquals(List.of(new CatalogChange.Column("id", "bigint", null)), sink.tableNamed("t").columns());
        assertEquals(1, report.filesRead());
        assertEquals(9, report.filesSkipped());
        assertEquals(9, sink.tableNamed("t").warnings().size(), sink.tableNamed("t").warnings().toString());
        assertTrue(sink.tableNamed("t").warnings().stream().allMatch(w -> w.endsWith(": skipped")));
        assertFalse(String.join("\n", log).contains(root.toString()), "warnings never show the worker's own paths");
    }

    @Test
    void recursiveOrTooDeepSchemasAreSkipped() throws Exception {
        Schema list = new Schema.Parser().parse("""
                {"type": "record", "name": "Node", "fields": [{"name": "v", "type": "int"},
                  {"name": "next", "type": ["null", "Node"]}]}""");
        DataFiles.avro(root.resolve("t/list.avro"), list, CodecFactory.nullCodec(), List.of(Map.of("v", 1)));
        String nested = "optional group g0 { ".repeat(40) + "optional int32 leaf;" + " }".repeat(40);
        DataFiles.parquetColumns(root.resolve("t/deep.parquet"), nested);
        good("t/good.parquet");
        CollectingSink sink = new CollectingSink();
        discover(DataFiles.options(1), sink);
        List<String> warnings = sink.tableNamed("t").warnings();
        assertTrue(warnings.contains("'t/list.avro' has a type nested deeper than 32 levels: skipped"), warnings.toString());
        assertTrue(warnings.contains("'t/deep.parquet' has a type nested deeper than 32 levels: skipped"), warnings.toString());
        assertEquals(List.of(new CatalogChange.Column("id", "bigint", null)), sink.tableNamed("t").columns());
    }

    @Test
    void namedPipesAreNeverOpened() throws Exception {
        good("t/good.parquet");
        Path fifo = root.resolve("t/pipe.parquet");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("mkfifo is not available");
            return;
        }
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        CollectingSink sink = new CollectingSink();
        discover(DataFiles.options(1), sink);
        assertTrue(sink.tableNamed("t").warnings().contains("'t/pipe.parquet' is not a regular file: skipped"));
    }

    @Test
    void anInterruptStopsTheRun() throws Exception {
        good("t/a.parquet");
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> discover(DataFiles.options(1), new CollectingSink()));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void csvRecordsLongerThanTheBoundSkipTheFile() throws Exception {
        DataFiles.text(root.resolve("t/long.csv"), "1," + "x".repeat(2 << 20) + "\n");
        DataFiles.text(root.resolve("t/ok.csv"), "1,y\n");
        CollectingSink sink = new CollectingSink();
        discover(DataFiles.options(1), sink);
        List<String> warnings = sink.tableNamed("t").warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("'t/long.csv' "), warnings.toString());
        assertEquals(List.of("col_0", "col_1"), sink.tableNamed("t").columns().stream().map(CatalogChange.Column::name).toList());
    }

    @Test
    void unsnappyParquetIsReadAsWell() throws Exception {
        DataFiles.parquet(root.resolve("t/gz.parquet"), "message m { required int64 id; }", CompressionCodecName.GZIP, 3,
                (g, i) -> g.append("id", (long) i));
        CollectingSink sink = new CollectingSink();
        discover(DataFiles.options(1), sink);
        assertEquals(3L, sink.tableNamed("t").statistics().rows());
    }
}
