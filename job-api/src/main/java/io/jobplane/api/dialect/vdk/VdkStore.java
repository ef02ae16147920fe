package io.jobplane.api.dialect.vdk;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the VDK dialect keeps beside the native job (tables {@code api.vdk_job}, {@code api.vdk_deployment},
 * {@code api.vdk_execution}) and how it reads a data job in one query. Writes go through the current
 * Hibernate Reactive session, so they commit with the native change they belong to.
 */
@ApplicationScoped
public class VdkStore {

    private static final String JOB_COLUMNS = """
            j.id, j.name, j.workspace, j.description, j.pinned_source_version, vj.config::text as config,
            d.deployment_id, d.job_version, d.vdk_version, d.python_version, d.mode, d.enabled, d.schedule_cron,
            d.resources::text as resources, d.deployed_by, d.deployed_at""";
    private static final String FROM = """
             from api.job j left join api.vdk_job vj on vj.job_id = j.id
                            left join api.vdk_deployment d on d.job_id = j.id""";
    private static final String ONE_SQL = "select " + JOB_COLUMNS + " " + FROM
            + " where j.workspace = $1 and j.name = $2 and j.type = 'STEPS'";
    /** The team's data jobs with a summary of their executions, for jobs_query. */
    private static final String TEAM_SQL = "select " + JOB_COLUMNS + """
            , (select count(*) from api.run r where r.job_id = j.id and r.state = 'SUCCESS') as succeeded,
              (select count(*) from api.run r where r.job_id = j.id and r.state = 'FAILED') as failed
            """ + " " + FROM + " where j.workspace = $1 and j.type = 'STEPS' order by j.name limit $2";
    private static final String EXECUTIONS_SQL = """
            select r.id, r.job_id, r.state, r.trigger, r.requested_at, r.requested_by, r.started_at, r.finished_at,
                   r.error_code, rr.error_message, e.started_by, e.op_id, e.deployment::text as deployment
              from api.run r left join runs.run rr on rr.run_id = r.id::text
                             left join api.vdk_execution e on e.run_id = r.id
             where r.job_id = any($1) %s
             order by r.id desc limit $2""";
    private static final String RECENT_SQL = """
            select x.* from (
              select r.id, r.job_id, r.state, r.trigger, r.requested_at, r.requested_by, r.started_at, r.finished_at,
                     r.error_code, rr.error_message, e.started_by, e.op_id, e.deployment::text as deployment,
                     row_number() over (partition by r.job_id order by r.id desc) as n
                from api.run r left join runs.run rr on rr.run_id = r.id::text
                               left join api.vdk_execution e on e.run_id = r.id
               where r.job_id = any($1)) x
             where x.n <= $2 order by x.job_id, x.id desc""";
    private static final String ACTIVE_SQL = """
            select id from api.run where job_id = $1 and state in ('QUEUED', 'DISPATCHED', 'RUNNING', 'CANCELLING') limit 1""";
    private static final String VERSION_SQL = """
            select version from api.job_source where job_id = $1 and sha256 = $2 order by version desc limit 1""";

    private final Pool pool;

    public VdkStore(Pool pool) {
        this.pool = pool;
    }

    /** A data job row: the native job's fields VDK shows, its VDK config and deployment (null fields when none). */
    public record JobRow(UUID id, String name, String team, String description, Integer pinnedVersion, String config,
            DeploymentRow deployment, long succeeded, long failed) {
    }

    /** A deployment row. */
    public record DeploymentRow(String id, String jobVersion, String vdkVersion, String pythonVersion, String mode,
            boolean enabled, String scheduleCron, String resources, String deployedBy, Instant deployedAt) {
    }

    /** An execution row: the native run and what VDK recorded when it started it (null for scheduled runs). */
    public record ExecutionRow(UUID id, UUID jobId, String state, String trigger, Instant requestedAt, String requestedBy,
            Instant startedAt, Instant finishedAt, String errorCode, String errorMessage, String startedBy, String opId,
            String deployment) {
    }

    /** The team's data job of that name; null when there is none. */
    public Uni<JobRow> job(String team, String name) {
        return pool.preparedQuery(ONE_SQL).execute(Tuple.of(team, name))
                .map(rows -> rows.size() == 0 ? null : job(rows.iterator().next(), false));
    }

    /** The team's data jobs by name, at most {@code limit}. */
    public Uni<List<JobRow>> jobs(String team, int limit) {
        return pool.preparedQuery(TEAM_SQL).execute(Tuple.of(team, limit)).map(rows -> {
            List<JobRow> jobs = new ArrayList<>();
            rows.forEach(r -> jobs.add(job(r, true)));
            return jobs;
        });
    }

    /** The jobs' executions, newest first, at most {@code limit}; {@code states} (run states) filters when not empty. */
    public Uni<List<ExecutionRow>> executions(List<UUID> jobIds, List<String> states, int limit) {
        String filter = states.isEmpty() ? "" : "and r.state = any($3)";
        Tuple args = states.isEmpty() ? Tuple.of(jobIds.toArray(UUID[]::new), limit)
                : Tuple.of(jobIds.toArray(UUID[]::new), limit, states.toArray(String[]::new));
        return pool.preparedQuery(EXECUTIONS_SQL.formatted(filter)).execute(args).map(rows -> {
            List<ExecutionRow> out = new ArrayList<>();
            rows.forEach(r -> out.add(execution(r)));
            return out;
        });
    }

    /** The jobs' latest {@code perJob} executions each, newest first, by job. */
    public Uni<Map<UUID, List<ExecutionRow>>> recentExecutions(List<UUID> jobIds, int perJob) {
        return pool.preparedQuery(RECENT_SQL).execute(Tuple.of(jobIds.toArray(UUID[]::new), perJob)).map(rows -> {
            Map<UUID, List<ExecutionRow>> out = new HashMap<>();
            rows.forEach(r -> out.computeIfAbsent(r.getUUID("job_id"), id -> new ArrayList<>()).add(execution(r)));
            return out;
        });
    }

    /** One execution of the job; null when the job has none of that id. */
    public Uni<ExecutionRow> execution(UUID jobId, UUID runId) {
        return pool.preparedQuery(EXECUTIONS_SQL.formatted("and r.id = $3"))
                .execute(Tuple.of(new UUID[] { jobId }, 1, runId))
                .map(rows -> rows.size() == 0 ? null : execution(rows.iterator().next()));
    }

    /** Whether the job has a run that has not ended. */
    public Uni<Boolean> hasActiveRun(UUID jobId) {
        return pool.preparedQuery(ACTIVE_SQL).execute(Tuple.of(jobId)).map(rows -> rows.size() > 0);
    }

    /** The job's package version with that checksum (the newest, should one be uploaded twice); null when none. */
    public Uni<Integer> version(UUID jobId, String sha256) {
        return pool.preparedQuery(VERSION_SQL).execute(Tuple.of(jobId, sha256))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("version"));
    }

    // --- writes, in the caller's transaction ----------------------------------------------------

    /** Stores the job's VDK config as given. */
    public Uni<Void> saveConfig(UUID jobId, String config) {
        return update("""
                insert into api.vdk_job (job_id, config) values (?1, cast(cast(?2 as text) as jsonb))
                on conflict (job_id) do update set config = excluded.config""", jobId, config);
    }

    /** Creates or replaces the job's deployment. */
    public Uni<Void> saveDeployment(UUID jobId, DeploymentRow d) {
        return update("""
                insert into api.vdk_deployment (job_id, deployment_id, job_version, vdk_version, python_version, mode, enabled,
                                                schedule_cron, resources, deployed_by, deployed_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, cast(cast(?9 as text) as jsonb), ?10, ?11)
                on conflict (job_id) do update set deployment_id = excluded.deployment_id, job_version = excluded.job_version,
                       vdk_version = excluded.vdk_version, python_version = excluded.python_version, mode = excluded.mode,
                       enabled = excluded.enabled, schedule_cron = excluded.schedule_cron, resources = excluded.resources,
                       deployed_by = excluded.deployed_by, deployed_at = excluded.deployed_at""",
                jobId, d.id(), d.jobVersion(), d.vdkVersion(), d.pythonVersion(), d.mode(), d.enabled(), d.scheduleCron(),
                d.resources(), d.deployedBy(), d.deployedAt().atOffset(ZoneOffset.UTC));
    }

    /** Deletes the job's deployment. */
    public Uni<Void> deleteDeployment(UUID jobId) {
        return update("delete from api.vdk_deployment where job_id = ?1", jobId);
    }

    /** Records what VDK knows of an execution it started. */
    public Uni<Void> saveExecution(UUID runId, UUID jobId, String startedBy, String opId, String deployment) {
        return update("""
                insert into api.vdk_execution (run_id, job_id, started_by, op_id, deployment)
                values (?1, ?2, ?3, ?4, cast(cast(?5 as text) as jsonb)) on conflict (run_id) do nothing""",
                runId, jobId, startedBy, opId, deployment);
    }

    private static Uni<Void> update(String sql, Object... params) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    private static JobRow job(Row r, boolean counts) {
        DeploymentRow deployment = r.getString("deployment_id") == null ? null
                : new DeploymentRow(r.getString("deployment_id"), r.getString("job_version"), r.getString("vdk_version"),
                        r.getString("python_version"), r.getString("mode"), r.getBoolean("enabled"), r.getString("schedule_cron"),
                        r.getString("resources"), r.getString("deployed_by"), instant(r.getOffsetDateTime("deployed_at")));
        return new JobRow(r.getUUID("id"), r.getString("name"), r.getString("workspace"), r.getString("description"),
                r.getInteger("pinned_source_version"), r.getString("config"), deployment,
                counts ? r.getLong("succeeded") : 0, counts ? r.getLong("failed") : 0);
    }

    private static ExecutionRow execution(Row r) {
        return new ExecutionRow(r.getUUID("id"), r.getUUID("job_id"), r.getString("state"), r.getString("trigger"),
                instant(r.getOffsetDateTime("requested_at")), r.getString("requested_by"),
                instant(r.getOffsetDateTime("started_at")), instant(r.getOffsetDateTime("finished_at")),
                r.getString("error_code"), r.getString("error_message"), r.getString("started_by"), r.getString("op_id"),
                r.getString("deployment"));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
