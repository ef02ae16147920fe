package io.jobplane.events.payload;

/**
 * How a worker executes a run: tasks one after another or {@code workerPool} at a time, a
 * per-task timeout, how often a failed task is tried ({@code taskAttempts}, with
 * {@code retryBackoffSeconds} before the first retry, doubling after each), how much it logs
 * ({@code verbosity}, CData's levels: 1 errors, 2 also warnings and the database's notices, 3 also
 * each task's start and end, 5 everything), and the job's pre- and post-job events: SQL run on the
 * job's database connection before the first task and after the last (null: none), and how long
 * the whole run may take ({@code runTimeoutSeconds}, null: no limit; past it the run fails
 * {@code RUN_TIMEOUT}).
 */
public record RunSettings(
        boolean parallel,
        int workerPool,
        Integer taskTimeoutSeconds,
        int taskAttempts,
        int retryBackoffSeconds,
        int verbosity,
        String preJobEvent,
        String postJobEvent,
        Integer runTimeoutSeconds) {

    public static final RunSettings DEFAULT = new RunSettings(false, 1, null, 1, 10, 2);

    /** Settings without pre- or post-job events. */
    public RunSettings(boolean parallel, int workerPool, Integer taskTimeoutSeconds, int taskAttempts,
            int retryBackoffSeconds, int verbosity) {
        this(parallel, workerPool, taskTimeoutSeconds, taskAttempts, retryBackoffSeconds, verbosity, null, null);
    }

    /** Settings without a run timeout. */
    public RunSettings(boolean parallel, int workerPool, Integer taskTimeoutSeconds, int taskAttempts,
            int retryBackoffSeconds, int verbosity, String preJobEvent, String postJobEvent) {
        this(parallel, workerPool, taskTimeoutSeconds, taskAttempts, retryBackoffSeconds, verbosity, preJobEvent,
                postJobEvent, null);
    }
}
