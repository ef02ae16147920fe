package io.jobplane.events.payload;

import java.time.Instant;

/**
 * How far a running task has got. Type {@code jobplane.task.progress}. {@code rowsProcessed} and
 * {@code bytesProcessed} count from the start of the task's current try and only grow within it;
 * a task sends one before it finishes, so the last one of a task says what it moved in all.
 */
public record TaskProgress(
        String runId,
        int attempt,
        String workspace,
        String taskId,
        int index,
        long rowsProcessed,
        long bytesProcessed,
        Instant at) {
}
