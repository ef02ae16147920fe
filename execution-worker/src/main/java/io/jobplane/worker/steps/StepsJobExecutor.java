package io.jobplane.worker.steps;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.StepPackageSpec;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.events.secret.Masking;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;
import io.jobplane.worker.config.StepsConfig;
import io.jobplane.worker.executor.Endpoint;
import io.jobplane.worker.executor.JobExecutor;
import io.jobplane.worker.executor.RunControl;
import io.jobplane.worker.executor.RunOutcome;
import io.jobplane.worker.executor.SessionPool;
import io.jobplane.worker.executor.TaskResult;
import io.jobplane.worker.executor.TaskSequence;

/**
 * Runs {@code STEPS} jobs, VDK's data-job layout: the step package version the run was launched
 * with — named in the launch command by its hash, fetched from job-api by it ({@link PackageFetcher})
 * before the first step, and tried again with the job's task retry when job-api cannot be reached —
 * is unpacked into a folder of its own and its steps run in name order, each reported as a
 * task ({@code step:<name>}). {@code .sql} steps run as one script on the job's destination
 * connection; {@code .py} and {@code .sh} steps run as processes in a sandbox ({@link StepSandbox}) with the
 * job's properties and secrets (and the run's identity, and the destination as libpq variables) in
 * their environment. Their output becomes the run's log, every secret value masked. A step
 * running past {@code task_timeout_seconds} (else the worker's step timeout) or cancelled is
 * stopped with its whole process tree.
 */
@ApplicationScoped
public class StepsJobExecutor implements JobExecutor {

    private static final Logger LOG = Logger.getLogger(StepsJobExecutor.class);
    private static final int LAST_LINE = 500;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final SecretKeyring keyring;
    private final SessionPool sessions;
    private final StepsConfig config;
    private final StepSandbox sandbox;
    private final PackageFetcher packages;

    public StepsJobExecutor(SecretKeyring keyring, SessionPool sessions, StepsConfig config, StepSandbox sandbox,
            PackageFetcher packages) {
        this.keyring = keyring;
        this.sessions = sessions;
        this.config = config;
        this.sandbox = sandbox;
        this.packages = packages;
    }

    /** The error code of a run that could not get its step package. */
    public static final String PACKAGE_UNAVAILABLE = "STEP_PACKAGE_UNAVAILABLE";

    @Override
    public Set<String> jobTypes() {
        return Set.of("STEPS");
    }

    @Override
    public RunOutcome execute(LaunchCommand run, RunControl control) {
        StepPackageSpec pkg = run.steps();
        if (pkg == null) {
            return failed(control, "STEP_PACKAGE_MISSING",
                    "the step package this run was launched with is gone (the job's sources were deleted); upload one and launch again");
        }
        List<TaskSpec> tasks = new ArrayList<>();
        for (String step : pkg.steps()) {
            tasks.add(new TaskSpec("step:" + step, tasks.size(), step));
        }
        Map<String, String> secrets = new HashMap<>();
        Endpoint database;
        try {
            if (pkg.secrets() != null) {
                SecretOwner owner = SecretOwner.jobSteps(run.workspace(), run.jobId());
                pkg.secrets().forEach((name, sealed) -> secrets.put(name, keyring.open(sealed, owner, name)));
            }
            boolean hasDatabase = run.destination() != null && run.destination().jdbcUrl() != null;
            database = hasDatabase ? Endpoint.open("destination", run.destination(), run.workspace(), keyring) : null;
        } catch (RuntimeException | Endpoint.Unavailable e) {
            return TaskSequence.unavailable(run, control, tasks, "SECRETS_UNAVAILABLE", "cannot open the job's secrets: " + e.getMessage());
        }
        if (database != null) {
            try {
                database.checkReachable();
            } catch (Endpoint.Unavailable e) {
                return TaskSequence.unavailable(run, control, tasks, "CONNECTION_UNAVAILABLE", e.getMessage());
            }
        }
        String password = database == null ? null : database.password();
        List<String> masked = new ArrayList<>(secrets.values());
        if (password != null) {
            masked.add(password);
        }
        boolean processes = pkg.steps().stream().map(n -> n.toLowerCase(Locale.ROOT)).anyMatch(n -> n.endsWith(".py") || n.endsWith(".sh"));
        Integer uid = null;
        if (processes) {
            if (sandbox.unsafe()) {
                control.log(null, "WARN", "this worker runs steps WITHOUT a sandbox (jobplane.worker.steps.sandbox.unsafe-no-sandbox):"
                        + " they run as the worker's user, with its files and network");
            } else {
                try {
                    sandbox.requireAvailable();
                    uid = sandbox.acquireUid();
                } catch (StepSandbox.Unavailable e) {
                    return TaskSequence.unavailable(run, control, tasks, StepSandbox.UNAVAILABLE, e.getMessage());
                }
            }
        }
        control.progress(null, "step package version " + pkg.version() + " (" + shortSha(pkg) + "…, " + pkg.sizeBytes()
                + " bytes), " + tasks.size() + " steps");
        try {
            Step context = new Step(run, control, pkg, environment(run, pkg, secrets, password), masked, database, uid);
            TaskSequence sequence = new TaskSequence(run, control);
            try {
                for (TaskSpec task : tasks) {
                    sequence.run(task, task.query(), () -> context.run(task));
                }
            } finally {
                context.close(sequence.clean());
            }
            RunOutcome outcome = sequence.outcome();
            if (context.packageFailure != null && outcome.status() == io.jobplane.events.payload.RunStatus.FAILED) {
                return RunOutcome.failed(context.packageFailureCode, context.packageFailure);
            }
            return outcome;
        } finally {
            sandbox.releaseUid(uid);
        }
    }

    private static String shortSha(StepPackageSpec pkg) {
        return pkg.sha256() == null ? "?" : pkg.sha256().substring(0, Math.min(12, pkg.sha256().length()));
    }

    private static RunOutcome failed(RunControl control, String code, String why) {
        control.log(null, "ERROR", why);
        return RunOutcome.failed(code, why);
    }

    /** What every step process sees besides PATH: the run, the job's properties and secrets, the destination. */
    private static Map<String, String> environment(LaunchCommand run, StepPackageSpec pkg, Map<String, String> secrets,
            String password) {
        Map<String, String> env = new HashMap<>();
        env.put("LANG", "C.UTF-8");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("JOBPLANE_RUN_ID", run.runId());
        env.put("JOBPLANE_ATTEMPT", Integer.toString(run.attempt()));
        env.put("JOBPLANE_WORKSPACE", run.workspace());
        env.put("JOBPLANE_JOB_ID", run.jobId());
        env.put("JOBPLANE_JOB_NAME", run.jobName());
        env.put("JOBPLANE_EXECUTION_DATE", run.executionDate() == null ? "" : run.executionDate().toString());
        try {
            env.put("JOBPLANE_PARAMETERS", JSON.writeValueAsString(run.parameters() == null ? Map.of() : run.parameters()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
        env.put("JOBPLANE_STEP_PACKAGE_VERSION", Integer.toString(pkg.version()));
        ConnectionSpec db = run.destination();
        if (db != null && db.jdbcUrl() != null && db.jdbcUrl().startsWith("jdbc:postgresql://")) {
            URI uri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
            env.put("JOBPLANE_DB_JDBC_URL", db.jdbcUrl());
            env.put("PGHOST", uri.getHost());
            env.put("PGPORT", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()));
            env.put("PGDATABASE", uri.getPath().replaceFirst("^/", ""));
            if (db.username() != null) {
                env.put("PGUSER", db.username());
            }
            if (password != null) {
                env.put("PGPASSWORD", password);
            }
        }
        if (pkg.properties() != null) {
            env.putAll(pkg.properties());
        }
        env.putAll(secrets);
        return env;
    }

    /** Runs the steps of one attempt; holds the run's unpacked package and the SQL session its .sql steps share. */
    private final class Step {
        private final LaunchCommand run;
        private final RunControl control;
        private final StepPackageSpec pkg;
        /** The package, unpacked before the first step runs; null until then. */
        private StepPackageFiles files;
        /** Why the package could not be had (the last try), and the run's error code for it; null when it was. */
        private String packageFailure;
        private String packageFailureCode;
        private final Map<String, String> environment;
        private final List<String> secrets;
        /** The job's destination database; null when it names none. */
        private final Endpoint database;
        /** The user the run's steps run as; null: the worker's own (mapped in the sandbox's user namespace). */
        private final Integer uid;
        private Connection connection;

        Step(LaunchCommand run, RunControl control, StepPackageSpec pkg, Map<String, String> environment,
                List<String> secrets, Endpoint database, Integer uid) {
            this.uid = uid;
            this.run = run;
            this.control = control;
            this.pkg = pkg;
            this.environment = environment;
            this.secrets = secrets;
            this.database = database;
        }

        /**
         * Fetches (or takes from the cache), checks and unpacks the package, once: a failure another
         * try may mend (job-api away, a 5xx, a broken transfer) fails this try of the step, which the
         * job's task retry tries again; any other (403, 404, wrong bytes) fails it for good and says so
         * in the run's log.
         */
        private TaskResult prepare() {
            if (files != null) {
                return null;
            }
            byte[] zip;
            try {
                zip = packages.fetch(run.runId(), pkg);
            } catch (PackageFetcher.Failed e) {
                packageFailure = "cannot get the step package " + shortSha(pkg) + "… of version " + pkg.version() + ": "
                        + e.getMessage();
                packageFailureCode = PACKAGE_UNAVAILABLE;
                if (!e.retryable()) {
                    control.log(null, "ERROR", packageFailure + " (not tried again)");
                    return TaskResult.invalid(packageFailure);
                }
                return TaskResult.failed(packageFailure);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TaskResult.stopped("the worker is shutting down");
            }
            try {
                StepPackageFiles unpacked = StepPackageFiles.unpack(run.runId(), zip, pkg.sha256(), pkg.steps());
                try {
                    sandbox.handOver(unpacked.dir(), uid);
                } catch (IOException | RuntimeException e) {
                    unpacked.close();
                    throw e;
                }
                files = unpacked;
                packageFailure = null;
                return null;
            } catch (IOException e) {
                packageFailure = e.getMessage();
                packageFailureCode = "STEP_PACKAGE_INVALID";
                control.log(null, "ERROR", "the step package cannot be unpacked: " + e.getMessage());
                return TaskResult.invalid(e.getMessage());
            }
        }

        TaskResult run(TaskSpec task) {
            TaskResult unavailable = prepare();
            if (unavailable != null) {
                return unavailable;
            }
            String name = task.query();
            Path file;
            try {
                file = files.step(name);
            } catch (IOException e) {
                return TaskResult.invalid(e.getMessage());
            }
            String kind = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            return switch (kind) {
                case "sql" -> sql(task, file);
                case "py" -> process(task, config.pythonCommand(), name);
                case "sh" -> process(task, config.shellCommand(), name);
                default -> TaskResult.invalid("step " + name + " is neither .sql, .py nor .sh");
            };
        }

        private TaskResult sql(TaskSpec task, Path file) {
            if (database == null) {
                return TaskResult.invalid("step " + task.query() + " is SQL, and the job names no destination connection to run it on");
            }
            String script;
            try {
                script = files.read(task.query());
                if (connection == null) {
                    connection = database.borrow(sessions, "jobplane run " + run.runId());
                }
            } catch (Endpoint.Unavailable e) {
                return new TaskResult(TaskStatus.FAILED, null, mask(e.getMessage()), e.retryable());
            } catch (IOException e) {
                return TaskResult.failed(mask(e.getMessage()));
            }
            try (Statement statement = connection.createStatement()) {
                Integer timeout = run.settingsOrDefault().taskTimeoutSeconds();
                if (timeout != null) {
                    statement.setQueryTimeout(timeout);
                }
                control.interruptWith(task.taskId(), statement::cancel);
                if (control.isCancelled()) {
                    return TaskResult.stopped("cancelled before the step started");
                }
                long rows = 0;
                boolean isResult = statement.execute(script);
                while (true) {
                    if (!isResult) {
                        int count = statement.getUpdateCount();
                        if (count == -1) {
                            break;
                        }
                        rows += count;
                    }
                    isResult = statement.getMoreResults();
                }
                for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
                    control.log(task, "INFO", mask(w.getMessage()));
                }
                return TaskResult.success(rows);
            } catch (SQLException e) {
                // A failed step's session is closed (the pool emptied if the connection was lost): the next try opens a new one.
                database.discard(sessions, connection, e);
                connection = null;
                return TaskResult.ofSqlFailure(e, mask(e.getMessage()), control.isCancelled(), run.settingsOrDefault().taskTimeoutSeconds());
            } finally {
                control.interruptWith(task.taskId(), null);
            }
        }

        private TaskResult process(TaskSpec task, String interpreter, String step) {
            String stepDir = files.dir().relativize(files.root()).toString();
            List<String> command;
            ProcessBuilder builder;
            Map<String, String> env;
            if (sandbox.unsafe()) {
                command = List.of(interpreter, files.root().resolve(step).toString());
                builder = new ProcessBuilder(command).directory(files.root().toFile());
                env = builder.environment();
                String path = env.get("PATH");
                env.clear();
                env.put("PATH", path == null ? SandboxCommand.PATH : path);
                env.put("HOME", files.dir().toString());
                env.put("TMPDIR", files.dir().toString());
            } else {
                command = sandbox.command(uid, files.dir(), stepDir, List.of(interpreter, SandboxCommand.inside(stepDir) + "/" + step));
                builder = new ProcessBuilder(command).directory(new java.io.File("/"));
                env = builder.environment();
                env.clear();
                env.put("PATH", SandboxCommand.PATH);
                env.put("HOME", SandboxCommand.WORK);
                env.put("TMPDIR", "/tmp");
            }
            env.putAll(environment);
            env.put("JOBPLANE_STEP", task.query());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return TaskResult.invalid("cannot start the step " + task.query() + ": " + e.getMessage());
            }
            AtomicReference<String> lastError = new AtomicReference<>();
            Thread out = pump(process.getInputStream(), task, "INFO", null);
            Thread err = pump(process.getErrorStream(), task, "WARN", lastError);
            control.interruptWith(task.taskId(), () -> destroyTree(process));
            Duration timeout = run.settingsOrDefault().taskTimeoutSeconds() != null
                    ? Duration.ofSeconds(run.settingsOrDefault().taskTimeoutSeconds()) : config.timeout();
            try {
                boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) {
                    destroyTree(process);
                }
                out.join(5000);
                err.join(5000);
                if (control.isCancelled()) {
                    return TaskResult.stopped("cancelled: the step's processes were stopped");
                }
                if (!ended) {
                    return TaskResult.failed("step " + task.query() + " ran longer than " + timeout.toSeconds()
                            + " s and was stopped (task_timeout_seconds)");
                }
                int code = process.exitValue();
                if (code == 127 && lastError.get() != null && lastError.get().contains(interpreter)) {
                    return TaskResult.invalid("cannot start " + interpreter + " for step " + task.query() + ": " + lastError.get()
                            + " (set jobplane.worker.steps." + (interpreter.equals(config.pythonCommand()) ? "python" : "shell")
                            + "-command, or jobplane.worker.steps.sandbox.read-only-paths for an interpreter outside /usr)");
                }
                if (code != 0) {
                    return TaskResult.failed("step " + task.query() + " exited with code " + code
                            + (lastError.get() == null ? "" : ": " + lastError.get()));
                }
                return TaskResult.success(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroyTree(process);
                return TaskResult.stopped("the worker is shutting down");
            } finally {
                control.interruptWith(task.taskId(), null);
            }
        }

        /**
         * Reads one output stream of a step into the run log, line by line, masked: a line longer
         * than jobplane.worker.steps.output.max-line-bytes is cut, and past
         * jobplane.worker.steps.output.max-bytes lines are only counted.
         */
        private Thread pump(InputStream stream, TaskSpec task, String level, AtomicReference<String> last) {
            BoundedLines lines = new BoundedLines(config.output().maxLineBytes(), config.output().maxBytes(), (line, cut) -> {
                String clean = cut ? maskCut(line) : mask(line);
                control.log(task, level, clean);
                if (last != null && !clean.isBlank()) {
                    last.set(clean.length() > LAST_LINE ? clean.substring(0, LAST_LINE) + "…" : clean);
                }
            });
            Thread t = new Thread(() -> {
                try (stream) {
                    lines.read(stream);
                } catch (IOException e) {
                    lines.finish();
                    LOG.debugf("run %s: output of step %s ended: %s", run.runId(), task.query(), e.getMessage());
                }
            }, "run-" + run.runId() + "-step-output");
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** A cut line masked, and a secret's beginning at the cut masked too (its end was cut off). */
        private String maskCut(String line) {
            int marker = line.lastIndexOf(" … [line cut: ");
            String text = mask(marker < 0 ? line : line.substring(0, marker));
            for (String secret : secrets) {
                if (secret == null || secret.isEmpty()) {
                    continue;
                }
                for (int k = Math.min(secret.length() - 1, text.length()); k > 0; k--) {
                    if (text.endsWith(secret.substring(0, k))) {
                        text = text.substring(0, text.length() - k) + "***";
                        break;
                    }
                }
            }
            return marker < 0 ? text : text + line.substring(marker);
        }

        private String mask(String text) {
            return Masking.mask(text, secrets);
        }

        void close(boolean clean) {
            if (connection != null) {
                database.release(sessions, connection, clean);
            }
            if (files != null) {
                files.close();
            }
        }
    }

    /** Stops a step and every process it started. */
    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
