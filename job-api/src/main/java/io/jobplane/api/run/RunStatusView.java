package io.jobplane.api.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A run's status with per-task detail. The status is the API's own (it supervises the run), the
 * times and task detail come from the run read model that metadata-harvester builds from events.
 */
public record RunStatusView(
        String runId,
        String workspace,
        String jobId,
        String jobName,
        String status,
        int attempt,
        String trigger,
        Instant executionDate,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        String errorCode,
        String errorMessage,
        String workerId,
        @Schema(description = "The tags given at launch; absent for runs only the read model still knows (of deleted jobs)")
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> tags,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<TaskRunView> tasks) {

    /** A run without tags. */
    public RunStatusView(String runId, String workspace, String jobId, String jobName, String status, int attempt,
            String trigger, Instant executionDate, Instant queuedAt, Instant startedAt, Instant finishedAt, Long durationMs,
            String errorCode, String errorMessage, String workerId, List<TaskRunView> tasks) {
        this(runId, workspace, jobId, jobName, status, attempt, trigger, executionDate, queuedAt, startedAt, finishedAt,
                durationMs, errorCode, errorMessage, workerId, null, tasks);
    }

    /** One task of the run. */
    public record TaskRunView(
            String taskId,
            int index,
            String status,
            Long rowsAffected,
            String errorMessage,
            Instant startedAt,
            Instant finishedAt,
            Long durationMs,
            @Schema(description = "Rows the task has read so far (replication), from its progress events") Long rowsProcessed,
            @Schema(description = "Bytes the task has read so far (replication)") Long bytesProcessed) {
    }

    /** A page of runs, newest first; {@code next_cursor} fetches older ones, absent on the last page. */
    public record Page(List<RunStatusView> runs, String nextCursor) {
    }

    /** The last run of one task, or of each task of a job. */
    public record TaskHistoryEntry(String runId, int attempt, String runStatus, Instant executionDate, TaskRunView task) {
    }

    /** A page of one task's runs, newest first. */
    public record TaskHistoryPage(List<TaskHistoryEntry> runs, String nextCursor) {
    }

    /** Log lines of a run, in order; {@code next_after_seq} continues where this page ended. */
    public record LogPage(List<LogLine> lines, Long nextAfterSeq) {
    }

    /** One log line. */
    public record LogLine(int attempt, long seq, String taskId, Integer taskIndex, String level, String message,
            boolean truncated, Instant at) {
    }

    /** A job's current status: its latest run and how many are active. */
    public record JobStatusView(String jobId, String status, long activeRuns, long queuedRuns, RunStatusView lastRun) {
    }

    static Long millisBetween(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end).toMillis();
    }
}
