package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.postgresql.core.BaseConnection;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.sql.FolderLoadStatement;
import io.jobplane.events.sql.SqlTemplate;
import io.jobplane.events.files.FileRoots;
import io.jobplane.worker.config.FilesConfig;
import io.jobplane.worker.files.BaseDirectory;
import io.jobplane.worker.files.FileTaskException;
import io.jobplane.worker.files.FolderLoad;

/**
 * Runs folder loads ({@code LOAD_FOLDER}): each task is a {@code REPLICATE [table] FROM 'files'}
 * statement carried out by {@link FolderLoad}, reading the source {@code filesystem} connection's
 * base path and writing to the PostgreSQL destination. Tasks run in order or {@code worker_pool}
 * at a time, each try on a destination session of its own; a cancel stops the COPY in the database.
 */
@ApplicationScoped
public class FolderLoadJobExecutor implements JobExecutor {

    private static final Logger LOG = Logger.getLogger(FolderLoadJobExecutor.class);

    private final SecretKeyring keyring;
    private final SessionPool sessions;
    private final FileRoots roots;

    public FolderLoadJobExecutor(SecretKeyring keyring, SessionPool sessions, FilesConfig files) {
        this.keyring = keyring;
        this.sessions = sessions;
        this.roots = files.fileRoots();
    }

    @Override
    public Set<String> jobTypes() {
        return Set.of("LOAD_FOLDER");
    }

    @Override
    public RunOutcome execute(LaunchCommand run, RunControl control) {
        List<TaskSpec> tasks = new ArrayList<>(run.tasks());
        tasks.sort(Comparator.comparingInt(TaskSpec::index));
        BaseDirectory source;
        Endpoint destination;
        try {
            source = BaseDirectory.open("source", run.source(), roots);
            destination = Endpoint.open("destination", run.destination(), run.workspace(), keyring);
        } catch (FileTaskException e) {
            return TaskSequence.unavailable(run, control, tasks, e.code() != null ? e.code() : "CONNECTION_UNAVAILABLE", e.getMessage());
        } catch (Endpoint.Unavailable e) {
            return TaskSequence.unavailable(run, control, tasks, "CONNECTION_UNAVAILABLE", e.getMessage());
        }
        Map<String, Object> values = SqlTemplate.values(run.executionDate(), run.parameters());
        TaskSequence sequence = new TaskSequence(run, control);
        TaskSequence.each(run, tasks, task -> {
            sequence.run(task, FolderLoadStatement::parse,
                    statement -> () -> once(run, control, task, statement, source, destination, values));
        });
        return sequence.outcome();
    }

    private TaskResult once(LaunchCommand run, RunControl control, TaskSpec task, FolderLoadStatement statement,
            BaseDirectory source, Endpoint destination, Map<String, Object> values) {
        if (control.isCancelled()) {
            return TaskResult.stopped("cancelled before the task started");
        }
        Connection session;
        try {
            session = destination.borrow(sessions, "jobplane run " + run.runId());
        } catch (Endpoint.Unavailable e) {
            return TaskResult.unavailable(e);
        }
        boolean clean = false;
        SQLException failure = null;
        control.interruptWith(task.taskId(), () -> session.unwrap(BaseConnection.class).cancelQuery());
        try {
            Integer timeout = run.settingsOrDefault().taskTimeoutSeconds();
            if (timeout != null) {
                try (Statement st = session.createStatement()) {
                    st.execute("set statement_timeout = " + (timeout * 1000L));
                }
            }
            FolderLoad load = new FolderLoad(session, source, run.replicationOrDefault(), run.jobId(), run.runId(), control.listener(task));
            FolderLoad.Result result = load.load(statement, values);
            clean = true;
            control.progress(task, result.loaded() + " files loaded (" + result.rows() + " rows), " + result.skipped()
                    + " loaded before and skipped");
            if (!result.failures().isEmpty()) {
                return TaskResult.invalid(result.failures().size() + " of " + (result.loaded() + result.failures().size())
                        + " new files could not be loaded (the others were): " + String.join("; ", result.failures()));
            }
            return TaskResult.success(result.rows());
        } catch (FileTaskException.Cancelled e) {
            return TaskResult.stopped(e.getMessage());
        } catch (FileTaskException e) {
            return e.retryable() ? TaskResult.failed(e.getMessage()) : TaskResult.invalid(e.getMessage());
        } catch (SQLException e) {
            failure = e;
            String message = destination.scrub(e.getMessage());
            LOG.infof("run %s task %d (%s) failed: %s", run.runId(), task.index(), task.taskId(), message);
            return TaskResult.ofSqlFailure(e, message, control.isCancelled(), run.settingsOrDefault().taskTimeoutSeconds());
        } finally {
            control.interruptWith(task.taskId(), null);
            if (failure != null) {
                // A lost connection empties the pool, so the next try does not take a dead session.
                destination.discard(sessions, session, failure);
            } else {
                destination.release(sessions, session, clean && !control.isCancelled());
            }
        }
    }
}
