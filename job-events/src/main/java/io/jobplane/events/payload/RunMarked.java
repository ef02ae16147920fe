package io.jobplane.events.payload;

import java.time.Instant;

/**
 * An operator set an ended run's status, with a reason: the status stands from now on, whatever the
 * run ended with. Type {@code jobplane.run.marked}.
 */
public record RunMarked(String runId, int attempt, String workspace, String jobId, RunStatus status,
        String previousStatus, String reason, String markedBy, Instant markedAt) {
}
