package io.jobplane.events.payload;

import java.time.Instant;
import java.util.List;

/** Asks a worker to execute one attempt of a run. Type {@code jobplane.command.launch}. */
public record LaunchCommand(
        String runId,
        int attempt,
        String workspace,
        String jobId,
        String jobName,
        String jobType,
        ConnectionSpec destination,
        List<TaskSpec> tasks,
        boolean continueOnError,
        Instant requestedAt) {
}
