package io.jobplane.api.job.settings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;

import io.jobplane.api.error.ApiException;

/**
 * Every setting of a job, grouped as the API shows them. Stored as JSON with the job; a group
 * sent in an update replaces the stored group, groups left out stay as they are.
 * <p>
 * Schedules: {@code schedule} is the job's schedule named {@value ScheduleEntry#DEFAULT_NAME};
 * {@code schedules} holds its other named schedules as stored (never the default one). Sent,
 * {@code schedules} is the whole list: its {@value ScheduleEntry#DEFAULT_NAME} entry becomes
 * {@code schedule} (none: the job has no single schedule any more) and the others replace the
 * stored ones; {@code schedule} sent alone replaces the default entry and keeps the others. Read
 * ({@link #effective}), {@code schedules} is the whole list, the default entry first when it has a cron.
 */
public record JobSettings(
        @Valid Schedule schedule,
        @Valid Notifications notifications,
        @Valid Execution execution,
        @Valid Replication replication,
        List<@Valid ScheduleEntry> schedules) {

    public static final JobSettings NONE = new JobSettings(null, null, null, null, null);
    /** What {@code schedule} becomes when a sent {@code schedules} list has no default entry. */
    private static final Schedule NO_SCHEDULE = new Schedule(false, null, null, null);

    /**
     * The settings a request sends, as a change: {@code schedule} and {@code schedules} are not
     * sent together, and no two schedules share a name ({@code 400} otherwise).
     */
    public static JobSettings change(Schedule schedule, Notifications notifications, Execution execution,
            Replication replication, List<ScheduleEntry> schedules) {
        if (schedule != null && schedules != null) {
            throw ApiException.badRequest("SCHEDULES_TWICE", "Send either schedule or schedules, not both",
                    "Use schedules for the whole list of named schedules (its entry named 'default' is schedule), "
                            + "or schedule to change only the default one.");
        }
        if (schedules != null) {
            Set<String> names = new HashSet<>();
            for (ScheduleEntry e : schedules) {
                if (e != null && e.name() != null && !names.add(e.name())) {
                    throw ApiException.badRequest("DUPLICATE_SCHEDULE_NAME",
                            "schedules has two entries named '" + e.name() + "'",
                            "Give each schedule of the job its own name.");
                }
            }
        }
        return new JobSettings(schedule, notifications, execution, replication, schedules);
    }

    /** {@code change}'s groups over this one's. */
    public JobSettings with(JobSettings change) {
        Schedule single = change.schedule != null ? change.schedule : schedule;
        List<ScheduleEntry> named = schedules;
        if (change.schedules != null) {
            single = change.schedules.stream().filter(ScheduleEntry::isDefault).findFirst().map(ScheduleEntry::asSchedule)
                    .orElse(schedule == null ? null : NO_SCHEDULE);
            named = change.schedules.stream().filter(e -> !e.isDefault()).toList();
        }
        return new JobSettings(
                single,
                change.notifications != null ? change.notifications : notifications,
                change.execution != null ? change.execution : execution,
                change.replication != null ? change.replication : replication,
                named);
    }

    /** Every group with its defaults filled in; {@code replication} only where it applies. */
    public JobSettings effective(boolean replicates) {
        Schedule single = schedule == null ? Schedule.DEFAULT : schedule.withDefaults();
        List<ScheduleEntry> all = new ArrayList<>();
        if (single.cron() != null) {
            all.add(ScheduleEntry.of(single));
        }
        if (schedules != null) {
            schedules.forEach(e -> all.add(e.withDefaults()));
        }
        return new JobSettings(
                single,
                notifications == null ? Notifications.DEFAULT : notifications.withDefaults(),
                execution == null ? Execution.DEFAULT : execution.withDefaults(),
                !replicates ? null : replication == null ? Replication.DEFAULT : replication.withDefaults(),
                List.copyOf(all));
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
        if (schedules != null) {
            int count = schedules.size() + (schedule != null && schedule.cron() != null && !schedule.cron().isBlank() ? 1 : 0);
            if (count > ScheduleEntry.MAX) {
                throw ApiException.badRequest("TOO_MANY_SCHEDULES", "A job may have " + ScheduleEntry.MAX
                        + " schedules at most; this one would have " + count,
                        "Merge schedules into fewer cron expressions, or split the job.");
            }
            for (int i = 0; i < schedules.size(); i++) {
                ScheduleEntry e = schedules.get(i);
                String field = "schedules[" + i + "]";
                if (e.cron() == null || e.cron().isBlank()) {
                    throw invalid(field + ".cron", "is required (schedule '" + e.name() + "')",
                            "Send a cron expression such as '0 2 * * *', or leave the schedule out of the list.");
                }
                CronExpressions.parse(e.cron());
                if (e.timezone() != null) {
                    CronExpressions.zone(e.timezone());
                }
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
