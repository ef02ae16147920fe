package io.jobplane.api.run;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Answers run status from the run read model that metadata-harvester maintains (schema
 * {@code runs}, documented in metadata-harvester/README.md). Until the harvester has seen a run,
 * the API's own launch record answers {@code QUEUED}, so a run is never "not found" after its 202.
 */
@ApplicationScoped
public class RunQueryService {

    private static final String RUN_SQL = """
            select run_id, workspace, job_id, job_name, status, attempt, trigger, queued_at, started_at,
                   finished_at, error_message
              from runs.run where run_id = $1 and workspace = $2""";
    private static final String TASKS_SQL = """
            select task_id, task_index, status, rows_affected, error_message, started_at, finished_at
              from runs.task_run where run_id = $1 order by task_index""";
    private static final String LAUNCH_SQL = """
            select r.id, r.workspace, r.job_id, j.name, r.attempt, r.trigger, r.requested_at
              from api.run r join api.job j on j.id = r.job_id where r.id = $1 and r.workspace = $2""";

    private final Pool pool;

    public RunQueryService(Pool pool) {
        this.pool = pool;
    }

    public Uni<RunStatusView> status(Caller caller, UUID runId) {
        return fromReadModel(caller, runId)
                .onItem().ifNull().switchTo(() -> fromLaunchRecord(caller, runId))
                .onItem().ifNull().failWith(() -> ApiException.notFound("run", runId));
    }

    private Uni<RunStatusView> fromReadModel(Caller caller, UUID runId) {
        Tuple key = Tuple.of(runId.toString(), caller.workspace());
        return pool.preparedQuery(RUN_SQL).execute(key)
                .chain(runs -> {
                    if (runs.size() == 0) {
                        return Uni.createFrom().<RunStatusView>nullItem();
                    }
                    Row run = runs.iterator().next();
                    return pool.preparedQuery(TASKS_SQL).execute(Tuple.of(runId.toString()))
                            .map(tasks -> toView(run, tasks));
                })
                .onFailure(RunActivity::readModelMissing).recoverWithNull();
    }

    private Uni<RunStatusView> fromLaunchRecord(Caller caller, UUID runId) {
        return pool.preparedQuery(LAUNCH_SQL).execute(Tuple.of(runId, caller.workspace()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new RunStatusView(r.getUUID("id").toString(), r.getString("workspace"),
                            r.getUUID("job_id").toString(), r.getString("name"), "QUEUED", r.getInteger("attempt"),
                            r.getString("trigger"), instant(r, "requested_at"), null, null, null, null, List.of());
                });
    }

    private static RunStatusView toView(Row run, RowSet<Row> taskRows) {
        List<RunStatusView.TaskRunView> tasks = new ArrayList<>();
        for (Row t : taskRows) {
            Instant started = instant(t, "started_at");
            Instant finished = instant(t, "finished_at");
            tasks.add(new RunStatusView.TaskRunView(t.getString("task_id"), t.getInteger("task_index"),
                    t.getString("status"), t.getLong("rows_affected"), t.getString("error_message"), started, finished,
                    RunStatusView.millisBetween(started, finished)));
        }
        Instant started = instant(run, "started_at");
        Instant finished = instant(run, "finished_at");
        return new RunStatusView(run.getString("run_id"), run.getString("workspace"), run.getString("job_id"),
                run.getString("job_name"), run.getString("status"), run.getInteger("attempt"), run.getString("trigger"),
                instant(run, "queued_at"), started, finished, RunStatusView.millisBetween(started, finished),
                run.getString("error_message"), tasks);
    }

    private static Instant instant(Row row, String column) {
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
