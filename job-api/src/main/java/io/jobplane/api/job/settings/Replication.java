package io.jobplane.api.job.settings;

import java.time.LocalDate;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How tables are replicated: CData's {@code Destination_Schema}, {@code Table_Name_Prefix},
 * {@code Use_GMT_DateTime}, {@code History_Mode}, {@code Truncate_Table_Data}, {@code Drop_Table},
 * {@code Auto_Truncate_Strings}, {@code Deletion_Behavior}, {@code Alter_Schema},
 * {@code Replicate_Interval}/{@code _Unit}/{@code Replicate_Start_Date}, {@code Batch_Size} and
 * {@code CDC_Engine_Settings}.
 */
public record Replication(
        @Size(max = 63) @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_RULE) String destinationSchema,
        @Size(max = 63) @Pattern(regexp = PREFIX, message = PREFIX_RULE) String tableNamePrefix,
        @Schema(description = "Synchronise datetimes in GMT/UTC rather than local time") Boolean useGmtDatetime,
        @Schema(description = "Keep every version of a row instead of the latest") Boolean historyMode,
        @Schema(description = "Delete all destination rows before each run") Boolean truncateTableData,
        @Schema(description = "Drop the destination table before each run") Boolean dropTable,
        @Schema(description = "Cut strings that are too long for the destination column") Boolean autoTruncateStrings,
        DeletionBehavior deletionBehavior,
        @Schema(description = "Add columns and widen types when source and destination differ") Boolean alterSchema,
        @Schema(description = "Split incremental replication into slices of this many units") @Min(1) @Max(100_000) Integer replicateInterval,
        IntervalUnit replicateIntervalUnit,
        @Schema(description = "Earliest date replicated, yyyy-MM-dd") LocalDate replicateStartDate,
        @Schema(description = "Rows per batch; default 1000") @Min(1) @Max(1_000_000) Integer batchSize,
        @Valid CdcEngineSettings cdcEngineSettings) {

    static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_$]*";
    static final String IDENTIFIER_RULE = "must be an identifier: a letter or '_', then letters, digits, '_' or '$'";
    static final String PREFIX = "[A-Za-z0-9_]*";
    static final String PREFIX_RULE = "may contain letters, digits and '_'";

    static final Replication DEFAULT = new Replication(null, "", false, false, false, false, false,
            DeletionBehavior.HARD_DELETE, false, null, null, null, 1000, null);

    Replication withDefaults() {
        return new Replication(destinationSchema, tableNamePrefix == null ? "" : tableNamePrefix, is(useGmtDatetime),
                is(historyMode), is(truncateTableData), is(dropTable), is(autoTruncateStrings),
                deletionBehavior == null ? DeletionBehavior.HARD_DELETE : deletionBehavior, is(alterSchema),
                replicateInterval, replicateIntervalUnit, replicateStartDate, batchSize == null ? 1000 : batchSize,
                cdcEngineSettings);
    }

    private static boolean is(Boolean b) {
        return b != null && b;
    }
}
