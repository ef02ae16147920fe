package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.postgresql.core.BaseConnection;

import io.jobplane.events.failure.Failures;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.sql.ReplicateStatement;
import io.jobplane.worker.replication.TableReplication;

/**
 * Runs replication jobs ({@code STANDARD}, {@code SYNC_ALL}) from a PostgreSQL source connection
 * to a PostgreSQL destination: each task is a {@code REPLICATE} statement carried out by
 * {@link TableReplication}. A {@code SYNC_ALL} job without tasks replicates every table of the
 * source's current schema, one task per table ({@code table:<name>}, in name order). Tasks run in
 * order or {@code worker_pool} at a time, each thread with its own source and destination
 * sessions, had inside each try: a try that failed closes them and the next opens new ones. A
 * cancel stops the statements in both databases.
 */
@ApplicationScoped
public class ReplicateJobExecutor implements JobExecutor {

    private static final Logger LOG = Logger.getLogger(ReplicateJobExecutor.class);
    private static final String TABLES_SQL = """
            select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
             order by c.relname""";

    private final SecretKeyring keyring;
    private final SessionPool sessions;

    public ReplicateJobExecutor(SecretKeyring keyring, SessionPool sessions) {
        this.keyring = keyring;
        this.sessions = sessions;
    }

    @Override
    public Set<String> jobTypes() {
        return Set.of("STANDARD", "SYNC_ALL");
    }

    @Override
    public RunOutcome execute(LaunchCommand run, RunControl control) {
        List<TaskSpec> tasks = new ArrayList<>(run.tasks());
        tasks.sort(Comparator.comparingInt(TaskSpec::index));
        Endpoint source;
        Endpoint destination;
        try {
            source = Endpoint.open("source", run.source(), run.workspace(), keyring);
            destination = Endpoint.open("destination", run.destination(), run.workspace(), keyring);
        } catch (Endpoint.Unavailable e) {
            return TaskSequence.unavailable(run, control, tasks, "CONNECTION_UNAVAILABLE", e.getMessage());
        }
        String label = "jobplane run " + run.runId();
        if (tasks.isEmpty() && "SYNC_ALL".equals(run.jobType())) {
            RunSettings retry = run.settingsOrDefault();
            java.time.Duration backoff = java.time.Duration.ofSeconds(retry.retryBackoffSeconds());
            for (int n = 1;; n++) {
                try {
                    tasks = everyTable(source, label);
                    break;
                } catch (Endpoint.Unavailable e) {
                    if (!e.retryable() || n >= retry.taskAttempts()) {
                        return TaskSequence.unavailable(run, control, tasks, "CONNECTION_UNAVAILABLE", e.getMessage());
                    }
                    java.time.Duration wait = TaskSequence.jittered(backoff);
                    control.log(null, "WARN", "listing the source's tables failed (try " + n + " of " + retry.taskAttempts() + "): "
                            + e.getMessage() + "; trying again in " + wait.toMillis() + " ms");
                    if (control.sleepUnlessCancelled(wait)) {
                        return RunOutcome.stopped();
                    }
                    backoff = backoff.multipliedBy(2);
                }
            }
            control.progress(null, "SYNC_ALL: " + tasks.size() + " tables in the source schema");
        }
        TaskSequence sequence = new TaskSequence(run, control);
        RunSettings settings = run.settingsOrDefault();
        if (settings.parallel() && settings.workerPool() > 1 && tasks.size() > 1) {
            control.progress(null, "replicating " + tasks.size() + " tables, " + settings.workerPool() + " at a time");
            TaskSequence.runParallel(run, tasks, settings.workerPool(), task -> {
                Pair pair = new Pair(new Lease(source, sessions, label), new Lease(destination, sessions, label));
                runTask(run, control, sequence, task, pair);
                pair.release(sequence.clean());
            });
        } else {
            Pair shared = new Pair(new Lease(source, sessions, label), new Lease(destination, sessions, label));
            for (TaskSpec task : tasks) {
                runTask(run, control, sequence, task, shared);
            }
            shared.release(sequence.clean());
        }
        return sequence.outcome();
    }

    private List<TaskSpec> everyTable(Endpoint source, String label) throws Endpoint.Unavailable {
        Connection c = source.borrow(sessions, label);
        boolean clean = false;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(TABLES_SQL)) {
            List<TaskSpec> tasks = new ArrayList<>();
            while (rs.next()) {
                String name = rs.getString(1);
                tasks.add(new TaskSpec("table:" + name, tasks.size(), "REPLICATE [" + name + "]"));
            }
            clean = true;
            return tasks;
        } catch (SQLException e) {
            source.discard(sessions, c, e);
            c = null;
            throw new Endpoint.Unavailable("cannot list the source's tables: " + source.scrub(e.getMessage()), !Failures.isPermanent(e));
        } finally {
            if (c != null) {
                source.release(sessions, c, clean);
            }
        }
    }

    /** The source and destination sessions of one thread of the run. */
    private static final class Pair {
        final Lease source;
        final Lease destination;

        Pair(Lease source, Lease destination) {
            this.source = source;
            this.destination = destination;
        }

        /** A try failed: both sessions are closed, the next try opens new ones. */
        void failed(Throwable failure) {
            source.failed(failure);
            destination.failed(failure);
        }

        void release(boolean reusable) {
            source.release(reusable);
            destination.release(reusable);
        }

        String scrub(String message) {
            return destination.endpoint().scrub(source.endpoint().scrub(message));
        }
    }

    private static void runTask(LaunchCommand run, RunControl control, TaskSequence sequence, TaskSpec task, Pair pair) {
        sequence.run(task, ReplicateStatement::parse, statement -> () -> once(run, control, task, statement, pair));
    }

    private static TaskResult once(LaunchCommand run, RunControl control, TaskSpec task, ReplicateStatement statement, Pair pair) {
        ReplicationSpec spec = run.replicationOrDefault();
        if (control.isCancelled()) {
            return TaskResult.stopped("cancelled before the task started");
        }
        Connection from;
        Connection to;
        try {
            from = pair.source.get();
            to = pair.destination.get();
        } catch (Endpoint.Unavailable e) {
            pair.failed(null);
            return TaskResult.unavailable(e);
        }
        TableReplication replication = new TableReplication(from, to, spec, control.listener(task));
        control.interruptWith(task.taskId(), () -> {
            from.unwrap(BaseConnection.class).cancelQuery();
            to.unwrap(BaseConnection.class).cancelQuery();
        });
        try {
            if (control.isCancelled()) {
                return TaskResult.stopped("cancelled before the task started");
            }
            Integer timeout = run.settingsOrDefault().taskTimeoutSeconds();
            for (Connection c : List.of(from, to)) {
                Endpoint.limitStatements(c, timeout);
            }
            long written = replication.replicate(statement);
            control.progress(task, replication.rows() + " rows (" + replication.bytes() + " bytes) read from the source");
            return TaskResult.success(written);
        } catch (TableReplication.Refused e) {
            return TaskResult.invalid(e.getMessage());
        } catch (TableReplication.Cancelled e) {
            return TaskResult.stopped(e.getMessage());
        } catch (SQLException e) {
            pair.failed(e);
            String message = pair.scrub(e.getMessage());
            LOG.infof("run %s task %d (%s) failed: %s", run.runId(), task.index(), task.taskId(), message);
            return TaskResult.ofSqlFailure(e, message, control.isCancelled(), run.settingsOrDefault().taskTimeoutSeconds());
        } finally {
            control.interruptWith(task.taskId(), null);
        }
    }
}
