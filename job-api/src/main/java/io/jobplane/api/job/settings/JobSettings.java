package io.jobplane.api.job.settings;

import jakarta.validation.Valid;

import io.jobplane.api.error.ApiException;

/**
 * Every setting of a job, grouped as the API shows them. Stored as JSON with the job; a group
 * sent in an update replaces the stored group, groups left out stay as they are.
 */
public record JobSettings(
        @Valid Schedule schedule,
        @Valid Notifications notifications,
        @Valid Execution execution,
        @Valid Replication replication) {

    public static final JobSettings NONE = new JobSettings(null, null, null, null);

    /** {@code change}'s groups over this one's. */
    public JobSettings with(JobSettings change) {
        return new JobSettings(
                change.schedule != null ? change.schedule : schedule,
                change.notifications != null ? change.notifications : notifications,
                change.execution != null ? change.execution : execution,
                change.replication != null ? change.replication : replication);
    }

    /** Every group with its defaults filled in; {@code replication} only where it applies. */
    public JobSettings effective(boolean replicates) {
        return new JobSettings(
                schedule == null ? Schedule.DEFAULT : schedule.withDefaults(),
                notifications == null ? Notifications.DEFAULT : notifications.withDefaults(),
                execution == null ? Execution.DEFAULT : execution.withDefaults(),
                !replicates ? null : replication == null ? Replication.DEFAULT : replication.withDefaults());
    }

    /**
     * The rules that span fields. {@code replicates} says whether the job's type copies tables,
     * {@code captures} whether it is change data capture.
     */
    public void check(String typeName, boolean replicates, boolean captures) {
        if (schedule != null) {
            if (schedule.cron() != null && !schedule.cron().isBlank()) {
                CronExpressions.parse(schedule.cron());
            } else if (Boolean.TRUE.equals(schedule.enabled())) {
                throw invalid("schedule.cron", "is required when schedule.enabled is true",
                        "Send a cron expression such as '0 2 * * *', or set enabled to false.");
            }
            if (schedule.timezone() != null) {
                CronExpressions.zone(schedule.timezone());
            }
        }
        if (notifications != null && Boolean.TRUE.equals(notifications.sendEmail())
                && (notifications.emailTo() == null || notifications.emailTo().isEmpty())) {
            throw invalid("notifications.email_to", "needs at least one address when send_email is true",
                    "Add the addresses to e-mail, or set send_email to false.");
        }
        if (execution != null && execution.poolSlots() != null && execution.pool() == null) {
            throw invalid("execution.pool_slots", "needs execution.pool", "Name the pool the slots are taken of, or leave out pool_slots.");
        }
        if (replication != null) {
            if (!replicates) {
                throw ApiException.badRequest("SETTING_NOT_APPLICABLE",
                        "replication settings do not apply to " + typeName + " jobs",
                        "Leave out 'replication'; it applies to STANDARD, SYNC_ALL, LOAD_FOLDER, CHANGE_DATA_CAPTURE and REVERSE_ETL jobs.");
            }
            if ((replication.replicateInterval() == null) != (replication.replicateIntervalUnit() == null)) {
                throw invalid("replication.replicate_interval", "and replicate_interval_unit go together",
                        "Send both (e.g. 1 and DAYS) or neither.");
            }
            if (replication.cdcEngineSettings() != null && !captures) {
                throw ApiException.badRequest("SETTING_NOT_APPLICABLE",
                        "replication.cdc_engine_settings apply only to CHANGE_DATA_CAPTURE jobs",
                        "Leave out cdc_engine_settings, or make the job a CHANGE_DATA_CAPTURE job.");
            }
        }
    }

    private static ApiException invalid(String field, String problem, String fix) {
        return ApiException.badRequest("INVALID_SETTING", field + " " + problem, fix);
    }
}
