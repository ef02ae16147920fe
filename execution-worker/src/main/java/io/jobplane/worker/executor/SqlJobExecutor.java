package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.worker.events.RunEvents;

/**
 * Runs SQL tasks ({@code TABLE_TO_TABLE}) on the job's destination connection, one statement per
 * task, in order, each committed on its own. A cancel calls {@link Statement#cancel()}, which
 * stops the statement inside the database rather than just abandoning it.
 */
@ApplicationScoped
public class SqlJobExecutor implements JobExecutor {

    private static final Logger LOG = Logger.getLogger(SqlJobExecutor.class);

    private final SecretKeyring keyring;

    public SqlJobExecutor(SecretKeyring keyring) {
        this.keyring = keyring;
    }

    @Override
    public Set<String> jobTypes() {
        return Set.of("TABLE_TO_TABLE");
    }

    @Override
    public RunOutcome execute(LaunchCommand run, RunControl control) {
        List<TaskSpec> tasks = new ArrayList<>(run.tasks());
        tasks.sort(Comparator.comparingInt(TaskSpec::index));
        Connection connection;
        try {
            connection = connect(run);
        } catch (DestinationUnavailable e) {
            LOG.warnf("run %s: %s", run.runId(), e.getMessage());
            tasks.forEach(t -> control.events().taskFinished(run, t, TaskStatus.SKIPPED, null, null));
            return RunOutcome.failed(e.getMessage());
        }
        try {
            return runTasks(run, tasks, connection, control);
        } finally {
            close(run, connection);
        }
    }

    private RunOutcome runTasks(LaunchCommand run, List<TaskSpec> tasks, Connection connection, RunControl control) {
        RunEvents events = control.events();
        List<String> failures = new ArrayList<>();
        boolean stopped = false;
        boolean skipRest = false;
        for (TaskSpec task : tasks) {
            if (skipRest || control.isCancelled()) {
                stopped |= control.isCancelled();
                events.taskFinished(run, task, TaskStatus.SKIPPED, null, null);
                continue;
            }
            events.taskStarted(run, task);
            TaskResult result = runTask(run, task, connection, control);
            events.taskFinished(run, task, result.status(), result.rowsAffected(), result.errorMessage());
            if (result.status() == TaskStatus.STOPPED) {
                stopped = true;
                skipRest = true;
            } else if (result.status() == TaskStatus.FAILED) {
                failures.add("task " + task.index() + " (" + task.taskId() + ") failed: " + result.errorMessage());
                skipRest = !run.continueOnError();
            }
        }
        if (stopped) {
            return RunOutcome.stopped();
        }
        return failures.isEmpty() ? RunOutcome.success() : RunOutcome.failed(String.join("; ", failures));
    }

    private TaskResult runTask(LaunchCommand run, TaskSpec task, Connection connection, RunControl control) {
        try (Statement statement = connection.createStatement()) {
            control.interruptWith(statement::cancel);
            if (control.isCancelled()) {
                return new TaskResult(TaskStatus.STOPPED, null, "cancelled before the statement started");
            }
            boolean returnedRows = statement.execute(task.query());
            int count = returnedRows ? -1 : statement.getUpdateCount();
            return new TaskResult(TaskStatus.SUCCESS, count < 0 ? null : (long) count, null);
        } catch (SQLException e) {
            if (control.isCancelled()) {
                return new TaskResult(TaskStatus.STOPPED, null, "cancelled: " + e.getMessage());
            }
            LOG.infof("run %s task %d (%s) failed: %s", run.runId(), task.index(), task.taskId(), e.getMessage());
            return new TaskResult(TaskStatus.FAILED, null, e.getMessage());
        } finally {
            control.interruptWith(null);
        }
    }

    private Connection connect(LaunchCommand run) throws DestinationUnavailable {
        ConnectionSpec destination = run.destination();
        if (destination == null || destination.jdbcUrl() == null) {
            throw new DestinationUnavailable("the job has no destination connection");
        }
        String password;
        try {
            password = destination.password() == null ? null : keyring.open(destination.password());
        } catch (RuntimeException e) {
            throw new DestinationUnavailable("cannot open the destination password: " + e.getMessage());
        }
        Properties props = new Properties();
        if (destination.username() != null) {
            props.setProperty("user", destination.username());
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        // Visible in pg_stat_activity, so operators can tell which run a session belongs to.
        props.setProperty("ApplicationName", "jobplane run " + run.runId());
        props.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(destination.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new DestinationUnavailable("cannot connect to the destination: " + withoutSecret(e.getMessage(), password));
        }
    }

    /** Driver messages should not carry the password, but one that echoes it must not reach an event or a log. */
    private static String withoutSecret(String message, String secret) {
        if (message == null || secret == null || secret.isEmpty()) {
            return message;
        }
        return message.replace(secret, "***");
    }

    private static void close(LaunchCommand run, Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The tasks have ended either way; a failed close changes nothing about the outcome.
            LOG.debugf("run %s: closing the destination connection failed: %s", run.runId(), e.getMessage());
        }
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
