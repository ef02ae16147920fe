package io.jobplane.harvester.readmodel;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.payload.RunCancelling;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskStarted;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes run events into {@code runs.run} and {@code runs.task_run}. Every write is an upsert
 * that only moves a status forward (see the rank functions in the migration) and only fills
 * fields that are still empty, so duplicates and out-of-order delivery give the same rows.
 */
@ApplicationScoped
public class RunReadModel {

    /**
     * The run's identity (job, name, trigger, first queue time) only fills in. Its progress follows
     * the latest attempt: a newer attempt starts over, an older one changes nothing, and the same
     * attempt only moves the status forward and fills fields that are still empty.
     */
    private static final String UPSERT_RUN = """
            insert into runs.run as r (run_id, workspace, job_id, job_name, attempt, status, trigger, queued_at,
                                       started_at, finished_at, error_message, worker_id, execution_date, error_code,
                                       cancel_requested_by, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
            on conflict (run_id) do update set
                job_id        = coalesce(r.job_id, excluded.job_id),
                job_name      = coalesce(r.job_name, excluded.job_name),
                trigger       = case when excluded.attempt > r.attempt then coalesce(excluded.trigger, r.trigger)
                                     else coalesce(r.trigger, excluded.trigger) end,
                queued_at     = coalesce(r.queued_at, excluded.queued_at),
                execution_date = coalesce(r.execution_date, excluded.execution_date),
                error_code    = case when excluded.attempt > r.attempt then excluded.error_code
                                     when excluded.attempt < r.attempt then r.error_code
                                     else coalesce(r.error_code, excluded.error_code) end,
                cancel_requested_by = coalesce(r.cancel_requested_by, excluded.cancel_requested_by),
                status        = case
                                    when excluded.attempt > r.attempt then excluded.status
                                    when excluded.attempt < r.attempt then r.status
                                    when runs.status_rank(excluded.status) > runs.status_rank(r.status) then excluded.status
                                    else r.status end,
                started_at    = case when excluded.attempt > r.attempt then excluded.started_at
                                     when excluded.attempt < r.attempt then r.started_at
                                     else coalesce(r.started_at, excluded.started_at) end,
                finished_at   = case when excluded.attempt > r.attempt then excluded.finished_at
                                     when excluded.attempt < r.attempt then r.finished_at
                                     else coalesce(r.finished_at, excluded.finished_at) end,
                error_message = case when excluded.attempt > r.attempt then excluded.error_message
                                     when excluded.attempt < r.attempt then r.error_message
                                     else coalesce(r.error_message, excluded.error_message) end,
                worker_id     = case when excluded.attempt > r.attempt then excluded.worker_id
                                     when excluded.attempt < r.attempt then r.worker_id
                                     else coalesce(r.worker_id, excluded.worker_id) end,
                attempt       = greatest(r.attempt, excluded.attempt),
                updated_at    = now()""";

    /**
     * A newer attempt replaces the task's row; an older one changes nothing; the same attempt only
     * moves the status forward and fills fields that are still empty.
     */
    private static final String UPSERT_TASK = """
            insert into runs.task_run as t (run_id, task_id, task_index, attempt, status, rows_affected, error_message,
                                            started_at, finished_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            on conflict (run_id, task_id) do update set
                task_index    = excluded.task_index,
                status        = case
                                    when excluded.attempt > t.attempt then excluded.status
                                    when runs.task_status_rank(excluded.status) > runs.task_status_rank(t.status)
                                        then excluded.status
                                    else t.status end,
                rows_affected = case when excluded.attempt > t.attempt then excluded.rows_affected
                                     else coalesce(t.rows_affected, excluded.rows_affected) end,
                error_message = case when excluded.attempt > t.attempt then excluded.error_message
                                     else coalesce(t.error_message, excluded.error_message) end,
                started_at    = case when excluded.attempt > t.attempt then excluded.started_at
                                     else coalesce(t.started_at, excluded.started_at) end,
                finished_at   = case when excluded.attempt > t.attempt then excluded.finished_at
                                     else coalesce(t.finished_at, excluded.finished_at) end,
                attempt       = excluded.attempt
            where excluded.attempt >= t.attempt""";

    /**
     * Once a run has ended, its tasks that never reported an end did not run to one. Applied after
     * every event, because a task's or the queued event may arrive after the run's end.
     */
    private static final String CLOSE_OPEN_TASKS = """
            update runs.task_run t
               set status = case when r.status = 'STOPPED' and t.status = 'RUNNING' then 'STOPPED' else 'SKIPPED' end
              from runs.run r
             where r.run_id = $1 and t.run_id = r.run_id and runs.status_rank(r.status) = 3
               and t.attempt <= r.attempt and t.status in ('PENDING', 'RUNNING')""";

    private static final String INSERT_LOG = """
            insert into runs.run_log (run_id, attempt, seq, task_id, task_index, level, message, truncated, at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing""";

    public Uni<Void> queued(SqlClient sql, RunQueued e) {
        Uni<Void> run = upsertRun(sql, new RunRow(e.runId(), e.workspace(), e.attempt(), "QUEUED").job(e.jobId(), e.jobName())
                .trigger(e.trigger()).queuedAt(e.queuedAt()).executionDate(e.executionDate()));
        List<Tuple> tasks = e.tasks() == null ? List.of() : e.tasks().stream()
                .map(t -> Tuple.from(new Object[] { e.runId(), t.taskId(), t.index(), e.attempt(), "PENDING", null, null,
                        null, null }))
                .toList();
        if (tasks.isEmpty()) {
            return run;
        }
        return run.chain(() -> sql.preparedQuery(UPSERT_TASK).executeBatch(tasks))
                .chain(() -> closeOpenTasks(sql, e.runId()));
    }

    public Uni<Void> started(SqlClient sql, RunStarted e) {
        return upsertRun(sql, new RunRow(e.runId(), e.workspace(), e.attempt(), "RUNNING").job(e.jobId(), null)
                .startedAt(e.startedAt()).worker(e.workerId()));
    }

    public Uni<Void> cancelling(SqlClient sql, RunCancelling e) {
        return upsertRun(sql, new RunRow(e.runId(), e.workspace(), e.attempt(), "CANCELLING").job(e.jobId(), null)
                .cancelledBy(e.requestedBy()));
    }

    public Uni<Void> finished(SqlClient sql, RunFinished e) {
        return upsertRun(sql, new RunRow(e.runId(), e.workspace(), e.attempt(), e.status().name()).job(e.jobId(), null)
                .finishedAt(e.finishedAt()).error(e.errorMessage(), e.errorCode()).worker(e.workerId()))
                .chain(() -> closeOpenTasks(sql, e.runId()));
    }

    /** A log line; a redelivered one is already there. */
    public Uni<Void> log(SqlClient sql, RunLog e) {
        return ensureRun(sql, e.runId(), e.workspace(), e.attempt())
                .chain(() -> sql.preparedQuery(INSERT_LOG).execute(Tuple.from(new Object[] { e.runId(), e.attempt(), e.seq(),
                        e.taskId(), e.taskIndex(), e.level() == null ? "INFO" : e.level(), String.valueOf(e.message()),
                        e.truncated(), ts(e.at() == null ? Instant.now() : e.at()) })))
                .replaceWithVoid();
    }

    public Uni<Void> taskStarted(SqlClient sql, TaskStarted e) {
        return ensureRun(sql, e.runId(), e.workspace(), e.attempt())
                .chain(() -> upsertTask(sql, e.runId(), e.taskId(), e.index(), e.attempt(), "RUNNING", null, null,
                        e.startedAt(), null))
                .chain(() -> closeOpenTasks(sql, e.runId()));
    }

    public Uni<Void> taskFinished(SqlClient sql, TaskFinished e) {
        return ensureRun(sql, e.runId(), e.workspace(), e.attempt())
                .chain(() -> upsertTask(sql, e.runId(), e.taskId(), e.index(), e.attempt(), e.status().name(),
                        e.rowsAffected(), e.errorMessage(), null, e.finishedAt()));
    }

    private Uni<Void> closeOpenTasks(SqlClient sql, String runId) {
        return sql.preparedQuery(CLOSE_OPEN_TASKS).execute(Tuple.of(runId)).replaceWithVoid();
    }

    /** A task event may overtake its run's first event; the run row must exist for the task row. */
    private Uni<Void> ensureRun(SqlClient sql, String runId, String workspace, int attempt) {
        return upsertRun(sql, new RunRow(runId, workspace, attempt, "QUEUED"));
    }

    private Uni<Void> upsertRun(SqlClient sql, RunRow r) {
        return sql.preparedQuery(UPSERT_RUN)
                .execute(Tuple.from(new Object[] { r.runId, r.workspace, r.jobId, r.jobName, r.attempt, r.status, r.trigger,
                        ts(r.queuedAt), ts(r.startedAt), ts(r.finishedAt), r.error, r.workerId, ts(r.executionDate),
                        r.errorCode, r.cancelledBy }))
                .replaceWithVoid();
    }

    /** One event's contribution to a run row; fields left null change nothing. */
    private static final class RunRow {
        final String runId;
        final String workspace;
        final int attempt;
        final String status;
        String jobId;
        String jobName;
        String trigger;
        Instant queuedAt;
        Instant startedAt;
        Instant finishedAt;
        Instant executionDate;
        String error;
        String errorCode;
        String workerId;
        String cancelledBy;

        RunRow(String runId, String workspace, int attempt, String status) {
            this.runId = runId;
            this.workspace = workspace;
            this.attempt = attempt;
            this.status = status;
        }

        RunRow job(String id, String name) {
            jobId = id;
            jobName = name;
            return this;
        }

        RunRow trigger(String value) {
            trigger = value;
            return this;
        }

        RunRow queuedAt(Instant at) {
            queuedAt = at;
            return this;
        }

        RunRow startedAt(Instant at) {
            startedAt = at;
            return this;
        }

        RunRow finishedAt(Instant at) {
            finishedAt = at;
            return this;
        }

        RunRow executionDate(Instant at) {
            executionDate = at;
            return this;
        }

        RunRow error(String message, String code) {
            error = message;
            errorCode = code;
            return this;
        }

        RunRow worker(String id) {
            workerId = id;
            return this;
        }

        RunRow cancelledBy(String who) {
            cancelledBy = who;
            return this;
        }
    }

    private Uni<Void> upsertTask(SqlClient sql, String runId, String taskId, int index, int attempt, String status,
            Long rows, String error, Instant startedAt, Instant finishedAt) {
        return sql.preparedQuery(UPSERT_TASK)
                .execute(Tuple.from(new Object[] { runId, taskId, index, attempt, status, rows, error, ts(startedAt),
                        ts(finishedAt) }))
                .replaceWithVoid();
    }

    private static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
