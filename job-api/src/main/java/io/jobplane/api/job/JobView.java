package io.jobplane.api.job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jobplane.api.job.lakeformation.JobParameter;
import io.jobplane.api.job.settings.Execution;
import io.jobplane.api.job.settings.JobSettings;
import io.jobplane.api.job.settings.Notifications;
import io.jobplane.api.job.settings.Replication;
import io.jobplane.api.job.settings.Schedule;
import io.jobplane.api.job.settings.ScheduleEntry;
import io.jobplane.api.schedule.Schedules;

/**
 * A job as the API shows it: every setting with its effective value (defaults filled in), and the
 * names of the secrets it holds, never their values.
 */
public record JobView(
        UUID jobId,
        String workspace,
        String name,
        JobType type,
        String description,
        List<String> labels,
        JobStatus status,
        UUID sourceConnectionId,
        UUID destinationConnectionId,
        String pipelineId,
        boolean continueOnError,
        Schedule schedule,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Every schedule of the job with its effective "
                + "values: the single schedule as the entry named 'default' (first, when it has a cron), then the named ones")
        List<ScheduleEntry> schedules,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "The next times the schedule fires (up to "
                + Schedules.SHOWN + "); empty unless the job is ACTIVE with an enabled schedule") List<Instant> nextFireTimes,
        Notifications notifications,
        Execution execution,
        @JsonInclude(JsonInclude.Include.NON_NULL) Replication replication,
        @JsonInclude(JsonInclude.Include.NON_NULL) JobParameter parameter,
        @JsonInclude(JsonInclude.Include.NON_NULL) TailerIdentity tailer,
        List<String> secretsSet,
        List<TaskView> tasks,
        Instant createdAt,
        Instant updatedAt,
        int version) {

    /** A task as the API shows it. */
    public record TaskView(UUID taskId, int index, String query, boolean isActive) {
        static TaskView of(TaskEntity t) {
            return new TaskView(t.id, t.index, t.query, t.active);
        }
    }

    static JobView of(JobEntity j, List<TaskEntity> tasks) {
        JobSettings s = j.settings().effective(j.type.replicates());
        return new JobView(j.id, j.workspace, j.name, j.type, j.description,
                j.labels == null ? List.of() : List.of(j.labels), j.status, j.sourceConnectionId,
                j.destinationConnectionId, j.pipelineId, j.continueOnError, s.schedule(), s.schedules(), Schedules.upcoming(j), s.notifications(),
                s.execution(), s.replication(), j.parameter(), j.tailer(), j.sealed().names(),
                tasks.stream().map(TaskView::of).toList(), j.createdAt, j.updatedAt, j.version);
    }

    /** One page of a job listing; {@code next_cursor} fetches the next, absent on the last page. */
    public record Page(List<JobView> jobs, String nextCursor) {
    }
}
