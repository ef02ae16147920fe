package io.jobplane.api.job.settings;

import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** When a job runs by itself (CData {@code Schedule}/{@code Cron}, VDK {@code schedule_cron}). */
public record Schedule(
        @Schema(description = "Fire the job on its cron schedule; default false") Boolean enabled,
        @Schema(description = "Five-field Unix cron: minute hour day-of-month month day-of-week, e.g. '0 2 * * *'; "
                + "six fields add a leading seconds field, e.g. '*/10 * * * * *'", example = "0 2 * * *") @Size(max = 255) String cron,
        @Schema(description = "IANA time zone the cron is read in; default UTC", example = "Europe/Berlin") @Size(max = 64) String timezone,
        @Schema(description = "Ticks missed while no scheduler ran (late by more than the misfire threshold): SKIP drops "
                + "them, RUN_ONCE makes one run for the latest of them; default SKIP") MisfirePolicy misfirePolicy) {

    static final Schedule DEFAULT = new Schedule(false, null, "UTC", MisfirePolicy.SKIP);

    /** What happens to ticks the scheduler missed. */
    public enum MisfirePolicy {
        SKIP, RUN_ONCE
    }

    Schedule withDefaults() {
        return new Schedule(enabled != null && enabled, cron == null || cron.isBlank() ? null : cron.trim(),
                timezone == null ? "UTC" : timezone, misfirePolicy == null ? MisfirePolicy.SKIP : misfirePolicy);
    }

}
