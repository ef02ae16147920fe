package io.jobplane.events.payload;

import java.time.Instant;

/**
 * One log line of a run. Type {@code jobplane.run.log}. {@code seq} orders a run attempt's lines;
 * {@code taskId} is null for lines about the run as a whole. Lines are capped per task: the last
 * one sent past the cap says how many were dropped and has {@code truncated} set.
 */
public record RunLog(String runId, int attempt, String workspace, String taskId, Integer taskIndex, long seq,
        String level, String message, boolean truncated, Instant at) {
}
