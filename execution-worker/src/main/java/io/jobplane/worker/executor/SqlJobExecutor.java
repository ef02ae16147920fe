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
        RunEvents events = control.events();
        try (Connection connection = connect(run)) {
            return runTasks(run, tasks, connection, control);
        } catch (SQLException e) {
            LOG.warnf("run %s cannot reach its destination: %s", run.runId(), e.getMessage());
            tasks.forEach(t -> events.taskFinished(run, t, TaskStatus.SKIPPED, null, null));
            return RunOutcome.failed("cannot connect to the destination connection: " + e.getMessage());
        }
    }

    private RunOutcome runTasks(LaunchCommand run, List<TaskSpec> tasks, Connection connection, RunControl control) {
        RunEvents events = control.events();
        List<String> failures = new ArrayList<>();
        boolean skipRest = false;
        for (TaskSpec task : tasks) {
            if (skipRest || control.isCancelled()) {
                events.taskFinished(run, task, TaskStatus.SKIPPED, null, null);
                continue;
            }
            events.taskStarted(run, task);
            try (Statement statement = connection.createStatement()) {
                control.interruptWith(statement::cancel);
                boolean returnedRows = statement.execute(task.query());
                int count = returnedRows ? -1 : statement.getUpdateCount();
                events.taskFinished(run, task, TaskStatus.SUCCESS, count < 0 ? null : (long) count, null);
            } catch (SQLException e) {
                if (control.isCancelled()) {
                    events.taskFinished(run, task, TaskStatus.STOPPED, null, "cancelled: " + e.getMessage());
                    skipRest = true;
                    continue;
                }
                LOG.infof("run %s task %d failed: %s", run.runId(), task.index(), e.getMessage());
                events.taskFinished(run, task, TaskStatus.FAILED, null, e.getMessage());
                failures.add("task " + task.index() + " failed: " + e.getMessage());
                skipRest = !run.continueOnError();
            } finally {
                control.interruptWith(null);
            }
        }
        if (control.isCancelled()) {
            return RunOutcome.stopped();
        }
        return failures.isEmpty() ? RunOutcome.success() : RunOutcome.failed(String.join("; ", failures));
    }

    private Connection connect(LaunchCommand run) throws SQLException {
        ConnectionSpec destination = run.destination();
        if (destination == null || destination.jdbcUrl() == null) {
            throw new SQLException("the job has no destination connection");
        }
        Properties props = new Properties();
        if (destination.username() != null) {
            props.setProperty("user", destination.username());
        }
        if (destination.password() != null) {
            props.setProperty("password", keyring.open(destination.password()));
        }
        // Visible in pg_stat_activity, so operators can tell which run a session belongs to.
        props.setProperty("ApplicationName", "jobplane run " + run.runId());
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(destination.jdbcUrl(), props);
    }
}
