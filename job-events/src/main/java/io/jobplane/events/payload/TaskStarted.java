package io.jobplane.events.payload;

import java.time.Instant;

/** A task of a run began. Type {@code jobplane.task.started}. */
public record TaskStarted(String runId, int attempt, String workspace, String taskId, int index, Instant startedAt) {
}
