package io.jobplane.api.run;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.run.launch.WaitingRuns;
import io.jobplane.api.security.Caller;
import io.jobplane.events.payload.StatusPrecedence;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Answers run queries. The API's own run records (schema {@code api}) say where a supervised run
 * is; the run read model that metadata-harvester builds from events (schema {@code runs},
 * documented in metadata-harvester/README.md) holds times, task detail, history and logs. A run is
 * never "not found" after its 202: the launch record answers until the read model has it.
 */
@ApplicationScoped
public class RunQueryService {

    private static final String RUN_COLUMNS = """
            rr.run_id, rr.workspace, rr.job_id, rr.job_name, rr.status, rr.attempt, rr.trigger, rr.execution_date,
            rr.queued_at, rr.started_at, rr.finished_at, rr.error_code, rr.error_message, rr.worker_id""";
    private static final String API_COLUMNS = """
            r.id::text as api_run_id, r.workspace as api_workspace, r.job_id::text as api_job_id, j.name as api_job_name,
            r.state as api_state, r.attempt as api_attempt, r.trigger as api_trigger,
            r.execution_date as api_execution_date, r.requested_at as api_requested_at, r.error_code as api_error_code,
            r.worker_id as api_worker_id, r.rerun_of::text as api_rerun_of,
            array(select x.id::text from api.run x where x.rerun_of = r.id order by x.id) as api_reruns,
            r.marked_status as api_marked_status, r.marked_reason as api_marked_reason, r.marked_by as api_marked_by,
            r.marked_at as api_marked_at""";
    /** The launch record and, when the read model has the run, its detail. */
    private static final String STATUS_SQL = "select " + API_COLUMNS + ", " + RUN_COLUMNS + """
             from api.run r join api.job j on j.id = r.job_id
             left join runs.run rr on rr.run_id = r.id::text
            where r.id = $1 and r.workspace = $2""";
    /** The same before metadata-harvester has created the read model. */
    private static final String LAUNCH_SQL = "select " + API_COLUMNS + """
            , null::text as run_id, null::text as workspace, null::text as job_id, null::text as job_name,
              null::text as status, null::int as attempt, null::text as trigger, null::timestamptz as execution_date,
              null::timestamptz as queued_at, null::timestamptz as started_at, null::timestamptz as finished_at,
              null::text as error_code, null::text as error_message, null::text as worker_id
             from api.run r join api.job j on j.id = r.job_id
            where r.id = $1 and r.workspace = $2""";
    /** What the run search shows of each run it finds. */
    private static final String SEARCH_COLUMNS = RUN_COLUMNS + ", rr.requested_by, rr.tags, rr.job_labels";
    /** Runs of deleted jobs live on in the read model only. */
    private static final String READ_MODEL_SQL = "select " + RUN_COLUMNS + " from runs.run rr where rr.run_id = $1 and rr.workspace = $2";
    private static final String TASKS_SQL = """
            select task_id, task_index, status, rows_affected, error_message, started_at, finished_at,
                   rows_processed, bytes_processed
              from runs.task_run where run_id = $1 order by task_index""";
    private static final String JOB_SQL = "select 1 from api.job where id = $1 and workspace = $2";
    private static final String ACTIVE_SQL = "select count(*) filter (where state in " + RunState.ACTIVE_SQL + ") as active,"
            + " count(*) filter (where state = 'QUEUED') as queued"
            + " from api.run where job_id = $1 and state in " + RunState.UNFINISHED_SQL;
    private static final String LAST_RUN_OF_TASKS_SQL = """
            select distinct on (t.task_id) t.task_id, t.task_index, t.status, t.rows_affected, t.error_message,
                   t.started_at, t.finished_at, t.rows_processed, t.bytes_processed, r.run_id, r.attempt, r.status as run_status, r.execution_date
              from runs.task_run t join runs.run r on r.run_id = t.run_id
             where t.task_id = any($1) and r.workspace = $2 and r.job_id = $3
             order by t.task_id, t.run_id desc""";
    private static final String LOGS_SQL = """
            select attempt, seq, task_id, task_index, level, message, truncated, at from runs.run_log
             where run_id = $1 and (attempt, seq) > ($2, $3) %s order by attempt, seq limit $4""";

    private final Pool pool;
    private final WaitingRuns waiting;

    public RunQueryService(Pool pool, WaitingRuns waiting) {
        this.pool = pool;
        this.waiting = waiting;
    }

    /** One run with its tasks. */
    public Uni<RunStatusView> status(Caller caller, UUID runId) {
        return find(caller, runId).chain(this::withTasks);
    }

    /**
     * One run with its tasks and, while it waits for admission, why, its place in the queue and its estimated
     * start ({@link WaitingRuns}: a few more queries, for a waiting run only).
     */
    public Uni<RunStatusView> statusWithWait(Caller caller, UUID runId) {
        return status(caller, runId).chain(run -> !"QUEUED".equals(run.status())
                ? Uni.createFrom().item(run)
                : waiting.of(caller.workspace(), runId).map(w -> w == null ? run
                        : run.waiting(w.blockedBy(), w.queuePosition(), w.estimatedStartAt())));
    }

    /** One run without its tasks, or 404 when the caller's workspace has no such run. */
    private Uni<RunStatusView> find(Caller caller, UUID runId) {
        Tuple key = Tuple.of(runId, caller.workspace());
        return pool.preparedQuery(STATUS_SQL).execute(key)
                .map(rows -> rows.size() == 0 ? null : supervised(rows.iterator().next()))
                .onFailure(RunActivity::readModelMissing).recoverWithUni(() -> launchRecordOnly(key))
                .onItem().ifNull().switchTo(() -> readModelOnly(caller, runId))
                .onItem().ifNull().failWith(() -> ApiException.notFound("run", runId));
    }

    /** One run of the job (CData's "retrieve a specified job history"). */
    public Uni<RunStatusView> ofJob(Caller caller, UUID jobId, UUID runId) {
        return status(caller, runId).invoke(run -> {
            if (!jobId.toString().equals(run.jobId())) {
                throw ApiException.notFound("run", runId);
            }
        });
    }

    /**
     * The job's runs, newest first (by execution date when a range of them is asked for): filtered by status
     * and execution date, paged by a cursor.
     */
    public Uni<RunStatusView.Page> history(Caller caller, UUID jobId, RunFilter filter) {
        return requireJob(caller, jobId).chain(() -> {
            List<Object> params = new ArrayList<>(List.of(caller.workspace(), jobId.toString()));
            StringBuilder sql = new StringBuilder("select " + RUN_COLUMNS
                    + " from runs.run rr where rr.workspace = $1 and rr.job_id = $2");
            filter.where(sql, params);
            params.add(filter.limit() + 1);
            sql.append(filter.orderBy()).append(" limit $").append(params.size());
            return pool.preparedQuery(sql.toString()).execute(Tuple.from(params))
                    .map(rows -> {
                        List<RunStatusView> runs = new ArrayList<>();
                        rows.forEach(r -> runs.add(fromReadModel(r)));
                        RunStatusView last = lastOfFullPage(runs, filter.limit());
                        return new RunStatusView.Page(runs, last == null ? null : last.runId());
                    })
                    .onFailure(RunActivity::readModelMissing).recoverWithItem(new RunStatusView.Page(List.of(), null));
        });
    }

    /**
     * Every run of the workspace matching the search, newest first (queued time, then run id), paged
     * by a cursor: read from the run read model, so a run is found once metadata-harvester has
     * applied its queued event.
     */
    public Uni<FoundRun.Page> search(Caller caller, RunSearch search) {
        RunSearch.Statement statement = search.statement(caller.workspace(), SEARCH_COLUMNS);
        return searchPage(statement.sql(), Tuple.from(statement.params()))
                .map(rows -> {
                    List<FoundRun> runs = new ArrayList<>();
                    rows.forEach(r -> runs.add(found(r)));
                    FoundRun last = lastOfFullPage(runs, search.limit());
                    return new FoundRun.Page(runs, last == null ? null : RunSearch.cursor(last.queuedAt(), last.runId()));
                })
                .onFailure(RunActivity::readModelMissing).recoverWithItem(new FoundRun.Page(List.of(), null));
    }

    /**
     * One search, planned for its values: the best index differs with them (a narrow finished range
     * or a wide one, a rare tag or a common one), and a prepared statement's generic plan would pick
     * one for all.
     */
    private Uni<RowSet<Row>> searchPage(String sql, Tuple values) {
        return pool.withTransaction(c -> c.query("set local plan_cache_mode = force_custom_plan").execute()
                .chain(() -> c.preparedQuery(sql).execute(values)));
    }

    private static FoundRun found(Row r) {
        Instant started = instant(r, "started_at");
        Instant finished = instant(r, "finished_at");
        Object tags = r.getValue("tags");
        Object labels = r.getValue("job_labels");
        Map<String, String> tagMap = new TreeMap<>();
        if (tags instanceof JsonObject object) {
            object.forEach(e -> tagMap.put(e.getKey(), String.valueOf(e.getValue())));
        }
        List<String> labelList = new ArrayList<>();
        if (labels instanceof JsonArray array) {
            array.forEach(l -> labelList.add(String.valueOf(l)));
        }
        return new FoundRun(r.getString("run_id"), r.getString("job_id"), r.getString("job_name"), r.getString("status"),
                r.getInteger("attempt"), r.getString("trigger"), r.getString("requested_by"), tagMap, labelList,
                instant(r, "execution_date"), instant(r, "queued_at"), started, finished,
                RunStatusView.millisBetween(started, finished), r.getString("error_code"), r.getString("error_message"));
    }

    /** The job's latest run and how many are active or waiting. */
    public Uni<RunStatusView.JobStatusView> jobStatus(Caller caller, UUID jobId) {
        return history(caller, jobId, RunFilter.latest(1))
                .chain(page -> pool.preparedQuery(ACTIVE_SQL).execute(Tuple.of(jobId)).map(rows -> {
                    Row counts = rows.iterator().next();
                    RunStatusView last = page.runs().isEmpty() ? null : page.runs().get(0);
                    String status = last == null ? "NEVER_RUN" : last.status();
                    return new RunStatusView.JobStatusView(jobId.toString(), status, counts.getLong("active"),
                            counts.getLong("queued"), last);
                }));
    }

    /** The last run of each of the given tasks of the job. */
    public Uni<List<RunStatusView.TaskHistoryEntry>> lastRunOfTasks(Caller caller, UUID jobId, List<UUID> taskIds) {
        String[] ids = taskIds.stream().map(UUID::toString).toArray(String[]::new);
        return pool.preparedQuery(LAST_RUN_OF_TASKS_SQL).execute(Tuple.of(ids, caller.workspace(), jobId.toString()))
                .map(rows -> {
                    List<RunStatusView.TaskHistoryEntry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(taskEntry(r)));
                    out.sort(java.util.Comparator.comparingInt(e -> e.task().index()));
                    return out;
                })
                .onFailure(RunActivity::readModelMissing).recoverWithItem(List.of());
    }

    /** One task's runs, newest first. */
    public Uni<RunStatusView.TaskHistoryPage> taskHistory(Caller caller, UUID jobId, UUID taskId, int limit, String cursor) {
        List<Object> params = new ArrayList<>(List.of(taskId.toString(), caller.workspace(), jobId.toString()));
        StringBuilder sql = new StringBuilder("""
                select t.task_id, t.task_index, t.status, t.rows_affected, t.error_message, t.started_at, t.finished_at,
                       t.rows_processed, t.bytes_processed, r.run_id, r.attempt, r.status as run_status, r.execution_date
                  from runs.task_run t join runs.run r on r.run_id = t.run_id
                 where t.task_id = $1 and r.workspace = $2 and r.job_id = $3""");
        if (cursor != null) {
            params.add(RunFilter.cursor(cursor));
            sql.append(" and t.run_id < $").append(params.size());
        }
        params.add(limit + 1);
        sql.append(" order by t.run_id desc limit $").append(params.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
            List<RunStatusView.TaskHistoryEntry> out = new ArrayList<>();
            rows.forEach(r -> out.add(taskEntry(r)));
            RunStatusView.TaskHistoryEntry last = lastOfFullPage(out, limit);
            return new RunStatusView.TaskHistoryPage(out, last == null ? null : last.runId());
        }).onFailure(RunActivity::readModelMissing).recoverWithItem(new RunStatusView.TaskHistoryPage(List.of(), null));
    }

    /** Log lines of the run after {@code afterSeq} (of the given attempt), optionally of one task. */
    public Uni<RunStatusView.LogPage> logs(Caller caller, UUID runId, String taskId, int afterAttempt, long afterSeq, int limit) {
        return find(caller, runId).chain(run -> {
            List<Object> params = new ArrayList<>(List.of(runId.toString(), afterAttempt, afterSeq, limit + 1));
            String taskFilter = "";
            if (taskId != null) {
                params.add(taskId);
                taskFilter = "and task_id = $" + params.size();
            }
            return pool.preparedQuery(LOGS_SQL.formatted(taskFilter)).execute(Tuple.from(params)).map(rows -> {
                List<RunStatusView.LogLine> lines = new ArrayList<>();
                for (Row r : rows) {
                    lines.add(new RunStatusView.LogLine(r.getInteger("attempt"), r.getLong("seq"), r.getString("task_id"),
                            r.getInteger("task_index"), r.getString("level"), r.getString("message"),
                            r.getBoolean("truncated"), instant(r, "at")));
                }
                RunStatusView.LogLine last = lastOfFullPage(lines, limit);
                return new RunStatusView.LogPage(lines, last == null ? null : last.seq());
            }).onFailure(RunActivity::readModelMissing).recoverWithItem(new RunStatusView.LogPage(List.of(), null));
        });
    }

    Uni<Void> requireJob(Caller caller, UUID jobId) {
        return pool.preparedQuery(JOB_SQL).execute(Tuple.of(jobId, caller.workspace())).invoke(rows -> {
            if (rows.size() == 0) {
                throw ApiException.notFound("job", jobId);
            }
        }).replaceWithVoid();
    }

    private Uni<RunStatusView> launchRecordOnly(Tuple key) {
        return pool.preparedQuery(LAUNCH_SQL).execute(key).map(rows -> rows.size() == 0 ? null : supervised(rows.iterator().next()));
    }

    private Uni<RunStatusView> readModelOnly(Caller caller, UUID runId) {
        return pool.preparedQuery(READ_MODEL_SQL).execute(Tuple.of(runId.toString(), caller.workspace()))
                .map(rows -> rows.size() == 0 ? null : fromReadModel(rows.iterator().next()))
                .onFailure(RunActivity::readModelMissing).recoverWithNull();
    }

    private Uni<RunStatusView> withTasks(RunStatusView run) {
        return pool.preparedQuery(TASKS_SQL).execute(Tuple.of(run.runId()))
                .map(rows -> withTasks(run, rows))
                .onFailure(RunActivity::readModelMissing).recoverWithItem(run);
    }

    /**
     * The API's state says where the run is; the read model may be ahead of it (a finished event
     * the supervisor has not applied yet) or behind it (a cancel not relayed yet). The further of
     * the two, for the latest attempt, is the answer.
     */
    private static RunStatusView supervised(Row r) {
        RunState state = RunState.valueOf(r.getString("api_state"));
        int apiAttempt = r.getInteger("api_attempt");
        String status = state == RunState.UNKNOWN ? null : state.publicStatus();
        String modelStatus = r.getString("status");
        Integer modelAttempt = r.getInteger("attempt");
        String markedStatus = r.getString("api_marked_status");
        if (markedStatus != null) {
            // An operator's mark is the last word on the ended run, whatever the read model says.
            status = markedStatus;
        } else if (modelStatus != null && (status == null
                || (modelAttempt == apiAttempt && StatusPrecedence.runRank(modelStatus) > StatusPrecedence.runRank(status)))) {
            status = modelStatus;
        }
        boolean sameAttempt = modelAttempt != null && modelAttempt == apiAttempt;
        Instant started = sameAttempt ? instant(r, "started_at") : null;
        Instant finished = sameAttempt ? instant(r, "finished_at") : null;
        String errorCode = r.getString("api_error_code") != null ? r.getString("api_error_code")
                : sameAttempt ? r.getString("error_code") : null;
        return new RunStatusView(r.getString("api_run_id"), r.getString("api_workspace"), r.getString("api_job_id"),
                r.getString("api_job_name"), status == null ? "QUEUED" : status, apiAttempt, r.getString("api_trigger"),
                instant(r, "api_execution_date"), instant(r, "api_requested_at"), started, finished,
                RunStatusView.millisBetween(started, finished), errorCode,
                sameAttempt ? r.getString("error_message") : null,
                r.getString("api_worker_id") != null ? r.getString("api_worker_id") : sameAttempt ? r.getString("worker_id") : null,
                null, r.getString("api_rerun_of"), List.of(r.getArrayOfStrings("api_reruns")),
                markedStatus == null ? null : new RunStatusView.Marked(markedStatus, r.getString("api_marked_reason"),
                        r.getString("api_marked_by"), instant(r, "api_marked_at")));
    }

    private static RunStatusView fromReadModel(Row r) {
        Instant started = instant(r, "started_at");
        Instant finished = instant(r, "finished_at");
        return new RunStatusView(r.getString("run_id"), r.getString("workspace"), r.getString("job_id"),
                r.getString("job_name"), r.getString("status"), r.getInteger("attempt"), r.getString("trigger"),
                instant(r, "execution_date"), instant(r, "queued_at"), started, finished,
                RunStatusView.millisBetween(started, finished), r.getString("error_code"), r.getString("error_message"),
                r.getString("worker_id"), null);
    }

    private static RunStatusView withTasks(RunStatusView run, RowSet<Row> taskRows) {
        List<RunStatusView.TaskRunView> tasks = new ArrayList<>();
        for (Row t : taskRows) {
            tasks.add(task(t));
        }
        return run.withTasks(tasks);
    }

    private static RunStatusView.TaskRunView task(Row t) {
        Instant started = instant(t, "started_at");
        Instant finished = instant(t, "finished_at");
        return new RunStatusView.TaskRunView(t.getString("task_id"), t.getInteger("task_index"), t.getString("status"),
                t.getLong("rows_affected"), t.getString("error_message"), started, finished,
                RunStatusView.millisBetween(started, finished), t.getLong("rows_processed"), t.getLong("bytes_processed"));
    }

    private static RunStatusView.TaskHistoryEntry taskEntry(Row r) {
        return new RunStatusView.TaskHistoryEntry(r.getString("run_id"), r.getInteger("attempt"), r.getString("run_status"),
                instant(r, "execution_date"), task(r));
    }

    /**
     * Pages are read with one row more than asked for: drops it and returns the page's last row
     * when there is a next page (its cursor), null on the last page.
     */
    private static <T> T lastOfFullPage(List<T> rows, int limit) {
        if (rows.size() <= limit) {
            return null;
        }
        rows.remove(rows.size() - 1);
        return rows.get(rows.size() - 1);
    }

    static Instant instant(Row row, String column) {
        Object value = row.getValue(column);
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC);
        }
        return null;
    }
}
