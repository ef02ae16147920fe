package io.jobplane.api.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** What the catalog queries answer (docs/api.md, "Catalog"). Names are as the source last spelt them. */
public final class CatalogViews {

    private CatalogViews() {
    }

    /** A catalog of the workspace and how much it holds. */
    public record CatalogSummary(String name, long databases, long tables, long functions) {
    }

    public record CatalogList(List<CatalogSummary> catalogs) {
    }

    public record DatabaseView(String catalog, String name, String description, String location, String owner,
            JsonNode parameters, long tables, Instant createdAt, Instant updatedAt, String lastRunId) {
    }

    public record DatabasePage(List<DatabaseView> databases, String nextCursor) {
    }

    /** A table in a listing. */
    public record TableSummary(String name, String tableType, String format, String location, int schemaVersion,
            Instant updatedAt) {
    }

    public record TablePage(List<TableSummary> tables, String nextCursor) {
    }

    /** What is known of a table's or a partition's data; each null where unknown. */
    public record Statistics(Long files, Long bytes, Long rows) {
    }

    /** A table with its schema. {@code columns} and {@code partition_keys} are arrays of {name, type, comment}. */
    public record TableView(String catalog, String database, String name, String tableType, String location, String format,
            String inputFormat, String outputFormat, Serde serde, JsonNode columns, JsonNode partitionKeys,
            JsonNode parameters, String owner, Statistics statistics, JsonNode warnings, int schemaVersion,
            long partitionCount, List<SchemaVersion> schemaVersions, Instant createdAt, Instant updatedAt, String lastRunId) {
    }

    public record Serde(String library, JsonNode parameters) {
    }

    /** One schema a table has had. */
    public record SchemaVersion(int version, JsonNode columns, JsonNode partitionKeys, Instant createdAt, String runId) {
    }

    public record SchemaVersionPage(List<SchemaVersion> schemaVersions, String nextCursor) {
    }

    public record PartitionView(List<String> values, Map<String, String> spec, String location, JsonNode parameters,
            Statistics statistics, Instant createdAt, Instant updatedAt) {
    }

    public record PartitionPage(List<PartitionView> partitions, String nextCursor) {
    }

    public record FunctionView(String catalog, String database, String name, String className, String owner,
            String functionType, JsonNode resources, Instant createdAt, Instant updatedAt, String lastRunId) {
    }

    public record FunctionPage(List<FunctionView> functions, String nextCursor) {
    }

    /** A platform record: the platform's JSON object for it, as {@code record}. */
    public record PlatformRecordView(String kind, String source, String id, JsonNode record, Instant createdAt,
            Instant updatedAt, String lastRunId) {
    }

    public record PlatformRecordPage(List<PlatformRecordView> records, String nextCursor) {
    }

    /** One kind's counts in a run's report. */
    public record Counts(long added, long changed, long unchanged, long skipped, long removed) {
    }

    /** How many events of a type the run sent (null until its completion arrived) and how many were applied. */
    public record EventCount(Long emitted, long applied) {
    }

    /**
     * What a run did to the catalog: counts per kind, events per type, and whether the report is
     * complete (the run's completion arrived and every event it counts was applied).
     */
    public record CatalogReport(String runId, Integer attempt, boolean complete, Map<String, Counts> kinds,
            Map<String, EventCount> events) {
    }
}
