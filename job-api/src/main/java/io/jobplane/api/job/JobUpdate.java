package io.jobplane.api.job;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.jobplane.api.job.lakeformation.JobParameter;
import io.jobplane.api.job.settings.Execution;
import io.jobplane.api.job.settings.JobSettings;
import io.jobplane.api.job.settings.Notifications;
import io.jobplane.api.job.settings.Replication;
import io.jobplane.api.job.settings.Schedule;
import io.jobplane.api.job.settings.ScheduleEntry;

/**
 * A change to a job: fields left out keep their value; a settings group or {@code parameter}
 * that is sent replaces the stored one (an empty secret in it keeps the stored secret). The type
 * cannot change; tasks change through the task endpoints.
 */
public record JobUpdate(
        @Size(min = 1, max = 255) @Pattern(regexp = JobRequest.NAME, message = JobRequest.NAME_RULE) String name,
        @Size(max = 4000) String description,
        @Size(max = 50) List<@NotNull @Pattern(regexp = JobRequest.LABEL, message = JobRequest.LABEL_RULE) String> labels,
        JobStatus status,
        UUID sourceConnectionId,
        UUID destinationConnectionId,
        @Size(max = 255) @Pattern(regexp = JobRequest.NAME, message = JobRequest.NAME_RULE) String pipelineId,
        Boolean continueOnError,
        @Valid Schedule schedule,
        @Valid Notifications notifications,
        @Valid Execution execution,
        @Valid Replication replication,
        @Valid JobParameter parameter,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Sets (replaces) the job's Tailer identity")
        @Valid TailerIdentity tailer,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Replaces the job's whole list of named "
                + "schedules (its entry named 'default' is schedule); use either this or schedule")
        @Size(max = ScheduleEntry.MAX) List<@Valid @NotNull ScheduleEntry> schedules) {

    JobSettings settings() {
        return JobSettings.change(schedule, notifications, execution, replication, schedules);
    }

    /** True when the update changes nothing but the status. */
    boolean onlyStatus() {
        return schedule == null && schedules == null && tailer == null && onlyScheduling();
    }

    /**
     * True when the update changes nothing but when the job runs (status, schedule), which leaves
     * runs in progress alone and so is allowed even while the job runs.
     */
    boolean onlyScheduling() {
        return name == null && description == null && labels == null && sourceConnectionId == null
                && destinationConnectionId == null && pipelineId == null && continueOnError == null
                && notifications == null && execution == null && replication == null && parameter == null;
    }
}
