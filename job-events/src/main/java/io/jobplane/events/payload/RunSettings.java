package io.jobplane.events.payload;

/**
 * How a worker executes a run: tasks one after another or {@code workerPool} at a time, a
 * per-task timeout, and how often a failed task is tried ({@code taskAttempts}, with
 * {@code retryBackoffSeconds} before the first retry, doubling after each).
 */
public record RunSettings(
        boolean parallel,
        int workerPool,
        Integer taskTimeoutSeconds,
        int taskAttempts,
        int retryBackoffSeconds) {

    public static final RunSettings DEFAULT = new RunSettings(false, 1, null, 1, 10);
}
