package io.jobplane.stack.cli.user;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Follows one run: its status and a progress line per task (rows, bytes, elapsed time) while it
 * runs, then its log. Status comes from the API at once; task detail and log lines from the run read
 * model, a moment later, so after the end it waits (boundedly) until they have settled.
 */
final class RunWatch {

    static final Set<String> ENDED = Set.of("SUCCESS", "FAILED", "STOPPED");
    private static final Set<String> TASK_ENDED = Set.of("SUCCESS", "FAILED", "STOPPED", "SKIPPED");
    /** How long after the end the task detail and the log may take to arrive. */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    /** A running task's line is printed again this often even when nothing but its time changed. */
    private static final Duration REPEAT = Duration.ofSeconds(10);

    private final ApiClient api;
    private final String workspace;
    private final String runId;
    private final PrintWriter out;
    private final Duration poll;
    private final Clock clock = Clock.systemUTC();
    private final Map<Integer, String> shown = new HashMap<>();
    private final Map<Integer, Instant> shownAt = new HashMap<>();

    /** Where the log was read up to: attempt and seq of the last line. */
    private int afterAttempt = 0;
    private long afterSeq = -1;

    RunWatch(ApiClient api, String workspace, String runId, PrintWriter out, Duration poll) {
        this.api = api;
        this.workspace = workspace;
        this.runId = runId;
        this.out = out;
        this.poll = poll;
    }

    JsonNode status() {
        return api.get(ApiClient.ws(workspace, "/runs/" + ApiClient.encode(runId)));
    }

    /** Progress lines until the run ends, the settled task lines, a summary and the last {@code tail} log lines; the run. */
    JsonNode follow(int tail) {
        String last = null;
        JsonNode run;
        while (true) {
            run = status();
            String status = run.path("status").asText();
            if (!status.equals(last) && !ENDED.contains(status)) {
                out.println("run " + runId + "  " + status);
                last = status;
            }
            printTasks(run, false);
            out.flush();
            if (ENDED.contains(status)) {
                break;
            }
            pause();
        }
        Instant deadline = clock.instant().plus(SETTLE);
        while (!tasksSettled(run) && clock.instant().isBefore(deadline)) {
            pause();
            run = status();
        }
        printTasks(run, true);
        out.println(summary(run));
        List<JsonNode> lines = settledLog(deadline);
        if (!lines.isEmpty()) {
            out.println("--- log" + (lines.size() > tail ? " (last " + tail + " of " + lines.size() + " lines)" : "") + " ---");
            lines.subList(Math.max(0, lines.size() - tail), lines.size()).forEach(l -> out.println(logLine(l)));
        }
        out.flush();
        return run;
    }

    /** Prints log lines as they come until the run ends and its log has settled; the run. */
    JsonNode followLog(String taskId) {
        while (true) {
            JsonNode run = status();
            newLogLines(taskId).forEach(l -> out.println(logLine(l)));
            out.flush();
            if (ENDED.contains(run.path("status").asText())) {
                Instant deadline = clock.instant().plus(SETTLE);
                settle(deadline, taskId).forEach(l -> out.println(logLine(l)));
                out.flush();
                return run;
            }
            pause();
        }
    }

    /** Every log line from where this watch stopped reading, all pages. */
    List<JsonNode> newLogLines(String taskId) {
        List<JsonNode> all = new ArrayList<>();
        while (true) {
            JsonNode page = api.get(ApiClient.ws(workspace, "/runs/" + ApiClient.encode(runId) + "/logs")
                    + ApiClient.query("task_id", taskId, "after_attempt", afterAttempt, "after_seq", afterSeq, "limit", 1000));
            ArrayNode lines = (ArrayNode) page.path("lines");
            lines.forEach(all::add);
            if (!lines.isEmpty()) {
                JsonNode lastLine = lines.get(lines.size() - 1);
                afterAttempt = lastLine.path("attempt").asInt();
                afterSeq = lastLine.path("seq").asLong();
            }
            if (lines.size() < 1000) {
                return all;
            }
        }
    }

    private List<JsonNode> settledLog(Instant deadline) {
        List<JsonNode> all = new ArrayList<>(newLogLines(null));
        all.addAll(settle(deadline, null));
        return all;
    }

    /** Reads on until a poll brings nothing new (and at least one poll after the end), or the deadline. */
    private List<JsonNode> settle(Instant deadline, String taskId) {
        List<JsonNode> more = new ArrayList<>();
        while (clock.instant().isBefore(deadline)) {
            pause();
            List<JsonNode> next = newLogLines(taskId);
            if (next.isEmpty()) {
                break;
            }
            more.addAll(next);
        }
        return more;
    }

    private static boolean tasksSettled(JsonNode run) {
        for (JsonNode t : run.path("tasks")) {
            if (!TASK_ENDED.contains(t.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private void printTasks(JsonNode run, boolean onlyChanged) {
        Instant now = clock.instant();
        for (JsonNode t : run.path("tasks")) {
            int index = t.path("index").asInt();
            String status = t.path("status").asText();
            String key = status + "|" + rows(t) + "|" + t.path("bytes_processed").asText();
            boolean changed = !key.equals(shown.get(index));
            boolean repeat = !onlyChanged && status.equals("RUNNING")
                    && shownAt.getOrDefault(index, Instant.MIN).plus(REPEAT).isBefore(now);
            if (changed || repeat) {
                out.println(progressLine(t, now));
                shown.put(index, key);
                shownAt.put(index, now);
            }
        }
    }

    /** {@code   task 0  RUNNING   rows 1,200  bytes 3.4 MiB  elapsed 2.0 s}: one task's progress. */
    static String progressLine(JsonNode task, Instant now) {
        StringBuilder b = new StringBuilder(String.format("  task %-3d %-9s", task.path("index").asInt(),
                task.path("status").asText()));
        Long rows = rows(task);
        if (rows != null) {
            b.append("  rows ").append(Values.count(rows));
        }
        if (task.hasNonNull("bytes_processed")) {
            b.append("  bytes ").append(Values.bytes(task.get("bytes_processed").asLong()));
        }
        Long elapsed = task.hasNonNull("duration_ms") ? Long.valueOf(task.get("duration_ms").asLong())
                : task.hasNonNull("started_at") ? Long.valueOf(Math.max(0, Duration.between(
                        Instant.parse(task.get("started_at").asText()), now).toMillis())) : null;
        if (elapsed != null) {
            b.append("  elapsed ").append(Values.elapsed(elapsed));
        }
        if (task.hasNonNull("error_message")) {
            b.append("  error: ").append(Table.cut(task.get("error_message").asText(), 200));
        }
        return b.toString();
    }

    /** Rows read so far (replication's progress), else rows the task's statement affected. */
    private static Long rows(JsonNode task) {
        return task.hasNonNull("rows_processed") ? Long.valueOf(task.get("rows_processed").asLong())
                : task.hasNonNull("rows_affected") ? Long.valueOf(task.get("rows_affected").asLong()) : null;
    }

    /** {@code run … SUCCESS in 4.2 s} or {@code run … FAILED (TASK_FAILED): the message}. */
    static String summary(JsonNode run) {
        StringBuilder b = new StringBuilder("run " + run.path("run_id").asText() + " " + run.path("status").asText());
        if (run.hasNonNull("duration_ms")) {
            b.append(" in ").append(Values.elapsed(run.get("duration_ms").asLong()));
        }
        if (run.hasNonNull("error_code")) {
            b.append(" (").append(run.get("error_code").asText()).append(")");
        }
        if (run.hasNonNull("error_message")) {
            b.append(": ").append(run.get("error_message").asText());
        }
        return b.toString();
    }

    /** {@code 06:00:01.123 INFO  [task 0] message}. */
    static String logLine(JsonNode l) {
        String at = l.path("at").asText("");
        String time = at.length() >= 23 && at.charAt(10) == 'T' ? at.substring(11, Math.min(at.length(), 23)) : at;
        String task = l.hasNonNull("task_index") ? " [task " + l.get("task_index").asInt() + "]" : "";
        return time + " " + String.format("%-5s", l.path("level").asText()) + task + " " + l.path("message").asText()
                + (l.path("truncated").asBoolean() ? " (truncated)" : "");
    }

    private void pause() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        }
    }
}
