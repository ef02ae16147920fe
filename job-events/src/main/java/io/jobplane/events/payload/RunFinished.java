package io.jobplane.events.payload;

import java.time.Instant;

/**
 * A run reached a terminal status. Type {@code jobplane.run.finished}. {@code errorCode} is
 * machine-readable ({@code TASK_FAILED}, {@code WORKER_LOST}, {@code CANCELLED}, …), null on success.
 */
public record RunFinished(
        String runId,
        int attempt,
        String workspace,
        String jobId,
        RunStatus status,
        String errorMessage,
        Instant finishedAt,
        String errorCode,
        String workerId) {
}
