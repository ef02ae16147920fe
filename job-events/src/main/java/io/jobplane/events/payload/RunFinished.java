package io.jobplane.events.payload;

import java.time.Instant;

/** A run reached a terminal status. Type {@code jobplane.run.finished}. */
public record RunFinished(
        String runId,
        int attempt,
        String workspace,
        String jobId,
        RunStatus status,
        String errorMessage,
        Instant finishedAt) {
}
