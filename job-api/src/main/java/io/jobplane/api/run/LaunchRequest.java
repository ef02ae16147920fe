package io.jobplane.api.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.jobplane.api.job.settings.Execution;

/** Options of a launch; every field is optional, and so is the body. */
public record LaunchRequest(
        @Schema(description = "Run only these tasks, in the job's order (CData's Execute tasks); inactive ones too. Absent: the active tasks")
        @Size(min = 1, max = 1000) List<@NotNull UUID> tasks,
        @Schema(description = "Values the tasks can use, name to value")
        @Size(max = 100) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,63}", message = "must be an identifier of at most 64 characters") String, @NotNull @Size(max = 4096) String> parameters,
        @Schema(description = "The logical date the run processes (RFC 3339); default: the launch time")
        Instant executionDate,
        @Schema(description = "Admission takes higher priorities first (-100 to 100); default: the job's execution.priority, else 0")
        @Min(Execution.MIN_PRIORITY) @Max(Execution.MAX_PRIORITY) Integer priority) {

    public static final LaunchRequest NONE = new LaunchRequest(null, null, null);

    /** Options without a priority. */
    public LaunchRequest(List<UUID> tasks, Map<String, String> parameters, Instant executionDate) {
        this(tasks, parameters, executionDate, null);
    }
}
