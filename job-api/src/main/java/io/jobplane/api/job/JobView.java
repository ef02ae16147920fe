package io.jobplane.api.job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as the API shows it. */
public record JobView(
        UUID jobId,
        String workspace,
        String name,
        JobType type,
        UUID destinationConnectionId,
        boolean continueOnError,
        JobStatus status,
        String description,
        List<String> labels,
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
        return new JobView(j.id, j.workspace, j.name, j.type, j.destinationConnectionId, j.continueOnError, j.status,
                j.description, j.labels == null ? List.of() : List.of(j.labels),
                tasks.stream().map(TaskView::of).toList(), j.createdAt, j.updatedAt, j.version);
    }

    /** One page of a job listing; {@code next_cursor} fetches the next, absent on the last page. */
    public record Page(List<JobView> jobs, String nextCursor) {
    }
}
