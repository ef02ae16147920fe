package io.jobplane.api.quota;

import java.util.function.BinaryOperator;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.jobplane.api.config.QuotasConfig;

/**
 * A workspace's quotas. As a workspace setting each field is optional (absent: the deployment's
 * value); {@link #within} makes the effective quotas, where a workspace may only tighten the
 * deployment's: lower maxima, a longer minimum schedule interval.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuotaLimits(
        @Schema(description = "Tasks one job may hold") @Min(1) @Max(100000) Integer maxTasksPerJob,
        @Schema(description = "Shortest time between two ticks of a job's cron schedule, seconds") @Min(1) @Max(31_622_400) Integer minScheduleIntervalSeconds,
        @Schema(description = "Runs one backfill may make") @Min(1) @Max(1_000_000) Integer maxBackfillRuns,
        @Schema(description = "Step package versions kept per job") @Min(1) @Max(10000) Integer packageVersionsKept,
        @Schema(description = "Launches per minute (steady rate)") @Min(1) @Max(1_000_000) Integer launchesPerMinute,
        @Schema(description = "Launches at once above the steady rate") @Min(1) @Max(1_000_000) Integer launchBurst) {

    public static final QuotaLimits NONE = new QuotaLimits(null, null, null, null, null, null);

    /** The deployment's quotas. */
    public static QuotaLimits of(QuotasConfig config) {
        return new QuotaLimits(config.maxTasksPerJob(), (int) Math.max(1, config.minScheduleInterval().toSeconds()),
                config.maxBackfillRuns(), config.packageVersionsKept(), config.launchesPerMinute(), config.launchBurst());
    }

    /**
     * The effective quotas of a workspace that sets {@code own} under these (the deployment's, every
     * field set): each field the tighter of the two.
     */
    public QuotaLimits within(QuotaLimits own) {
        if (own == null) {
            return this;
        }
        return new QuotaLimits(tighter(maxTasksPerJob, own.maxTasksPerJob, Math::min),
                tighter(minScheduleIntervalSeconds, own.minScheduleIntervalSeconds, Math::max),
                tighter(maxBackfillRuns, own.maxBackfillRuns, Math::min),
                tighter(packageVersionsKept, own.packageVersionsKept, Math::min),
                tighter(launchesPerMinute, own.launchesPerMinute, Math::min),
                tighter(launchBurst, own.launchBurst, Math::min));
    }

    @JsonIgnore
    public boolean isEmpty() {
        return equals(NONE);
    }

    private static Integer tighter(Integer deployment, Integer own, BinaryOperator<Integer> pick) {
        return own == null ? deployment : deployment == null ? own : pick.apply(deployment, own);
    }
}
