package io.jobplane.api.job.lakeformation;

import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a {@code METADATA_INGEST} job imports a platform's metadata (docs/catalog/treasure-data.md): the
 * {@code mode}, the job id jobs are imported from, and which kinds. Optional: without it a run imports
 * every kind, jobs from the highest id the catalog already holds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetadataIngestParameter(
        @Schema(description = "INITIAL (default) or INCREMENTAL: where jobs are imported from when both a lower_job_id and"
                + " jobs already imported are known") Mode mode,
        @Schema(description = "Import jobs above this id (default: the highest id already imported)") @Min(0) Long lowerJobId,
        @Schema(description = "The kinds to import; default all") @Size(max = 6) List<@NotNull Kind> kinds) {

    public enum Mode {
        INITIAL, INCREMENTAL
    }

    /** The kinds of platform metadata an ingest imports, as their records are filed in the catalog. */
    public enum Kind {
        SCHEDULES, CONNECTIONS, USERS, DATABASES, POLICIES, JOBS;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
