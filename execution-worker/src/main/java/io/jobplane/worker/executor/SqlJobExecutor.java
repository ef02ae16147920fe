package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.sql.SqlTemplate;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.events.secret.SecretKeyring;

/**
 * Runs SQL tasks ({@code TABLE_TO_TABLE}) on the job's destination connection (PostgreSQL or
 * MySQL; templated values are read in that database's dialect), one statement per
 * task, each committed on its own: in order, or {@code worker_pool} at a time when the job asks
 * for parallel processing. A task that fails transiently (the session could not be opened or was
 * lost, a deadlock, a timeout: {@code Failures.isTransient}) is tried again per the job's retry
 * settings on a new session; one that fails permanently (a syntax error, a missing table, a
 * refused value) fails at once with the database's text. One that runs past its timeout is
 * cancelled in the database. A cancel calls
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
        Endpoint destination;
        try {
            destination = Endpoint.open("destination", run.destination(), run.workspace(), keyring);
        } catch (Endpoint.Unavailable e) {
            return TaskSequence.unavailable(run, control, tasks, "DESTINATION_UNAVAILABLE", e.getMessage());
        }
        TaskSequence state = new TaskSequence(run, control);
        Map<String, Object> values = SqlTemplate.values(run.executionDate(), run.parameters());
        String label = "jobplane run " + run.runId();
        if (settings.parallel() && settings.workerPool() > 1 && tasks.size() > 1) {
            control.progress(null, "running " + tasks.size() + " tasks, " + settings.workerPool() + " at a time");
            TaskSequence.runParallel(run, tasks, settings.workerPool(), task -> {
                Lease lease = new Lease(destination, sessions, label);
                runTask(run, control, state, task, values, lease);
                lease.release(state.clean());
            });
        } else {
            // Labelled in pg_stat_activity, so operators can tell which run a session belongs to.
            Lease lease = new Lease(destination, sessions, label);
            for (TaskSpec task : tasks) {
                runTask(run, control, state, task, values, lease);
            }
            lease.release(state.clean());
        }
        return state.outcome();
    }

    private static void runTask(LaunchCommand run, RunControl control, TaskSequence state, TaskSpec task,
            Map<String, Object> values, Lease lease) {
        state.run(task, query -> {
            SqlTemplate template = SqlTemplate.parse(query, SqlTemplate.Dialect.of(run.destination().type()));
            template.requireValues(values);
            return template;
        }, template -> () -> once(run, control, task, template, values, lease));
    }

    /**
     * One try of a task. The session is had inside the try, so a database that cannot be reached
     * (restarting, say) is tried again like any transient failure; a try that failed closes its
     * session and the next opens a new one.
     */
    private static TaskResult once(LaunchCommand run, RunControl control, TaskSpec task, SqlTemplate template,
            Map<String, Object> values, Lease lease) {
        RunSettings settings = run.settingsOrDefault();
        Endpoint destination = lease.endpoint();
        if (control.isCancelled()) {
            return TaskResult.stopped("cancelled before the statement started");
        }
        Connection connection;
        try {
            connection = lease.get();
        } catch (Endpoint.Unavailable e) {
            lease.failed(null);
            LOG.infof("run %s task %d (%s): %s", run.runId(), task.index(), task.taskId(), e.getMessage());
            return TaskResult.unavailable(e);
        }
        try (Statement statement = template.statement(connection, values)) {
            if (settings.taskTimeoutSeconds() != null) {
                statement.setQueryTimeout(settings.taskTimeoutSeconds());
            }
            control.interruptWith(task.taskId(), statement::cancel);
            if (control.isCancelled()) {
                return TaskResult.stopped("cancelled before the statement started");
            }
            boolean returnedRows = template.execute(statement);
            int count = returnedRows ? -1 : statement.getUpdateCount();
            logNotices(control, task, statement.getWarnings());
            return TaskResult.success(count < 0 ? null : (long) count);
        } catch (SQLException e) {
            lease.failed(e);
            String message = destination.scrub(e.getMessage());
            LOG.infof("run %s task %d (%s) failed: %s", run.runId(), task.index(), task.taskId(), message);
            return TaskResult.ofSqlFailure(e, message, control.isCancelled(), settings.taskTimeoutSeconds());
        } finally {
            control.interruptWith(task.taskId(), null);
        }
    }

    private static void logNotices(RunControl control, TaskSpec task, SQLWarning warning) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            control.log(task, "INFO", w.getMessage());
        }
    }
}
