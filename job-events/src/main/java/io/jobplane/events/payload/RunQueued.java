package io.jobplane.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run, or a new attempt of it, was accepted and waits for a worker. Type {@code jobplane.run.queued}.
 * {@code tags}, {@code requestedBy} and {@code jobLabels} (added later) are absent in older events.
 */
public record RunQueued(
        String runId,
        int attempt,
        String workspace,
        String jobId,
        String jobName,
        String trigger,
        List<TaskRef> tasks,
        Instant queuedAt,
        Instant executionDate,
        Map<String, String> tags,
        String requestedBy,
        List<String> jobLabels) {

    /** The event without the run's tags, who launched it and the job's labels (as older producers sent it). */
    public RunQueued(String runId, int attempt, String workspace, String jobId, String jobName, String trigger,
            List<TaskRef> tasks, Instant queuedAt, Instant executionDate) {
        this(runId, attempt, workspace, jobId, jobName, trigger, tasks, queuedAt, executionDate, null, null, null);
    }

    /** A task the run will execute. */
    public record TaskRef(String taskId, int index) {
    }
}
