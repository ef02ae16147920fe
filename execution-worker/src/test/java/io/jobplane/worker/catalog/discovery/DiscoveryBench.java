package io.jobplane.worker.catalog.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Locale;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of {@link FileDiscovery#run} on 10,000 small files (Parquet, CSV, JSON lines) in a
 * partitioned tree. Not part of the normal test run: {@code ./mvnw -o -pl execution-worker -am test
 * -Dtest=DiscoveryBench -Dgroups=bench -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class DiscoveryBench {

    private static final int PARTITIONS = 100;
    private static final int PARQUET_PER_PARTITION = 50;
    private static final int CSV_PER_PARTITION = 25;
    private static final int JSON_PER_PARTITION = 25;

    @TempDir
    Path root;

    @Test
    void discoversTenThousandSmallFiles() throws Exception {
        long written = System.nanoTime();
        for (int p = 0; p < PARTITIONS; p++) {
            String partition = "dt=2024-01-" + String.format(Locale.ROOT, "%02d", 1 + p % 28) + "/hour=" + (p / 28);
            for (int i = 0; i < PARQUET_PER_PARTITION; i++) {
                DataFiles.parquet(root.resolve("orders/" + partition + "/part-" + i + ".snappy.parquet"),
                        "message m { required int64 id; optional binary sku (STRING); optional int64 amount (DECIMAL(12,2));"
                                + " optional int64 at (TIMESTAMP(MICROS,true)); optional group tags (LIST) { repeated group list { optional binary element (STRING); } } }",
                        CompressionCodecName.SNAPPY, 10, (g, r) -> g.append("id", (long) r).append("sku", "s" + r));
            }
            for (int i = 0; i < CSV_PER_PARTITION; i++) {
                DataFiles.text(root.resolve("clicks/" + partition + "/part-" + i + ".csv"),
                        "1,home,2024-01-01 10:00:00,0.5\n2,cart,2024-01-01 10:00:01,1.25\n3,pay,2024-01-01 10:00:02,2\n");
            }
            for (int i = 0; i < JSON_PER_PARTITION; i++) {
                DataFiles.text(root.resolve("events/" + partition + "/part-" + i + ".json"),
                        "{\"id\": 1, \"kind\": \"view\", \"props\": {\"page\": \"/\", \"ms\": 12}}\n"
                                + "{\"id\": 2, \"kind\": \"click\", \"props\": {\"page\": \"/a\", \"ms\": 40}, \"tags\": [\"x\"]}\n");
            }
        }
        long files = (long) PARTITIONS * (PARQUET_PER_PARTITION + CSV_PER_PARTITION + JSON_PER_PARTITION);
        System.out.printf(Locale.ROOT, "wrote %d files in %.1f s%n", files, (System.nanoTime() - written) / 1e9);

        DiscoveryOptions options = DataFiles.options(1);
        for (int warmUp = 0; warmUp < 2; warmUp++) {
            run(options);
        }
        double best = 0;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            DiscoveryReport report = run(options);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(files, report.filesRead());
            assertEquals(3, report.tables());
            double rate = files / seconds;
            best = Math.max(best, rate);
            System.out.printf(Locale.ROOT, "discovery of %d files (%d partitions, 3 tables): %.2f s, %.0f files/s, %d bytes read%n",
                    files, report.partitions(), seconds, rate, report.bytesRead());
        }
        System.out.printf(Locale.ROOT, "best: %.0f files/s on %d cores%n", best, Runtime.getRuntime().availableProcessors());
    }

    private DiscoveryReport run(DiscoveryOptions options) throws Exception {
        return new FileDiscovery(options).run(root, "fs://bench", DataFiles.ORIGIN, new CollectingSink(), line -> {
        });
    }
}
