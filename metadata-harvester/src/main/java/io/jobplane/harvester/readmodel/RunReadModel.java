package io.jobplane.harvester.readmodel;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.payload.RunFinished;
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
                                       started_at, finished_at, error_message, worker_id, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
            on conflict (run_id) do update set
                job_id        = coalesce(r.job_id, excluded.job_id),
                job_name      = coalesce(r.job_name, excluded.job_name),
                trigger       = coalesce(r.trigger, excluded.trigger),
                queued_at     = coalesce(r.queued_at, excluded.queued_at),
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

    public Uni<Void> queued(SqlClient sql, RunQueued e) {
        Uni<Void> run = upsertRun(sql, e.runId(), e.workspace(), e.jobId(), e.jobName(), e.attempt(), "QUEUED",
                e.trigger(), e.queuedAt(), null, null, null, null);
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
        return upsertRun(sql, e.runId(), e.workspace(), e.jobId(), null, e.attempt(), "RUNNING", null, null,
                e.startedAt(), null, null, e.workerId());
    }

    public Uni<Void> finished(SqlClient sql, RunFinished e) {
        return upsertRun(sql, e.runId(), e.workspace(), e.jobId(), null, e.attempt(), e.status().name(), null, null, null,
                e.finishedAt(), e.errorMessage(), null)
                .chain(() -> closeOpenTasks(sql, e.runId()));
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
        return upsertRun(sql, runId, workspace, null, null, attempt, "QUEUED", null, null, null, null, null, null);
    }

    private Uni<Void> upsertRun(SqlClient sql, String runId, String workspace, String jobId, String jobName, int attempt,
            String status, String trigger, Instant queuedAt, Instant startedAt, Instant finishedAt, String error,
            String workerId) {
        return sql.preparedQuery(UPSERT_RUN)
                .execute(Tuple.from(new Object[] { runId, workspace, jobId, jobName, attempt, status, trigger, ts(queuedAt),
                        ts(startedAt), ts(finishedAt), error, workerId }))
                .replaceWithVoid();
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
