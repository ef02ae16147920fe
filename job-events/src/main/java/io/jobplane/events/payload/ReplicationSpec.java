package io.jobplane.events.payload;

import java.time.LocalDate;

/**
 * How a replicating run ({@code STANDARD}, {@code SYNC_ALL}) copies tables, from the job's
 * {@code replication} settings with their defaults filled in: where destination tables go
 * ({@code destinationSchema}, null: the destination connection's current schema;
 * {@code tableNamePrefix}), what happens to them first ({@code dropTable}, {@code truncateTableData}),
 * how differences are met ({@code alterSchema}, {@code autoTruncateStrings}), what rows deleted at
 * the source do ({@code deletionBehavior}: {@code HARD_DELETE}, {@code SOFT_DELETE},
 * {@code SKIP_DELETE}), and where incremental replication starts and how it is sliced
 * ({@code replicateStartDate}, {@code replicateInterval} of {@code replicateIntervalUnit}).
 * {@code batchSize} is the number of rows sent to the destination in one write (at most 8 MiB).
 */
public record ReplicationSpec(
        String destinationSchema,
        String tableNamePrefix,
        boolean dropTable,
        boolean truncateTableData,
        boolean alterSchema,
        boolean autoTruncateStrings,
        String deletionBehavior,
        LocalDate replicateStartDate,
        Integer replicateInterval,
        String replicateIntervalUnit,
        int batchSize,
        boolean useGmtDatetime) {

    public static final ReplicationSpec DEFAULT = new ReplicationSpec(null, "", false, false, false, false, "HARD_DELETE",
            null, null, null, 1000, false);
}
