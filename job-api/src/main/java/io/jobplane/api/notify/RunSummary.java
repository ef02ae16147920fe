package io.jobplane.api.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a notification says about a run's end: the body of a webhook POST (JSON, snake_case) and the
 * content of a mail. Holds no secret: error messages are the ones workers publish, already scrubbed.
 */
public record RunSummary(
        String event,
        String runId,
        int attempt,
        String workspace,
        String jobId,
        String jobName,
        String status,
        String errorCode,
        String errorMessage,
        String trigger,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        List<Task> tasks) {

    /** The type of every notification: a run reached SUCCESS, FAILED or STOPPED. */
    public static final String RUN_FINISHED = "run.finished";

    /** One task of the run, as the run read model recorded it. */
    public record Task(String taskId, int index, String status, Long rowsAffected, String errorMessage) {
    }

    static Long millis(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end).toMillis();
    }

    /** The default subject (CData's when {@code email_subject} is not set): "jobplane: <job> <status>". */
    String defaultSubject() {
        return "jobplane: " + jobName + " " + status;
    }

    /** The mail's plain text. */
    String mailText() {
        StringBuilder text = new StringBuilder();
        text.append("Job ").append(jobName).append(" (").append(jobId).append(") in workspace ").append(workspace)
                .append(" ended ").append(status).append(".\n\n");
        line(text, "Run", runId + ", attempt " + attempt + (trigger == null ? "" : ", trigger " + trigger));
        line(text, "Status", status + (errorCode == null ? "" : " (" + errorCode + ")"));
        line(text, "Error", errorMessage);
        line(text, "Queued", queuedAt);
        line(text, "Started", startedAt);
        line(text, "Finished", finishedAt);
        line(text, "Duration", durationMs == null ? null : Duration.ofMillis(durationMs).toString().substring(2).toLowerCase());
        if (!tasks.isEmpty()) {
            text.append("\nTasks:\n");
            text.append(String.format("%6s  %-8s  %12s  %s%n", "index", "status", "rows", "error"));
            for (Task t : tasks) {
                text.append(String.format("%6d  %-8s  %12s  %s%n", t.index(), t.status(),
                        t.rowsAffected() == null ? "-" : t.rowsAffected(), t.errorMessage() == null ? "" : t.errorMessage()));
            }
        }
        return text.toString();
    }

    private static void line(StringBuilder text, String label, Object value) {
        if (value != null) {
            text.append(String.format("%-9s %s%n", label + ":", value));
        }
    }
}
