package io.jobplane.events.payload;

import java.time.Instant;

/**
 * A worker still holds a run attempt. Type {@code jobplane.run.heartbeat}. Sent when the worker
 * accepts the attempt ({@code state} {@code ACCEPTED}, before the command is acknowledged) and then
 * every few seconds while it holds it ({@code RUNNING} or {@code CANCELLING}).
 */
public record RunHeartbeat(String runId, int attempt, String workspace, String jobId, String workerId, String state,
        Instant at) {
}
