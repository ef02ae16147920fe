package io.jobplane.events.payload;

import java.time.Instant;
import java.util.List;

/** A run was accepted. Type {@code jobplane.run.queued}. */
public record RunQueued(
        String runId,
        int attempt,
        String workspace,
        String jobId,
        String jobName,
        String trigger,
        List<TaskRef> tasks,
        Instant queuedAt) {

    /** A task the run will execute. */
    public record TaskRef(String taskId, int index) {
    }
}
