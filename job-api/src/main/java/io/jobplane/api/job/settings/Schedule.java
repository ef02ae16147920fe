package io.jobplane.api.job.settings;

import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * When a job runs by itself (CData {@code Schedule}/{@code Cron}, VDK {@code schedule_cron}). This single
 * schedule is the job's schedule named {@value ScheduleEntry#DEFAULT_NAME} in its {@code schedules} list.
 */
public record Schedule(
        @Schema(description = "Fire the job on its cron schedule; default false") Boolean enabled,
        @Schema(description = "Five-field Unix cron: minute hour day-of-month month day-of-week, e.g. '0 2 * * *'; "
                + "six fields add a leading seconds field, e.g. '*/10 * * * * *'", example = "0 2 * * *") @Size(max = 255) String cron,
        @Schema(description = "IANA time zone the cron is read in; default UTC", example = "Europe/Berlin") @Size(max = 64) String timezone,
        @Schema(description = "Ticks missed while no scheduler ran (late by more than the misfire threshold): SKIP drops "
                + "them, RUN_ONCE makes one run for the latest of them; default SKIP") MisfirePolicy misfirePolicy,
        @Schema(description = "What a tick does while the job has a run that has not ended: ALLOW (default) launches "
                + "anyway, SKIP launches nothing, BUFFER_ONE launches unless a run of the job is already waiting QUEUED, "
                + "CANCEL_OTHER cancels the job's unfinished runs and launches") OverlapPolicy overlapPolicy) {

    static final Schedule DEFAULT = new Schedule(false, null, "UTC", MisfirePolicy.SKIP, OverlapPolicy.ALLOW);

    @JsonCreator
    public Schedule {
    }

    /** A schedule with the default overlap policy. */
    public Schedule(Boolean enabled, String cron, String timezone, MisfirePolicy misfirePolicy) {
        this(enabled, cron, timezone, misfirePolicy, null);
    }

    /** What happens to ticks the scheduler missed. */
    public enum MisfirePolicy {
        SKIP, RUN_ONCE
    }

    /** What a tick does while the job has a run that has not ended. */
    public enum OverlapPolicy {
        /** Launch anyway; the job's and workspace's admission limits still apply. */
        ALLOW,
        /** Launch nothing for the tick. */
        SKIP,
        /** Launch unless a run of the job already waits QUEUED: at most one run waits. */
        BUFFER_ONE,
        /** Cancel the job's unfinished runs, then launch. */
        CANCEL_OTHER
    }

    Schedule withDefaults() {
        return new Schedule(enabled != null && enabled, cron == null || cron.isBlank() ? null : cron.trim(),
                timezone == null ? "UTC" : timezone, misfirePolicy == null ? MisfirePolicy.SKIP : misfirePolicy,
                overlapPolicy == null ? OverlapPolicy.ALLOW : overlapPolicy);
    }

}
