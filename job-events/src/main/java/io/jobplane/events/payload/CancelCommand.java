package io.jobplane.events.payload;

import java.time.Instant;

/** Asks whichever worker runs {@code runId} to stop it. Type {@code jobplane.command.cancel}. */
public record CancelCommand(String runId, String workspace, Instant requestedAt) {
}
