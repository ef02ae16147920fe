package io.jobplane.worker.catalog.hive;

import java.time.Duration;
import java.util.List;

/**
 * What a migration did.
 *
 * @param schemaVersion the metastore's schema version (its VERSION table)
 * @param databases databases emitted (or, without DATABASE in sync_objects, read)
 * @param tables tables and views emitted
 * @param partitions partitions emitted
 * @param partitionEvents partition batches emitted
 * @param functions functions emitted
 * @param skipped objects skipped as malformed or over a bound (each with a warning)
 * @param warningCount every warning of the run, including the ones not kept
 * @param warnings the first {@link Limits#maxWarnings()} warnings
 * @param stoppedBy null when the whole catalog was read, else the run-wide bound that stopped it
 * @param elapsed how long the run took
 */
public record MigrationReport(String schemaVersion, long databases, long tables, long partitions, long partitionEvents,
        long functions, long skipped, long warningCount, List<String> warnings, String stoppedBy, Duration elapsed) {

    public MigrationReport {
        warnings = List.copyOf(warnings);
    }

    /** True when the whole source catalog was read (no run-wide bound was reached). */
    public boolean complete() {
        return stoppedBy == null;
    }
}
