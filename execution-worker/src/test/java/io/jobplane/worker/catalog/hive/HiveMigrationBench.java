package io.jobplane.worker.catalog.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.worker.catalog.hive.HiveMetastoreMigration.Dialect;
import io.jobplane.worker.catalog.hive.HiveMetastores.Metastore;
import io.jobplane.worker.catalog.hive.MetastoreFixture.Col;
import io.jobplane.worker.catalog.hive.MetastoreFixture.Storage;

/**
 * How fast partitions migrate: one table of 100,000 partitions (two keys, six parameters each, as
 * Hive's statistics leave them) in a PostgreSQL metastore with Hive's 4.0.0 schema. Not part of the
 * normal run: {@code -Dit.test=HiveMigrationBench -Dgroups=bench -DexcludedGroups=}.
 */
@Tag("bench")
class HiveMigrationBench {

    private static final int PARTITIONS = 100_000;

    @Test
    void partitionsPerSecond() throws Exception {
        Metastore metastore = HiveMetastores.postgres("hive_metastore_bench", false);
        long tableId;
        try (Connection c = metastore.connect()) {
            c.setAutoCommit(false);
            MetastoreFixture m = new MetastoreFixture(c, Dialect.POSTGRESQL, 1_000);
            long db = m.database("hive", "bench", null, "hdfs://nn:8020/warehouse/bench.db", "alice", null, Map.of());
            tableId = m.table(db, "big", "EXTERNAL_TABLE", "alice",
                    new Storage("hdfs://nn:8020/warehouse/bench.db/big", MetastoreFixture.PARQUET_IN, MetastoreFixture.PARQUET_OUT,
                            MetastoreFixture.PARQUET_SERDE, Map.of(), List.of(new Col("id", "bigint", null), new Col("v", "string", null))),
                    Map.of(), List.of(new Col("dt", "string", null), new Col("shard", "int", null)), null, null);
            try (Statement s = c.createStatement()) {
                String name = "'dt=' || to_char(date '2000-01-01' + g / 10, 'YYYY-MM-DD') || '/shard=' || (g % 10)";
                s.execute("INSERT INTO \"SDS\" (\"SD_ID\", \"INPUT_FORMAT\", \"IS_COMPRESSED\", \"LOCATION\", \"NUM_BUCKETS\","
                        + " \"OUTPUT_FORMAT\", \"IS_STOREDASSUBDIRECTORIES\") SELECT 10000000 + g, '" + MetastoreFixture.PARQUET_IN
                        + "', false, 'hdfs://nn:8020/warehouse/bench.db/big/' || " + name + ", -1, '" + MetastoreFixture.PARQUET_OUT
                        + "', false FROM generate_series(0, " + (PARTITIONS - 1) + ") g");
                s.execute("INSERT INTO \"PARTITIONS\" (\"PART_ID\", \"CREATE_TIME\", \"LAST_ACCESS_TIME\", \"PART_NAME\", \"SD_ID\","
                        + " \"TBL_ID\") SELECT 20000000 + g, 1700000000, 0, " + name + ", 10000000 + g, " + tableId
                        + " FROM generate_series(0, " + (PARTITIONS - 1) + ") g");
                s.execute("INSERT INTO \"PARTITION_KEY_VALS\" (\"PART_ID\", \"PART_KEY_VAL\", \"INTEGER_IDX\")"
                        + " SELECT 20000000 + g, to_char(date '2000-01-01' + g / 10, 'YYYY-MM-DD'), 0 FROM generate_series(0, "
                        + (PARTITIONS - 1) + ") g UNION ALL SELECT 20000000 + g, (g % 10)::text, 1 FROM generate_series(0, "
                        + (PARTITIONS - 1) + ") g");
                s.execute("INSERT INTO \"PARTITION_PARAMS\" (\"PART_ID\", \"PARAM_KEY\", \"PARAM_VALUE\")"
                        + " SELECT 20000000 + g, k.key, CASE k.key WHEN 'numFiles' THEN '4' WHEN 'totalSize' THEN (g * 1000)::text"
                        + " WHEN 'numRows' THEN (g * 10)::text WHEN 'rawDataSize' THEN (g * 3000)::text"
                        + " WHEN 'transient_lastDdlTime' THEN '1700000000'"
                        + " ELSE '{\"BASIC_STATS\":\"true\",\"COLUMN_STATS\":{\"id\":\"true\",\"v\":\"true\"}}' END"
                        + " FROM generate_series(0, " + (PARTITIONS - 1) + ") g CROSS JOIN (VALUES ('numFiles'), ('totalSize'),"
                        + " ('numRows'), ('rawDataSize'), ('transient_lastDdlTime'), ('COLUMN_STATS_ACCURATE')) AS k(key)");
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
        }

        long[] counted = new long[3];
        RecordingSink sink = new RecordingSink() {
            @Override
            public void partitions(CatalogChange.Partitions partitions) {
                counted[0] += partitions.partitions().size();
                counted[1]++;
                counted[2] = Math.max(counted[2], partitions.partitions().size());
            }
        };
        MigrationOptions options = new MigrationOptions("hive", "lake", Set.of(SyncObject.DATABASE, SyncObject.TABLE, SyncObject.PARTITION),
                List.of(new LocationRule("hdfs://nn:8020/warehouse", "s3://lake/warehouse")), null, CatalogChange.Conflict.UPSERT, null);
        CatalogChange.Origin origin = new CatalogChange.Origin("ws", "job", "run", 1, Instant.now());
        MigrationReport report;
        try (Connection c = metastore.connect()) {
            report = new HiveMetastoreMigration(options).run(c, origin, sink, line -> {
            });
        }
        double seconds = report.elapsed().toNanos() / 1e9;
        System.out.printf("HiveMigrationBench: %,d partitions in %,d events (at most %d each) in %.2f s: %,.0f partitions/s%n",
                counted[0], counted[1], counted[2], seconds, counted[0] / seconds);
        assertEquals(PARTITIONS, counted[0]);
        assertEquals(PARTITIONS, report.partitions());
        assertTrue(counted[2] <= CatalogChange.MAX_PARTITIONS_PER_EVENT);
        assertTrue(seconds < 60, "100,000 partitions in " + seconds + " s");
    }
}
