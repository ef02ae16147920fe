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
        @Min(Execution.MIN_PRIORITY) @Max(Execution.MAX_PRIORITY) Integer priority,
        @Schema(description = "Tags of the run, key to value, to find it again (GET .../runs?tag=key:value): at most 20,"
                + " keys of 1 to 63 letters, digits, '_', '.', '-', values of at most 256 characters")
        @Size(max = RunTags.MAX_TAGS, message = "must hold at most " + RunTags.MAX_TAGS + " tags")
        Map<@Pattern(regexp = RunTags.KEY, message = RunTags.KEY_RULE) String,
                @NotNull @Size(max = RunTags.MAX_VALUE, message = "must be at most " + RunTags.MAX_VALUE + " characters")
                @Pattern(regexp = RunTags.VALUE, message = RunTags.VALUE_RULE) String> tags) {

    public static final LaunchRequest NONE = new LaunchRequest(null, null, null);

    /** Options without a priority or tags. */
    public LaunchRequest(List<UUID> tasks, Map<String, String> parameters, Instant executionDate) {
        this(tasks, parameters, executionDate, null, null);
    }
}
