package io.jobplane.events.payload;

import java.time.Instant;

/**
 * Asks whichever worker holds {@code runId} to stop it. Type {@code jobplane.command.cancel}.
 * Sent on {@code jobplane.commands} (after the launch, same partition) and on
 * {@code jobplane.control}, which every worker reads, so it reaches the run wherever it is. With
 * {@code workerId} set, only that worker stops its copy: job-api fences a second worker that took
 * the same attempt.
 */
public record CancelCommand(String runId, String workspace, Instant requestedAt, Integer attempt, String requestedBy,
        String workerId) {
}
