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
        String status,
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
                tasks.stream().map(TaskView::of).toList(), j.createdAt, j.updatedAt, j.version);
    }
}
