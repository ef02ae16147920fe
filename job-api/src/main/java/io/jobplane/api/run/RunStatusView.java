package io.jobplane.api.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A run's status with per-task detail, as read from the run read model. */
public record RunStatusView(
        String runId,
        String workspace,
        String jobId,
        String jobName,
        String status,
        int attempt,
        String trigger,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        String errorMessage,
        List<TaskRunView> tasks) {

    /** One task of the run. */
    public record TaskRunView(
            String taskId,
            int index,
            String status,
            Long rowsAffected,
            String errorMessage,
            Instant startedAt,
            Instant finishedAt,
            Long durationMs) {
    }

    static Long millisBetween(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end).toMillis();
    }
}
