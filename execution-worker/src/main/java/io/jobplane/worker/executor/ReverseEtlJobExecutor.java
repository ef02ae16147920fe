package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.jboss.logging.Logger;
import org.postgresql.core.BaseConnection;

import io.jobplane.events.egress.EgressHttp;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.sql.ReverseEtlStatement;
import io.jobplane.worker.replication.TableReplication;
import io.jobplane.worker.reverseetl.HttpReceiver;
import io.jobplane.worker.reverseetl.ReverseEtl;

/**
 * Runs reverse ETL jobs ({@code REVERSE_ETL}): each task ({@link ReverseEtlStatement}) reads rows
 * from the PostgreSQL source connection and POSTs them in batches to a path under the {@code http}
 * destination's base URL ({@link ReverseEtl}). Tasks run in order or {@code worker_pool} at a
 * time, each thread with its own source session, had inside each try (a failed try closes it and
 * the next opens a new one); a cancel stops the source query and the request in flight. A task whose batches the receiver refused fails, naming the rows, unless it says
 * {@code AllowRefusedRows='true'}.
 */
@ApplicationScoped
public class ReverseEtlJobExecutor implements JobExecutor {

    private static final Logger LOG = Logger.getLogger(ReverseEtlJobExecutor.class);
    private static final int NAMED_BATCHES = 10;

    private final SecretKeyring keyring;
    private final SessionPool sessions;
    /**
     * Redirects are not followed (the credentials stay with the address the connection names); every
     * address is checked by the egress policy as it is connected to.
     */
    private final CloseableHttpClient http = EgressHttp.client(Duration.ofSeconds(10), 64);

    public ReverseEtlJobExecutor(SecretKeyring keyring, SessionPool sessions) {
        this.keyring = keyring;
        this.sessions = sessions;
    }

    @Override
    public Set<String> jobTypes() {
        return Set.of("REVERSE_ETL");
    }

    @Override
    public RunOutcome execute(LaunchCommand run, RunControl control) {
        List<TaskSpec> tasks = new ArrayList<>(run.tasks());
        tasks.sort(Comparator.comparingInt(TaskSpec::index));
        Endpoint source;
        HttpReceiver receiver;
        try {
            source = Endpoint.open("source", run.source(), run.workspace(), keyring);
        } catch (Endpoint.Unavailable e) {
            return TaskSequence.unavailable(run, control, tasks, "CONNECTION_UNAVAILABLE", e.getMessage());
        }
        try {
            receiver = HttpReceiver.open(run.destination(), run.workspace(), keyring);
        } catch (HttpReceiver.Unusable e) {
            return TaskSequence.unavailable(run, control, tasks, "CONNECTION_UNAVAILABLE", e.getMessage());
        }
        String label = "jobplane run " + run.runId();
        TaskSequence sequence = new TaskSequence(run, control);
        RunSettings settings = run.settingsOrDefault();
        if (settings.parallel() && settings.workerPool() > 1 && tasks.size() > 1) {
            control.progress(null, "sending " + tasks.size() + " tasks, " + settings.workerPool() + " at a time");
            TaskSequence.runParallel(run, tasks, settings.workerPool(), task -> {
                Lease lease = new Lease(source, sessions, label);
                runTask(run, control, sequence, task, lease, receiver);
                lease.release(sequence.clean());
            });
        } else {
            Lease shared = new Lease(source, sessions, label);
            for (TaskSpec task : tasks) {
                runTask(run, control, sequence, task, shared, receiver);
            }
            shared.release(sequence.clean());
        }
        return sequence.outcome();
    }

    private void runTask(LaunchCommand run, RunControl control, TaskSequence sequence, TaskSpec task, Lease lease,
            HttpReceiver receiver) {
        sequence.run(task, ReverseEtlStatement::parse, statement -> () -> {
            TaskResult result = once(run, control, task, statement, lease, receiver);
            if (result.status() == TaskStatus.FAILED) {
                // The source query may have been cut off mid-stream: the next try reads on a new session.
                lease.failed(null);
            }
            return result;
        });
    }

    private TaskResult once(LaunchCommand run, RunControl control, TaskSpec task, ReverseEtlStatement statement, Lease lease,
            HttpReceiver receiver) {
        Integer timeout = run.settingsOrDefault().taskTimeoutSeconds();
        Endpoint source = lease.endpoint();
        if (control.isCancelled()) {
            return TaskResult.stopped("cancelled before the task started");
        }
        Connection session;
        try {
            session = lease.get();
        } catch (Endpoint.Unavailable e) {
            return TaskResult.unavailable(e);
        }
        ReverseEtl etl = new ReverseEtl(http, receiver, session, run.replicationOrDefault(), run.runId(), task.taskId(),
                timeout == null ? null : Duration.ofSeconds(timeout), new ReverseEtl.Listener() {
                    @Override
                    public void progress(long rows, long bytes) {
                        control.events().taskProgress(run, task, rows, bytes);
                    }

                    @Override
                    public void log(String level, String message) {
                        control.log(task, level, message);
                    }

                    @Override
                    public boolean cancelled() {
                        return control.isCancelled();
                    }

                    @Override
                    public boolean sleep(Duration duration) {
                        return control.sleepUnlessCancelled(duration);
                    }
                });
        control.interruptWith(task.taskId(), () -> {
            session.unwrap(BaseConnection.class).cancelQuery();
            etl.abort();
        });
        try {
            if (control.isCancelled()) {
                return TaskResult.stopped("cancelled before the task started");
            }
            Endpoint.limitStatements(session, timeout);
            ReverseEtl.Result result = etl.send(statement);
            control.progress(task, result.rows() + " rows (" + result.bytes() + " bytes) delivered in " + result.batches()
                    + " batches, " + result.retries() + " requests tried again");
            if (result.refused().isEmpty()) {
                return TaskResult.success(result.rows());
            }
            String refused = refusedSummary(result);
            if (statement.allowRefusedRows()) {
                control.log(task, "ERROR", refused + "; the task succeeds anyway (AllowRefusedRows='true')");
                return TaskResult.success(result.rows());
            }
            return new TaskResult(TaskStatus.FAILED, result.rows(), refused + ". Correct those rows (or the receiver) and run"
                    + " the job again, or set AllowRefusedRows='true' on the task to let it succeed with refused rows reported", false);
        } catch (TableReplication.Refused e) {
            return TaskResult.invalid(receiver.scrub(source.scrub(e.getMessage())));
        } catch (ReverseEtl.Cancelled e) {
            return TaskResult.stopped(e.getMessage());
        } catch (ReverseEtl.Undelivered e) {
            return TaskResult.failed(receiver.scrub(e.getMessage()));
        } catch (SQLException e) {
            lease.failed(e);
            String message = receiver.scrub(source.scrub(e.getMessage()));
            if (!control.isCancelled()) {
                LOG.infof("run %s task %d (%s) failed: %s", run.runId(), task.index(), task.taskId(), message);
            }
            return TaskResult.ofSqlFailure(e, message, control.isCancelled(), timeout);
        } finally {
            control.interruptWith(task.taskId(), null);
        }
    }

    /** How many rows the receiver refused, in which batches (their keys are in the task's log). */
    private static String refusedSummary(ReverseEtl.Result result) {
        List<ReverseEtl.RefusedBatch> refused = result.refused();
        String batches = refused.stream().limit(NAMED_BATCHES)
                .map(b -> "batch " + b.batch() + " (" + b.rows() + " rows, " + result.keyLabel() + " " + b.firstKey()
                        + (b.rows() > 1 ? " … " + b.lastKey() : "") + ", HTTP " + b.status() + ")")
                .collect(Collectors.joining(", "));
        if (refused.size() > NAMED_BATCHES) {
            batches += " and " + (refused.size() - NAMED_BATCHES) + " more batches";
        }
        long total = result.rows() + result.refusedRows();
        return "the receiver refused " + result.refusedRows() + " of " + total + " rows: " + batches
                + "; every refused row is named in the task's log, the other " + result.rows() + " rows were delivered";
    }
}
