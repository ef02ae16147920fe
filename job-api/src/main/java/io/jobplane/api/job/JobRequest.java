package io.jobplane.api.job;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.jobplane.api.job.lakeformation.JobParameter;
import io.jobplane.api.job.settings.Execution;
import io.jobplane.api.job.settings.JobSettings;
import io.jobplane.api.job.settings.Notifications;
import io.jobplane.api.job.settings.Replication;
import io.jobplane.api.job.settings.Schedule;
import io.jobplane.api.job.settings.ScheduleEntry;

/**
 * A job as a client creates it. Which connections it takes depends on {@code type} (see
 * docs/api.md); {@code replication} applies to types that copy tables, {@code parameter} to the
 * LakeFormation types. Tasks come as {@code tasks} or, CData-style, as plain {@code queries}.
 */
public record JobRequest(
        @NotBlank @Size(max = 255) @Pattern(regexp = NAME, message = NAME_RULE) String name,
        @NotNull JobType type,
        @Size(max = 4000) String description,
        @Size(max = 50) List<@NotNull @Pattern(regexp = LABEL, message = LABEL_RULE) String> labels,
        JobStatus status,
        UUID sourceConnectionId,
        UUID destinationConnectionId,
        @Schema(description = "Id of the pipeline the job belongs to") @Size(max = 255) @Pattern(regexp = NAME, message = NAME_RULE) String pipelineId,
        @Schema(description = "Go on with the next task when one fails; default false") Boolean continueOnError,
        @Valid Schedule schedule,
        @Valid Notifications notifications,
        @Valid Execution execution,
        @Valid Replication replication,
        @Valid JobParameter parameter,
        @Schema(description = "The job's name in Tailer's DAG API (optional)") @Valid TailerIdentity tailer,
        @Size(max = 1000) List<@Valid @NotNull TaskRequest> tasks,
        @Schema(description = "Tasks as plain statements, all active (CData's Queries); use either this or tasks") @Size(max = 1000) List<@NotBlank @Size(max = 1_000_000) @TemplatedSql String> queries,
        @Schema(description = "The job's named schedules (at most " + ScheduleEntry.MAX + "), each firing on its own cron; "
                + "the entry named 'default' is the single schedule. Use either this or schedule")
        @Size(max = ScheduleEntry.MAX) List<@Valid @NotNull ScheduleEntry> schedules) {

    static final String NAME = "[A-Za-z0-9_.-]+";
    static final String NAME_RULE = "may contain letters, digits, '_', '.', '-'";
    static final String LABEL = "[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?";
    static final String LABEL_RULE = "must be 1 to 63 lower-case letters, digits, '_', '.', '-', starting and ending alphanumeric";

    /** One task: a statement run on the job's connection. */
    public record TaskRequest(@NotBlank @Size(max = 1_000_000) @TemplatedSql String query, Boolean isActive) {
    }

    JobSettings settings() {
        return JobSettings.NONE.with(JobSettings.change(schedule, notifications, execution, replication, schedules));
    }

    /** The tasks, from whichever of {@code tasks} and {@code queries} was sent. */
    List<TaskRequest> taskList() {
        if (tasks != null && queries != null) {
            throw io.jobplane.api.error.ApiException.badRequest("TASKS_TWICE", "Send either tasks or queries, not both",
                    "Use tasks for statements with is_active flags, queries for plain statements.");
        }
        if (queries != null) {
            return queries.stream().map(q -> new TaskRequest(q, true)).toList();
        }
        return tasks == null ? List.of() : tasks;
    }
}
