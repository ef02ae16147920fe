package io.jobplane.api.job.settings;

import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** When a job runs by itself (CData {@code Schedule}/{@code Cron}). */
public record Schedule(
        @Schema(description = "Fire the job on its cron schedule; default false") Boolean enabled,
        @Schema(description = "Five-field Unix cron: minute hour day-of-month month day-of-week, e.g. '0 2 * * *'", example = "0 2 * * *") @Size(max = 255) String cron,
        @Schema(description = "IANA time zone the cron is read in; default UTC", example = "Europe/Berlin") @Size(max = 64) String timezone) {

    static final Schedule DEFAULT = new Schedule(false, null, "UTC");

    Schedule withDefaults() {
        return new Schedule(enabled != null && enabled, cron == null || cron.isBlank() ? null : cron.trim(),
                timezone == null ? "UTC" : timezone);
    }
}
