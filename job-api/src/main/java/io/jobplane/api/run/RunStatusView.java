package io.jobplane.api.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
        @JsonInclude(JsonInclude.Include.NON_NULL) List<TaskRunView> tasks,
        @Schema(description = "The run this one reruns; absent for other runs")
        @JsonInclude(JsonInclude.Include.NON_NULL) String rerunOf,
        @Schema(description = "The reruns of this run, oldest first; absent when none")
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> reruns,
        @Schema(description = "An operator's mark on the ended run: the status it set, why, who and when; absent when never marked")
        @JsonInclude(JsonInclude.Include.NON_NULL) Marked marked,
        @Schema(description = "A QUEUED run not yet admitted: why it waits (JOB_CAP, WORKSPACE_CAP, POOL:<name>, FROZEN, RETRY_BACKOFF, JOB_GONE); empty when nothing holds it and the next admission takes it. Absent for other runs")
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> blockedBy,
        @Schema(description = "A QUEUED run not yet admitted: its 1-based place among the workspace's queued runs in admission order (priority, then launch order)")
        @JsonInclude(JsonInclude.Include.NON_NULL) Long queuePosition,
        @Schema(description = "A QUEUED run not yet admitted: when it may start, estimated from recent run durations (docs/operating-runs.md); absent when unknown")
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant estimatedStartAt) {

    public RunStatusView(String runId, String workspace, String jobId, String jobName, String status, int attempt,
            String trigger, Instant executionDate, Instant queuedAt, Instant startedAt, Instant finishedAt, Long durationMs,
            String errorCode, String errorMessage, String workerId, List<TaskRunView> tasks) {
        this(runId, workspace, jobId, jobName, status, attempt, trigger, executionDate, queuedAt, startedAt, finishedAt,
                durationMs, errorCode, errorMessage, workerId, tasks, null, null, null, null, null, null);
    }

    public RunStatusView(String runId, String workspace, String jobId, String jobName, String status, int attempt,
            String trigger, Instant executionDate, Instant queuedAt, Instant startedAt, Instant finishedAt, Long durationMs,
            String errorCode, String errorMessage, String workerId, List<TaskRunView> tasks, String rerunOf,
            List<String> reruns, Marked marked) {
        this(runId, workspace, jobId, jobName, status, attempt, trigger, executionDate, queuedAt, startedAt, finishedAt,
                durationMs, errorCode, errorMessage, workerId, tasks, rerunOf, reruns, marked, null, null, null);
    }

    /** The same run with these tasks. */
    public RunStatusView withTasks(List<TaskRunView> taskViews) {
        return new RunStatusView(runId, workspace, jobId, jobName, status, attempt, trigger, executionDate, queuedAt,
                startedAt, finishedAt, durationMs, errorCode, errorMessage, workerId, taskViews, rerunOf, reruns, marked,
                blockedBy, queuePosition, estimatedStartAt);
    }

    /** The same run with why it waits, its place in the queue and its estimated start. */
    public RunStatusView waiting(List<String> why, long position, Instant estimate) {
        return new RunStatusView(runId, workspace, jobId, jobName, status, attempt, trigger, executionDate, queuedAt,
                startedAt, finishedAt, durationMs, errorCode, errorMessage, workerId, tasks, rerunOf, reruns, marked,
                why, position, estimate);
    }

    /** An operator's mark: the status set on the ended run, the reason, who set it and when. */
    public record Marked(String status, String reason, String by, Instant at) {
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
