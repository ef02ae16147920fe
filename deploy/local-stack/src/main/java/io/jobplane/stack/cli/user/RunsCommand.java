package io.jobplane.stack.cli.user;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jobplane runs launch | list | get | cancel | logs}: runs over the native API. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Launch, follow, list, show and cancel runs; print their logs.",
        exitCodeOnInvalidInput = ExitCodes.ERROR, exitCodeOnExecutionException = ExitCodes.ERROR,
        subcommands = { RunsCommand.Launch.class, RunsCommand.ListRuns.class, RunsCommand.GetRun.class, RunsCommand.Cancel.class,
                RunsCommand.Logs.class })
public class RunsCommand implements Runnable {

    /** Tries of a launch whose answer was lost (same Idempotency-Key each time, so one run at most). */
    static final int LAUNCH_TRIES = 3;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "launch", description = "Launch a run of a job. With --follow, print a progress line per task until the run ends, then "
            + "the end of its log, and exit 0 on SUCCESS, 1 on FAILED, 2 on STOPPED. The launch carries an "
            + "Idempotency-Key (a new one, or --idempotency-key): a launch retried with it makes one run.")
    static class Launch extends UserCommand {

        @Mixin
        Output output;

        @Parameters(paramLabel = "JOB", description = "the job's name or id")
        String job;

        @Option(names = { "-p", "--param" }, paramLabel = "NAME=VALUE", description = "a launch parameter, filling {{NAME}} in the tasks; repeat for more")
        List<String> params;

        @Option(names = "--task", paramLabel = "TASK_ID", description = "run only this task (repeat for more)")
        List<String> tasks;

        @Option(names = "--execution-date", paramLabel = "TIME", description = "the run's execution date (RFC 3339 or a date; default now)")
        String executionDate;

        @Option(names = "--idempotency-key", paramLabel = "KEY", description = "send this key: the same key for the same job gives the same run")
        String idempotencyKey;

        @Option(names = { "-f", "--follow" }, description = "follow the run until it ends")
        boolean follow;

        @Option(names = "--tail", defaultValue = "20", paramLabel = "N", description = "log lines shown after a followed run (default ${DEFAULT-VALUE})")
        int tail;

        Launch(UserContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            Map<String, String> parameters;
            Instant date;
            try {
                parameters = Values.params(params);
                date = executionDate == null ? null : Values.time(executionDate, Instant.now());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            UserConfig config = config();
            String ws = config.requireWorkspace();
            ApiClient api = api(config);
            JsonNode j = Jobs.require(api, ws, job).body();
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (!parameters.isEmpty()) {
                ObjectNode p = body.putObject("parameters");
                parameters.forEach(p::put);
            }
            if (tasks != null) {
                ArrayNode t = body.putArray("tasks");
                tasks.forEach(t::add);
            }
            if (date != null) {
                body.put("execution_date", date.toString());
            }
            String key = idempotencyKey != null ? idempotencyKey : "cli-" + UUID.randomUUID();
            ApiClient.Answer answer = launch(api, ApiClient.ws(ws, "/jobs/" + j.path("job_id").asText() + "/runs"), body, key);
            String runId = answer.body().path("run_id").asText();
            boolean replayed = "true".equals(answer.header("Idempotent-Replayed"));
            if (!follow) {
                if (output.json()) {
                    Output.printJson(out(), answer.body());
                } else {
                    out().println("run " + runId + " of job " + j.path("name").asText() + " launched: "
                            + answer.body().path("status").asText() + (replayed ? " (the run an earlier launch with this key made)" : ""));
                }
                return ExitCodes.OK;
            }
            out().println("run " + runId + " of job " + j.path("name").asText() + " launched"
                    + (replayed ? " (the run an earlier launch with this key made)" : ""));
            JsonNode run = new RunWatch(api, ws, runId, out(), context.pollInterval()).follow(tail);
            if (output.json()) {
                Output.printJson(out(), run);
            }
            return ExitCodes.ofRun(run.path("status").asText());
        }

        private ApiClient.Answer launch(ApiClient api, String path, ObjectNode body, String key) {
            for (int attempt = 1;; attempt++) {
                try {
                    return api.send("POST", path, body, Map.of("Idempotency-Key", key));
                } catch (CliFailure e) {
                    boolean transientFailure = !(e instanceof ApiError a) || a.status() == 502 || a.status() == 503 || a.status() == 504;
                    if (!transientFailure || attempt >= LAUNCH_TRIES) {
                        throw e;
                    }
                    err().println("launch failed (" + e.getMessage().lines().findFirst().orElse("") + "); trying again with the same "
                            + "Idempotency-Key");
                    try {
                        Thread.sleep(1000L * attempt);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
    }

    @Command(name = "list", description = "List a job's runs, newest first. --since and --until bound the execution date: RFC 3339, a date"
            + " (2026-11-22) or an age (30m, 24h, 7d ago).")
    static class ListRuns extends UserCommand {

        @Mixin
        Output output;

        @Option(names = { "-j", "--job" }, required = true, paramLabel = "JOB", description = "the job's name or id")
        String job;

        @Option(names = "--status", paramLabel = "STATUS", split = ",",
                description = "only runs in these states (QUEUED, RUNNING, CANCELLING, SUCCESS, FAILED, STOPPED); repeat or comma-separate")
        List<String> status;

        @Option(names = "--since", paramLabel = "TIME", description = "execution date from (inclusive)")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "execution date to (exclusive)")
        String until;

        @Option(names = "--limit", defaultValue = "20", description = "at most this many (1-500, default ${DEFAULT-VALUE})")
        int limit;

        ListRuns(UserContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            Instant now = Instant.now();
            Instant from;
            Instant to;
            try {
                from = since == null ? null : Values.time(since, now);
                to = until == null ? null : Values.time(until, now);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            UserConfig config = config();
            String ws = config.requireWorkspace();
            ApiClient api = api(config);
            JsonNode j = Jobs.require(api, ws, job).body();
            List<Object> query = new ArrayList<>();
            for (String s : status == null ? List.<String>of() : status) {
                query.add("status");
                query.add(s.trim().toUpperCase(Locale.ROOT));
            }
            query.addAll(Arrays.asList("from", from, "to", to, "limit", limit));
            JsonNode page = api.get(ApiClient.ws(ws, "/jobs/" + j.path("job_id").asText() + "/runs") + ApiClient.query(query.toArray()));
            if (output.json()) {
                Output.printJson(out(), page);
                return ExitCodes.OK;
            }
            out().print(runTable(page.path("runs")).render());
            if (page.hasNonNull("next_cursor")) {
                err().println("(more runs: raise --limit, up to 500, or narrow with --status, --since, --until)");
            }
            return ExitCodes.OK;
        }
    }

    /** A command on one run: the run id and the output format. */
    abstract static class OneRunCommand extends UserCommand {

        @Mixin
        Output output;

        @Parameters(paramLabel = "RUN", description = "the run id")
        String run;

        OneRunCommand(UserContext context) {
            super(context);
        }
    }

    @Command(name = "get", description = "Show one run with its tasks.")
    static class GetRun extends OneRunCommand {

        GetRun(UserContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            UserConfig config = config();
            JsonNode r = new RunWatch(api(config), config.requireWorkspace(), run, out(), context.pollInterval()).status();
            if (output.json()) {
                Output.printJson(out(), r);
                return ExitCodes.OK;
            }
            out().print(runTable(List.of(r)).render());
            out().println();
            Table tasks = new Table("INDEX", "STATUS", "ROWS", "BYTES", "DURATION", "ERROR");
            for (JsonNode t : r.path("tasks")) {
                Long rows = t.hasNonNull("rows_processed") ? Long.valueOf(t.get("rows_processed").asLong())
                        : t.hasNonNull("rows_affected") ? Long.valueOf(t.get("rows_affected").asLong()) : null;
                tasks.row(t.path("index").asInt(), t.path("status").asText(), Values.count(rows),
                        t.hasNonNull("bytes_processed") ? Values.bytes(t.get("bytes_processed").asLong()) : null,
                        t.hasNonNull("duration_ms") ? Values.elapsed(t.get("duration_ms").asLong()) : null,
                        Table.cut(t.path("error_message").asText(null), 100));
            }
            out().print(tasks.render());
            if (r.hasNonNull("error_message")) {
                out().println();
                out().println(RunWatch.summary(r));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", description = "Cancel a run: a queued one stops at once, a running one goes CANCELLING, then STOPPED. Prints "
            + "the status the API answered.")
    static class Cancel extends OneRunCommand {

        Cancel(UserContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            UserConfig config = config();
            JsonNode answer = api(config).send("POST", ApiClient.ws(config.requireWorkspace(), "/runs/" + ApiClient.encode(run)
                    + "/cancel"), null, Map.of()).body();
            if (output.json()) {
                Output.printJson(out(), answer);
            } else {
                out().println("run " + run + ": " + answer.path("status").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "logs", description = "Print a run's log. With --follow, print lines as they come until the run ends, then exit as "
            + "launch --follow does (0 SUCCESS, 1 FAILED, 2 STOPPED).")
    static class Logs extends OneRunCommand {

        @Option(names = "--task", paramLabel = "TASK_ID", description = "only this task's lines")
        String task;

        @Option(names = "--tail", paramLabel = "N", description = "only the last N lines (without --follow)")
        Integer tail;

        @Option(names = { "-f", "--follow" }, description = "follow the log until the run ends")
        boolean follow;

        Logs(UserContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            UserConfig config = config();
            RunWatch watch = new RunWatch(api(config), config.requireWorkspace(), run, out(), context.pollInterval());
            if (follow) {
                if (output.json()) {
                    throw new ParameterException(spec.commandLine(), "--follow prints lines as text; leave out --output json");
                }
                return ExitCodes.ofRun(watch.followLog(task).path("status").asText());
            }
            watch.status();  // an unknown run answers RUN_NOT_FOUND rather than an empty log
            List<JsonNode> lines = watch.newLogLines(task);
            if (tail != null) {
                lines = lines.subList(Math.max(0, lines.size() - tail), lines.size());
            }
            if (output.json()) {
                ObjectNode json = ApiClient.JSON.createObjectNode();
                json.putArray("lines").addAll(lines);
                Output.printJson(out(), json);
            } else {
                lines.forEach(l -> out().println(RunWatch.logLine(l)));
            }
            return ExitCodes.OK;
        }
    }

    static Table runTable(Iterable<JsonNode> runs) {
        Table t = new Table("RUN ID", "JOB", "STATUS", "TRIGGER", "ATTEMPT", "QUEUED", "DURATION", "ERROR");
        for (JsonNode r : runs) {
            t.row(r.path("run_id").asText(), r.path("job_name").asText(null), r.path("status").asText(), r.path("trigger").asText(null),
                    r.path("attempt").asInt(), r.path("queued_at").asText(null),
                    r.hasNonNull("duration_ms") ? Values.elapsed(r.get("duration_ms").asLong()) : null,
                    r.path("error_code").asText(null));
        }
        return t;
    }
}
