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
 * order or {@code worker_pool} at a time, each try with its own source and destination sessions;
 * a cancel stops the statements in both databases.
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
            try {
                tasks = everyTable(source, label);
            } catch (Endpoint.Unavailable e) {
                return TaskSequence.unavailable(run, control, tasks, "CONNECTION_UNAVAILABLE", e.getMessage());
            }
            control.progress(null, "SYNC_ALL: " + tasks.size() + " tables in the source schema");
        }
        TaskSequence sequence = new TaskSequence(run, control);
        RunSettings settings = run.settingsOrDefault();
        Pair shared = null;
        if (settings.parallel() && settings.workerPool() > 1 && tasks.size() > 1) {
            control.progress(null, "replicating " + tasks.size() + " tables, " + settings.workerPool() + " at a time");
            TaskSequence.runParallel(run, tasks, settings.workerPool(), task -> {
                Pair pair = pair(source, destination, label, sequence, task);
                if (pair != null) {
                    runTask(run, control, sequence, task, pair);
                    pair.release(sequence.clean());
                }
            });
        } else {
            for (TaskSpec task : tasks) {
                if (shared == null) {
                    shared = pair(source, destination, label, sequence, task);
                    if (shared == null) {
                        continue;
                    }
                }
                runTask(run, control, sequence, task, shared);
            }
            if (shared != null) {
                shared.release(sequence.clean());
            }
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
            throw new Endpoint.Unavailable("cannot list the source's tables: " + source.scrub(e.getMessage()));
        } finally {
            source.release(sessions, c, clean);
        }
    }

    /** A source and a destination session; null (the task failed) when either cannot be had. */
    private Pair pair(Endpoint source, Endpoint destination, String label, TaskSequence sequence, TaskSpec task) {
        Connection from;
        try {
            from = source.borrow(sessions, label);
        } catch (Endpoint.Unavailable e) {
            sequence.failed(task, e.getMessage());
            return null;
        }
        try {
            return new Pair(source, from, destination, destination.borrow(sessions, label));
        } catch (Endpoint.Unavailable e) {
            source.release(sessions, from, true);
            sequence.failed(task, e.getMessage());
            return null;
        }
    }

    private final class Pair {
        final Endpoint sourceEnd;
        final Connection source;
        final Endpoint destinationEnd;
        final Connection destination;

        Pair(Endpoint sourceEnd, Connection source, Endpoint destinationEnd, Connection destination) {
            this.sourceEnd = sourceEnd;
            this.source = source;
            this.destinationEnd = destinationEnd;
            this.destination = destination;
        }

        void release(boolean reusable) {
            sourceEnd.release(sessions, source, reusable);
            destinationEnd.release(sessions, destination, reusable);
        }

        String scrub(String message) {
            return destinationEnd.scrub(sourceEnd.scrub(message));
        }
    }

    private static void runTask(LaunchCommand run, RunControl control, TaskSequence sequence, TaskSpec task, Pair pair) {
        sequence.run(task, ReplicateStatement::parse, statement -> () -> once(run, control, task, statement, pair));
    }

    private static TaskResult once(LaunchCommand run, RunControl control, TaskSpec task, ReplicateStatement statement, Pair pair) {
        ReplicationSpec spec = run.replicationOrDefault();
        TableReplication replication = new TableReplication(pair.source, pair.destination, spec, control.listener(task));
        control.interruptWith(task.taskId(), () -> {
            pair.source.unwrap(BaseConnection.class).cancelQuery();
            pair.destination.unwrap(BaseConnection.class).cancelQuery();
        });
        try {
            if (control.isCancelled()) {
                return TaskResult.stopped("cancelled before the task started");
            }
            Integer timeout = run.settingsOrDefault().taskTimeoutSeconds();
            for (Connection c : List.of(pair.source, pair.destination)) {
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
            String message = pair.scrub(e.getMessage());
            LOG.infof("run %s task %d (%s) failed: %s", run.runId(), task.index(), task.taskId(), message);
            return TaskResult.ofSqlFailure(e, message, control.isCancelled(), run.settingsOrDefault().taskTimeoutSeconds());
        } finally {
            control.interruptWith(task.taskId(), null);
        }
    }
}
