package io.jobplane.events.payload;

import java.time.Instant;
import java.util.List;

/** A run, or a new attempt of it, was accepted and waits for a worker. Type {@code jobplane.run.queued}. */
public record RunQueued(
        String runId,
        int attempt,
        String workspace,
        String jobId,
        String jobName,
        String trigger,
        List<TaskRef> tasks,
        Instant queuedAt,
        Instant executionDate) {

    /** A task the run will execute. */
    public record TaskRef(String taskId, int index) {
    }
}
