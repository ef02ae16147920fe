package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.sql.SqlTemplate;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.events.secret.SecretKeyring;

/**
 * Runs SQL tasks ({@code TABLE_TO_TABLE}) on the job's destination connection, one statement per
 * task, each committed on its own: in order, or {@code worker_pool} at a time when the job asks
 * for parallel processing. A task that fails is tried again per the job's retry settings; one that
 * runs past its timeout is cancelled in the database and fails. A cancel calls
 * {@link Statement#cancel()}, which stops the statement inside the database rather than just
 * abandoning it. Notices the database raises become the task's log lines.
 */
@ApplicationScoped
public class SqlJobExecutor implements JobExecutor {

    private static final Logger LOG = Logger.getLogger(SqlJobExecutor.class);

    private final SecretKeyring keyring;
    private final SessionPool sessions;

    public SqlJobExecutor(SecretKeyring keyring, SessionPool sessions) {
        this.keyring = keyring;
        this.sessions = sessions;
    }

    @Override
    public Set<String> jobTypes() {
        return Set.of("TABLE_TO_TABLE");
    }

    @Override
    public RunOutcome execute(LaunchCommand run, RunControl control) {
        List<TaskSpec> tasks = new ArrayList<>(run.tasks());
        tasks.sort(Comparator.comparingInt(TaskSpec::index));
        RunSettings settings = run.settingsOrDefault();
        String password;
        try {
            password = openPassword(run.destination());
        } catch (DestinationUnavailable e) {
            return unavailable(run, control, tasks, e);
        }
        Tasks state = new Tasks(run, control, password);
        if (settings.parallel() && settings.workerPool() > 1 && tasks.size() > 1) {
            control.progress(null, "running " + tasks.size() + " tasks, " + settings.workerPool() + " at a time");
            runParallel(tasks, settings.workerPool(), state);
        } else {
            Connection connection;
            try {
                connection = connect(run, password);
            } catch (DestinationUnavailable e) {
                return unavailable(run, control, tasks, e);
            }
            for (TaskSpec task : tasks) {
                state.run(task, connection);
            }
            release(run, password, connection, state.clean());
        }
        return state.outcome();
    }

    private void runParallel(List<TaskSpec> tasks, int pool, Tasks state) {
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(pool, tasks.size()), r -> {
            Thread t = new Thread(r, "run-" + state.run.runId() + "-task");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (TaskSpec task : tasks) {
                running.add(threads.submit(() -> {
                    Connection connection;
                    try {
                        connection = connect(state.run, state.password);
                    } catch (DestinationUnavailable e) {
                        state.failed(task, e.getMessage());
                        return;
                    }
                    state.run(task, connection);
                    release(state.run, state.password, connection, state.clean());
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.errorf(e.getCause(), "run %s: a task thread failed", state.run.runId());
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static RunOutcome unavailable(LaunchCommand run, RunControl control, List<TaskSpec> tasks, DestinationUnavailable e) {
        LOG.warnf("run %s: %s", run.runId(), e.getMessage());
        control.log(null, "ERROR", e.getMessage());
        tasks.forEach(t -> control.events().taskFinished(run, t, TaskStatus.SKIPPED, null, null));
        return RunOutcome.failed("DESTINATION_UNAVAILABLE", e.getMessage());
    }

    /** The tasks of one attempt and how they went; shared by the threads of a parallel run. */
    private static final class Tasks {
        private final LaunchCommand run;
        private final RunControl control;
        private final String password;
        private final RunSettings settings;
        private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicBoolean skipRest = new AtomicBoolean();
        /** What the tasks' {{placeholders}} may name. */
        private final Map<String, Object> templateValues;

        Tasks(LaunchCommand run, RunControl control, String password) {
            this.run = run;
            this.control = control;
            this.password = password;
            this.settings = run.settingsOrDefault();
            this.templateValues = SqlTemplate.values(run.executionDate(), run.parameters());
        }

        void run(TaskSpec task, Connection connection) {
            if (skipRest.get() || control.isCancelled()) {
                stopped.compareAndSet(false, control.isCancelled());
                control.events().taskFinished(run, task, TaskStatus.SKIPPED, null, null);
                return;
            }
            control.events().taskStarted(run, task);
            control.progress(task, "task " + task.index() + " started: " + abbreviate(task.query()));
            TaskResult result;
            try {
                SqlTemplate template = SqlTemplate.parse(task.query());
                template.requireValues(templateValues);
                result = attempts(task, template, connection);
            } catch (SqlTemplate.TemplateException e) {
                result = new TaskResult(TaskStatus.FAILED, null, e.getMessage());
            }
            control.events().taskFinished(run, task, result.status(), result.rowsAffected(), result.errorMessage());
            if (result.status() == TaskStatus.STOPPED) {
                stopped.set(true);
                skipRest.set(true);
            } else if (result.status() == TaskStatus.FAILED) {
                failures.add("task " + task.index() + " (" + task.taskId() + ") failed: " + result.errorMessage());
                if (!run.continueOnError()) {
                    skipRest.set(true);
                }
            }
        }

        void failed(TaskSpec task, String why) {
            control.events().taskFinished(run, task, TaskStatus.FAILED, null, why);
            failures.add("task " + task.index() + " (" + task.taskId() + ") failed: " + why);
            skipRest.compareAndSet(false, !run.continueOnError());
        }

        /** Tries the task up to {@code task_attempts} times, waiting the backoff (doubling) between tries. */
        private TaskResult attempts(TaskSpec task, SqlTemplate template, Connection connection) {
            Duration backoff = Duration.ofSeconds(settings.retryBackoffSeconds());
            for (int attempt = 1;; attempt++) {
                TaskResult result = once(task, template, connection);
                if (result.status() != TaskStatus.FAILED || attempt >= settings.taskAttempts()) {
                    String line = "task " + task.index() + " " + result.status()
                            + (result.rowsAffected() == null ? "" : ", " + result.rowsAffected() + " rows")
                            + (result.errorMessage() == null ? "" : ": " + result.errorMessage());
                    if (result.status() == TaskStatus.SUCCESS) {
                        control.progress(task, line);
                    } else {
                        control.log(task, "ERROR", line);
                    }
                    return result;
                }
                control.log(task, "WARN", "task " + task.index() + " failed (try " + attempt + " of " + settings.taskAttempts()
                        + "): " + result.errorMessage() + "; trying again in " + backoff.toSeconds() + " s");
                if (control.sleepUnlessCancelled(backoff)) {
                    return new TaskResult(TaskStatus.STOPPED, null, "cancelled while waiting to retry");
                }
                backoff = backoff.multipliedBy(2);
            }
        }

        private TaskResult once(TaskSpec task, SqlTemplate template, Connection connection) {
            try (Statement statement = template.statement(connection, templateValues)) {
                if (settings.taskTimeoutSeconds() != null) {
                    statement.setQueryTimeout(settings.taskTimeoutSeconds());
                }
                control.interruptWith(task.taskId(), statement::cancel);
                if (control.isCancelled()) {
                    return new TaskResult(TaskStatus.STOPPED, null, "cancelled before the statement started");
                }
                boolean returnedRows = template.execute(statement);
                int count = returnedRows ? -1 : statement.getUpdateCount();
                logNotices(task, statement.getWarnings());
                return new TaskResult(TaskStatus.SUCCESS, count < 0 ? null : (long) count, null);
            } catch (SQLException e) {
                if (control.isCancelled()) {
                    return new TaskResult(TaskStatus.STOPPED, null, "cancelled: " + e.getMessage());
                }
                if (e instanceof SQLTimeoutException || "57014".equals(e.getSQLState())) {
                    return new TaskResult(TaskStatus.FAILED, null, "timed out after " + settings.taskTimeoutSeconds()
                            + " s (task_timeout_seconds): " + e.getMessage());
                }
                LOG.infof("run %s task %d (%s) failed: %s", run.runId(), task.index(), task.taskId(), e.getMessage());
                return new TaskResult(TaskStatus.FAILED, null, e.getMessage());
            } finally {
                control.interruptWith(task.taskId(), null);
            }
        }

        private void logNotices(TaskSpec task, SQLWarning warning) {
            for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
                control.log(task, "INFO", w.getMessage());
            }
        }

        /** Whether every task ended normally, so its session may serve another run. */
        boolean clean() {
            return failures.isEmpty() && !stopped.get() && !control.isCancelled();
        }

        RunOutcome outcome() {
            if (stopped.get()) {
                return RunOutcome.stopped();
            }
            return failures.isEmpty() ? RunOutcome.success() : RunOutcome.failed("TASK_FAILED", String.join("; ", failures));
        }
    }

    private static String abbreviate(String query) {
        String oneLine = query.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }

    private String openPassword(ConnectionSpec destination) throws DestinationUnavailable {
        if (destination == null || destination.jdbcUrl() == null) {
            throw new DestinationUnavailable("the job has no destination connection");
        }
        try {
            return destination.password() == null ? null : keyring.open(destination.password());
        } catch (RuntimeException e) {
            throw new DestinationUnavailable("cannot open the destination password: " + e.getMessage());
        }
    }

    private Connection connect(LaunchCommand run, String password) throws DestinationUnavailable {
        ConnectionSpec destination = run.destination();
        try {
            // Labelled in pg_stat_activity, so operators can tell which run a session belongs to.
            return sessions.borrow(destination.jdbcUrl(), destination.username(), password, "jobplane run " + run.runId());
        } catch (SQLException e) {
            throw new DestinationUnavailable("cannot connect to the destination: " + withoutSecret(e.getMessage(), password));
        }
    }

    private void release(LaunchCommand run, String password, Connection connection, boolean reusable) {
        sessions.release(run.destination().jdbcUrl(), run.destination().username(), password, connection, reusable);
    }

    /** Driver messages should not carry the password, but one that echoes it must not reach an event or a log. */
    private static String withoutSecret(String message, String secret) {
        if (message == null || secret == null || secret.isEmpty()) {
            return message;
        }
        return message.replace(secret, "***");
    }

    private record TaskResult(TaskStatus status, Long rowsAffected, String errorMessage) {
    }

    /** The run cannot reach its destination; the message is safe to publish. */
    private static final class DestinationUnavailable extends Exception {
        DestinationUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
