package io.jobplane.events.payload;

import java.time.Instant;

/** A worker began executing a run. Type {@code jobplane.run.started}. */
public record RunStarted(String runId, int attempt, String workspace, String jobId, String workerId, Instant startedAt) {
}
