package io.jobplane.api.run;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.failure.Failures;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Whether a job or a task is running now: a job from the API's own run records (a run is active
 * from its launch until it ends), a task from the run read model's task detail.
 */
@ApplicationScoped
public class RunActivity {

    /** The API supervises every run, so its own record says whether one is still going. */
    private static final String ACTIVE_RUNS = """
            select count(*) from api.run r
             where r.job_id = $1 and r.state in""" + " " + RunState.UNFINISHED_SQL;
    private static final String RUNNING_TASK = """
            select count(*) from runs.task_run t join runs.run r on r.run_id = t.run_id
             where t.task_id = $1 and t.status = 'RUNNING' and r.status in ('QUEUED', 'RUNNING', 'CANCELLING')""";

    private final Pool pool;

    public RunActivity(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> jobIsRunning(UUID jobId) {
        return count(ACTIVE_RUNS, jobId).map(n -> n > 0);
    }

    public Uni<Boolean> taskIsRunning(UUID taskId) {
        return pool.preparedQuery(RUNNING_TASK).execute(Tuple.of(taskId.toString()))
                .map(rows -> rows.iterator().next().getLong(0) > 0)
                .onFailure(RunActivity::readModelMissing).recoverWithItem(false);
    }

    private Uni<Long> count(String sql, UUID jobId) {
        return pool.preparedQuery(sql).execute(Tuple.of(jobId)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** PostgreSQL "relation does not exist": the harvester has not created the run read model yet. */
    public static boolean readModelMissing(Throwable failure) {
        return Failures.isUndefinedTable(failure);
    }
}
