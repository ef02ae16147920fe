package io.jobplane.events.payload;

import java.time.Instant;

/** A cancel was requested for a run a worker holds; it ends STOPPED. Type {@code jobplane.run.cancelling}. */
public record RunCancelling(String runId, int attempt, String workspace, String jobId, String requestedBy,
        Instant requestedAt) {
}
