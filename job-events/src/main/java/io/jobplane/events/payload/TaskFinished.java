package io.jobplane.events.payload;

import java.time.Instant;

/**
 * A task of a run ended. Type {@code jobplane.task.finished}. {@code rowsAffected} is null when
 * the statement reports no count; {@code errorMessage} carries the target system's own text.
 */
public record TaskFinished(
        String runId,
        int attempt,
        String workspace,
        String taskId,
        int index,
        TaskStatus status,
        Long rowsAffected,
        String errorMessage,
        Instant finishedAt) {
}
