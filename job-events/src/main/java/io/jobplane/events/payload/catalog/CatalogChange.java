package io.jobplane.events.payload.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The catalog changes a discovery, migration or ingest run emits on {@code jobplane.catalog-changes}
 * and metadata-harvester materialises into its {@code catalog} schema (docs/events.md). Every change
 * carries the whole state of what it names (never a delta), so applying one twice, or again after a
 * restart, changes nothing. Each names the run that observed it ({@link Origin}) and how it meets what
 * the catalog already holds ({@link Conflict}). Names are as the source spells them; the harvester
 * compares catalog, database, table and function names ignoring case, as Hive does.
 */
public final class CatalogChange {

    private CatalogChange() {
    }

    /** How a change meets an object the catalog already holds: LakeFormation's conflict_strategy. */
    public enum Conflict {
        /** Create it when absent; leave an existing one as it is. */
        INSERT,
        /** Change it when present; create nothing. */
        UPDATE,
        /** Create or change it. */
        UPSERT
    }

    /** The run that observed a change: its workspace, job, run id and attempt. */
    public record Origin(String workspace, String jobId, String runId, int attempt, Instant observedAt) {
    }

    /** A column or a partition key: its name, type in Hive's type syntax ({@code array<struct<a:int>>}) and comment. */
    public record Column(String name, String type, String comment) {
    }

    /** What is known of the data: files, bytes, rows; null where unknown. */
    public record Statistics(Long files, Long bytes, Long rows) {
    }

    /** A database (Hive's schema) of a catalog. Event {@code jobplane.catalog.database.upserted}. */
    public record Database(Origin origin, Conflict conflict, String catalog, String database, String description,
            String location, String owner, Map<String, String> parameters) {
    }

    /**
     * A table with its schema. {@code tableType} is {@code MANAGED_TABLE}, {@code EXTERNAL_TABLE} or
     * {@code VIRTUAL_VIEW}; {@code format} a short name ({@code PARQUET}, {@code ORC}, {@code AVRO},
     * {@code CSV}, {@code JSON}, or the Hive input format's when it is none of them). With
     * {@code mergeSchema} true (an incremental discovery that read only the files changed since its last
     * scan) the columns widen the table's stored columns by {@link CatalogTypes#mergeColumns} instead of
     * replacing them. Event {@code jobplane.catalog.table.upserted}.
     */
    public record Table(Origin origin, Conflict conflict, String catalog, String database, String table, String tableType,
            String location, String format, String inputFormat, String outputFormat, String serdeLibrary,
            Map<String, String> serdeParameters, List<Column> columns, List<Column> partitionKeys,
            Map<String, String> parameters, String owner, Statistics statistics, List<String> warnings,
            boolean mergeSchema) {
    }

    /** One partition: its values in the order of the table's partition keys. */
    public record Partition(List<String> values, String location, Map<String, String> parameters, Statistics statistics) {
    }

    /**
     * A batch of one table's partitions (at most {@link #MAX_PARTITIONS_PER_EVENT}); the table's own
     * event comes first in the same key's order. Event {@code jobplane.catalog.partitions.upserted}.
     */
    public record Partitions(Origin origin, Conflict conflict, String catalog, String database, String table,
            List<Partition> partitions) {
    }

    /** A resource a function needs: {@code JAR}, {@code FILE} or {@code ARCHIVE}, and its URI. */
    public record FunctionResource(String type, String uri) {
    }

    /** A user-defined function. Event {@code jobplane.catalog.function.upserted}. */
    public record Function(Origin origin, Conflict conflict, String catalog, String database, String function,
            String className, String owner, String functionType, List<FunctionResource> resources) {
    }

    /**
     * Records of a platform's own metadata (jobs, schedules, connections, users, databases, policies…)
     * read by an ingest run from the connection {@code source}: each record is the platform's JSON object
     * for it, under its id. With a {@code generation}, the records are staged, and become the kind's
     * whole content only when {@link PlatformCommitted} of that generation arrives (a replace that
     * readers see happen at once); without one they are upserted as they come. Event
     * {@code jobplane.catalog.platform.records}.
     */
    public record PlatformRecords(Origin origin, String source, String kind, String generation,
            List<PlatformRecord> records) {
    }

    /** One platform record: its id on the platform and its JSON text. */
    public record PlatformRecord(String id, String json) {
    }

    /**
     * Closes a replace: the {@code expectedRecords} staged under {@code generation} become the kind's
     * whole content for the source, atomically, once all have arrived. Event
     * {@code jobplane.catalog.platform.committed}.
     */
    public record PlatformCommitted(Origin origin, String source, String kind, String generation, long expectedRecords) {
    }

    /**
     * The last change of a run: how many changes of each event type it emitted, so the harvester knows
     * when its report (added, changed, unchanged) is complete. Event {@code jobplane.catalog.run.completed}.
     */
    public record RunCompleted(Origin origin, Map<String, Long> emitted) {
    }

    /** Partitions in one event at most (an event stays far below Kafka's record bound). */
    public static final int MAX_PARTITIONS_PER_EVENT = 500;
    /** Platform records in one event at most. */
    public static final int MAX_PLATFORM_RECORDS_PER_EVENT = 200;

    /** The Kafka key of a change: one table's changes (its partitions too) stay in order. */
    public static String key(String workspace, String catalog, String database, String table) {
        StringBuilder key = new StringBuilder(workspace).append('/').append(catalog.toLowerCase());
        if (database != null) {
            key.append('/').append(database.toLowerCase());
        }
        if (table != null) {
            key.append('/').append(table.toLowerCase());
        }
        return key.toString();
    }
}
