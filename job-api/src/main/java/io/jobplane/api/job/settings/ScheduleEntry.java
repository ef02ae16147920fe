package io.jobplane.api.job.settings;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.jobplane.api.job.settings.Schedule.MisfirePolicy;
import io.jobplane.api.job.settings.Schedule.OverlapPolicy;

/**
 * One of a job's named schedules. The entry named {@value #DEFAULT_NAME} is the job's single
 * {@code schedule}: writing either changes the other, and both read the same.
 */
public record ScheduleEntry(
        @Schema(description = "Unique in the job; 'default' is the job's single `schedule`", example = "nightly")
        @NotBlank @Size(max = 64) @Pattern(regexp = NAME, message = NAME_RULE) String name,
        @Schema(description = "Fire on this cron; default true") Boolean enabled,
        @Schema(description = "Five-field Unix cron, or six fields with a leading seconds field; required", example = "0 2 * * *")
        @Size(max = 255) String cron,
        @Schema(description = "IANA time zone the cron is read in; default UTC", example = "Europe/Berlin") @Size(max = 64) String timezone,
        @Schema(description = "SKIP (default) or RUN_ONCE: ticks missed while no scheduler ran") MisfirePolicy misfirePolicy,
        @Schema(description = "ALLOW (default), SKIP, BUFFER_ONE or CANCEL_OTHER: what a tick does while the job has a run "
                + "that has not ended") OverlapPolicy overlapPolicy) {

    /** The name of the entry that is the job's single {@code schedule}. */
    public static final String DEFAULT_NAME = "default";
    /** Schedules of one job at most, the single {@code schedule} included. */
    public static final int MAX = 20;

    static final String NAME = "[A-Za-z0-9_.-]+";
    static final String NAME_RULE = "may contain letters, digits, '_', '.', '-'";

    /** The job's single schedule as the entry named {@value #DEFAULT_NAME}. */
    static ScheduleEntry of(Schedule s) {
        return new ScheduleEntry(DEFAULT_NAME, s.enabled(), s.cron(), s.timezone(), s.misfirePolicy(), s.overlapPolicy());
    }

    /** This entry as the job's single schedule; an entry is enabled unless it says otherwise. */
    public Schedule asSchedule() {
        return new Schedule(enabled == null || enabled, cron, timezone, misfirePolicy, overlapPolicy);
    }

    boolean isDefault() {
        return DEFAULT_NAME.equals(name);
    }

    ScheduleEntry withDefaults() {
        Schedule s = asSchedule().withDefaults();
        return new ScheduleEntry(name, s.enabled(), s.cron(), s.timezone(), s.misfirePolicy(), s.overlapPolicy());
    }
}
