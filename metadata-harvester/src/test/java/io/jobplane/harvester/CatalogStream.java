package io.jobplane.harvester;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogChange.Column;
import io.jobplane.events.payload.catalog.CatalogChange.Conflict;
import io.jobplane.stack.KafkaAccess;
import io.jobplane.stack.TopicRecorder;

/**
 * A run's catalog changes as the worker's sink sends them: CloudEvents made by job-events' codec, keyed
 * by {@link CatalogChange#key}, each kept as the record it is (so a test can send it again, the same
 * event id, as a redelivery), and the counts of its {@code run.completed}.
 */
final class CatalogStream {

    record Sent(String key, String value, String type) {
    }

    final CatalogChange.Origin origin;
    final List<Sent> events = new ArrayList<>();
    private final Map<String, Long> emitted = new TreeMap<>();

    CatalogStream(String workspace, String runId) {
        this(workspace, runId, 1);
    }

    CatalogStream(String workspace, String runId, int attempt) {
        this.origin = new CatalogChange.Origin(workspace, "job-1", runId, attempt, Instant.parse("2026-11-20T10:00:00Z"));
    }

    CatalogStream database(Conflict conflict, String catalog, String database, String description) {
        return add(EventTypes.CATALOG_DATABASE, CatalogChange.key(origin.workspace(), catalog, database, null),
                new CatalogChange.Database(origin, conflict, catalog, database, description, "s3://lake/" + database, "alice",
                        Map.of("team", "sales")));
    }

    CatalogStream table(Conflict conflict, String catalog, String database, String table, List<Column> columns,
            List<Column> partitionKeys, String location, boolean mergeSchema) {
        return add(EventTypes.CATALOG_TABLE, CatalogChange.key(origin.workspace(), catalog, database, table),
                new CatalogChange.Table(origin, conflict, catalog, database, table, "EXTERNAL_TABLE", location, "PARQUET",
                        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Map.of("serialization.format", "1"),
                        columns, partitionKeys, Map.of("EXTERNAL", "TRUE"), "alice",
                        new CatalogChange.Statistics(3L, 3000L, null), List.of(), mergeSchema));
    }

    /** {@code count} partitions {@code (year, NNNNNN)} from {@code first}, in events of at most 500. */
    CatalogStream partitions(Conflict conflict, String catalog, String database, String table, int first, int count,
            String locationSuffix) {
        List<CatalogChange.Partition> batch = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            String n = String.format("%06d", i);
            batch.add(new CatalogChange.Partition(List.of("2026", n), "s3://lake/" + table + "/year=2026/n=" + n + locationSuffix,
                    Map.of("numFiles", "1"), new CatalogChange.Statistics(1L, (long) i, null)));
            if (batch.size() == CatalogChange.MAX_PARTITIONS_PER_EVENT) {
                partitionEvent(conflict, catalog, database, table, batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            partitionEvent(conflict, catalog, database, table, batch);
        }
        return this;
    }

    private void partitionEvent(Conflict conflict, String catalog, String database, String table,
            List<CatalogChange.Partition> batch) {
        add(EventTypes.CATALOG_PARTITIONS, CatalogChange.key(origin.workspace(), catalog, database, table),
                new CatalogChange.Partitions(origin, conflict, catalog, database, table, List.copyOf(batch)));
    }

    CatalogStream function(Conflict conflict, String catalog, String database, String function, String className) {
        return add(EventTypes.CATALOG_FUNCTION, CatalogChange.key(origin.workspace(), catalog, database, null),
                new CatalogChange.Function(origin, conflict, catalog, database, function, className, "alice", "JAVA",
                        List.of(new CatalogChange.FunctionResource("JAR", "s3://lake/udfs.jar"))));
    }

    CatalogStream records(String source, String kind, String generation, Map<String, String> records) {
        List<CatalogChange.PlatformRecord> list = new ArrayList<>();
        records.forEach((id, json) -> list.add(new CatalogChange.PlatformRecord(id, json)));
        return add(EventTypes.CATALOG_PLATFORM_RECORDS, CatalogChange.key(origin.workspace(), source, kind, null),
                new CatalogChange.PlatformRecords(origin, source, kind, generation, list));
    }

    CatalogStream commit(String source, String kind, String generation, long expected) {
        return add(EventTypes.CATALOG_PLATFORM_COMMITTED, CatalogChange.key(origin.workspace(), source, kind, null),
                new CatalogChange.PlatformCommitted(origin, source, kind, generation, expected));
    }

    /** The run's last event: the counts of everything added so far. */
    CatalogStream completed() {
        return add(EventTypes.CATALOG_RUN_COMPLETED, CatalogChange.key(origin.workspace(), "run", origin.runId(), null),
                new CatalogChange.RunCompleted(origin, Map.copyOf(emitted)));
    }

    private CatalogStream add(String type, String key, Object payload) {
        events.add(new Sent(key, EventCodec.encode(CloudEvent.of("/test/worker", type, key, payload)), type));
        emitted.merge(type, 1L, Long::sum);
        return this;
    }

    /** Sends the events in order, awaiting every acknowledgement. */
    static void send(String bootstrap, String topic, List<Sent> events) {
        TopicRecorder.sendEvents(KafkaAccess.plaintext(bootstrap), KafkaAccess.ADMIN, topic,
                events.stream().map(e -> Map.entry(e.key(), e.value())).toList());
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
