package io.jobplane.worker.executor;

/**
 * What a task's work reports back while it runs: how far it has got (rows or files, and bytes),
 * log lines, and whether the run was cancelled. {@link RunControl#listener} makes the one a task
 * uses.
 */
public interface TaskListener {

    /** Units (rows, files) and bytes processed so far in this try; sent as a progress event. */
    void progress(long units, long bytes);

    /** An INFO line of the task's log. */
    void log(String message);

    boolean cancelled();
}
