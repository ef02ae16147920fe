package io.jobplane.stack.cli.user;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jobplane jobs list | get | apply}: the workspace's jobs over the native API. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List, show and create or update jobs.",
        exitCodeOnInvalidInput = ExitCodes.ERROR, exitCodeOnExecutionException = ExitCodes.ERROR,
        subcommands = { JobsCommand.ListJobs.class, JobsCommand.GetJob.class, JobsCommand.ApplyJob.class })
public class JobsCommand implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", description = "List the workspace's jobs, by name.")
    static class ListJobs extends UserCommand {

        @Mixin
        Output output;

        @Option(names = "--type", description = "only jobs of this type, e.g. TABLE_TO_TABLE")
        String type;

        @Option(names = "--status", description = "only ACTIVE, DISABLED or ARCHIVED jobs")
        String status;

        @Option(names = "--label", description = "only jobs with this label")
        String label;

        @Option(names = "--name-prefix", paramLabel = "PREFIX", description = "only jobs whose name starts with it")
        String namePrefix;

        @Option(names = "--all", description = "archived jobs too")
        boolean all;

        @Option(names = "--limit", defaultValue = "50", description = "at most this many (1-500, default ${DEFAULT-VALUE})")
        int limit;

        ListJobs(UserContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            UserConfig config = config();
            JsonNode page = api(config).get(ApiClient.ws(config.requireWorkspace(), "/jobs") + ApiClient.query("type", type,
                    "status", status, "label", label, "name_prefix", namePrefix, "include_archived", all ? "true" : null,
                    "limit", limit));
            if (output.json()) {
                Output.printJson(out(), page);
                return ExitCodes.OK;
            }
            Table t = new Table("NAME", "TYPE", "STATUS", "TASKS", "LABELS", "UPDATED", "JOB ID");
            for (JsonNode j : page.path("jobs")) {
                t.row(j.path("name").asText(), j.path("type").asText(), j.path("status").asText(), j.path("tasks").size(),
                        join(j.path("labels")), j.path("updated_at").asText(null), j.path("job_id").asText());
            }
            out().print(t.render());
            if (page.hasNonNull("next_cursor")) {
                err().println("(more jobs: raise --limit, up to 500, or narrow with --name-prefix, --type, --label)");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Show one job with its tasks.")
    static class GetJob extends UserCommand {

        @Mixin
        Output output;

        @Parameters(paramLabel = "JOB", description = "the job's name or id")
        String job;

        GetJob(UserContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            UserConfig config = config();
            JsonNode j = Jobs.require(api(config), config.requireWorkspace(), job).body();
            if (output.json()) {
                Output.printJson(out(), j);
                return ExitCodes.OK;
            }
            Table fields = new Table("FIELD", "VALUE");
            for (String f : List.of("name", "job_id", "type", "status", "description", "source_connection_id",
                    "destination_connection_id", "continue_on_error", "created_at", "updated_at", "version")) {
                fields.row(f, j.path(f).isMissingNode() || j.path(f).isNull() ? null : j.path(f).asText());
            }
            fields.row("labels", join(j.path("labels")));
            if (j.path("schedule").hasNonNull("cron")) {
                fields.row("schedule", j.path("schedule").path("cron").asText() + " (" + j.path("schedule").path("timezone")
                        .asText("UTC") + ", " + (j.path("schedule").path("enabled").asBoolean(false) ? "enabled" : "disabled") + ")");
            }
            fields.row("secrets", join(j.path("secrets_set")));
            out().print(fields.render());
            out().println();
            Table tasks = new Table("INDEX", "ACTIVE", "TASK ID", "QUERY");
            for (JsonNode t : j.path("tasks")) {
                tasks.row(t.path("index").asInt(), t.path("is_active").asBoolean() ? "yes" : "no", t.path("task_id").asText(),
                        Table.cut(t.path("query").asText(), 80));
            }
            out().print(tasks.render());
            return ExitCodes.OK;
        }
    }

    @Command(name = "apply", description = "Create the job of a JSON file, or update the job of that name to match it. The file is what "
            + "POST …/jobs takes (docs/api.md, Jobs). Fields it leaves out keep their value; with 'tasks' or "
            + "'queries' the job's tasks are made to match, by position. Prints created, updated or unchanged.")
    static class ApplyJob extends UserCommand {

        @Option(names = { "-f", "--file" }, required = true, paramLabel = "FILE", description = "the job as JSON; - reads standard input")
        String file;

        ApplyJob(UserContext context) {
            super(context);
        }

        @Override
        public Integer call() throws IOException {
            JsonNode wanted = read();
            String name = wanted.path("name").asText("");
            if (name.isBlank()) {
                throw new CliFailure(file + " has no \"name\": jobs apply finds the job by its name");
            }
            UserConfig config = config();
            String ws = config.requireWorkspace();
            ApiClient api = api(config);
            var existing = Jobs.byName(api, ws, name);
            if (existing.isEmpty()) {
                JsonNode created = api.send("POST", ApiClient.ws(ws, "/jobs"), wanted, Map.of()).body();
                out().println("job " + name + " created (" + created.path("job_id").asText() + ")");
                return ExitCodes.OK;
            }
            JsonNode stored = existing.get().body();
            String jobPath = ApiClient.ws(ws, "/jobs/" + stored.path("job_id").asText());
            JobPlan plan = JobPlan.of(wanted, stored);
            if (plan.unchanged()) {
                out().println("job " + name + " unchanged (" + stored.path("job_id").asText() + ")");
                return ExitCodes.OK;
            }
            if (!plan.update().isEmpty()) {
                String etag = existing.get().header("ETag");
                api.send("PUT", jobPath, plan.update(), etag == null ? Map.of() : Map.of("If-Match", etag));
            }
            for (JobPlan.TaskStep step : plan.tasks()) {
                String path = jobPath + "/tasks" + (step.taskId() == null ? "" : "/" + step.taskId());
                api.send(step.method(), path, step.body(), Map.of());
            }
            out().println("job " + name + " updated (" + stored.path("job_id").asText() + "): " + plan.summary());
            return ExitCodes.OK;
        }

        private JsonNode read() throws IOException {
            try {
                JsonNode json = file.equals("-") ? ApiClient.JSON.readTree(context.stdin())
                        : ApiClient.JSON.readTree(Files.readString(Path.of(file)));
                if (json == null || !json.isObject()) {
                    throw new CliFailure(file + " does not hold a JSON object");
                }
                return json;
            } catch (NoSuchFileException e) {
                throw new CliFailure("no file " + file);
            } catch (JsonProcessingException e) {
                throw new CliFailure(file + " is not valid JSON: " + e.getOriginalMessage() + " (line "
                        + e.getLocation().getLineNr() + ")");
            }
        }
    }

    static String join(JsonNode array) {
        StringBuilder b = new StringBuilder();
        array.forEach(v -> b.append(b.length() == 0 ? "" : ",").append(v.asText()));
        return b.toString();
    }
}
