package io.jobplane.api.run.launch;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.freeze.FreezeWindow;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.TaskEntity;
import io.jobplane.api.run.LaunchResult;
import io.jobplane.api.run.RunActivity;
import io.jobplane.api.run.RunEntity;
import io.jobplane.api.run.RunState;
import io.jobplane.events.Topics;
import io.jobplane.events.TraceContext;
import io.jobplane.events.trace.Traces;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The launch path on the database, in as few round trips as a launch can take: one query reads a
 * job with its tasks, connections, workspace cap and freeze, and step package version (pinned, else the newest: the plan), one
 * statement writes a run dispatched at once with its two outbox records. That statement is a
 * transaction of its own, so the run and its command commit together or not at all. Runs that a
 * concurrency limit may hold are written in a transaction that admits them ({@link LaunchPipeline}).
 */
@ApplicationScoped
class LaunchStore {

    /**
     * The plan of every launch. It names only the tables a launch of any job reads (not {@code api.run}: each
     * analyze of that busy table would make every connection plan this statement again, and planning it
     * cost more than running it); what only a discovery or a permission migration needs is read by
     * {@link #FILES_SQL}.
     */
    private static final String PLAN_SQL = """
            select j.id, j.name, j.type, j.status, j.continue_on_error, j.settings, j.destination_connection_id,
                   c.name as d_name, c.type as d_type, c.jdbc_url as d_jdbc_url, c.username as d_username,
                   c.secrets as d_secrets, c.base_path as d_base_path, c.base_url as d_base_url, c.headers as d_headers,
                   s.id as s_id, s.name as s_name, s.type as s_type, s.jdbc_url as s_jdbc_url,
                   s.username as s_username, s.secrets as s_secrets, s.base_path as s_base_path, s.base_url as s_base_url,
                   s.headers as s_headers, j.properties, j.step_secrets, j.parameter, j.secrets, j.labels,
                   case when j.type = 'STEPS'
                        then coalesce(j.pinned_source_version,
                                      (select max(v.version) from api.job_source v where v.job_id = j.id)) end as source_version,
                   coalesce((select json_agg(json_build_array(t.id, t.task_index, t.query, t.is_active)
                                             order by t.task_index)
                               from api.task t where t.job_id = j.id), '[]') as tasks,
                   (select w.max_active_runs from api.workspace w where w.id = j.workspace) as workspace_cap,
                   f.starts_at as f_starts_at, f.ends_at as f_ends_at, f.mode as f_mode, f.reason as f_reason
              from api.job j left join api.connection c on c.id = j.destination_connection_id
                             left join api.connection s on s.id = j.source_connection_id
                             left join api.workspace_freeze f on f.workspace = j.workspace
             where j.workspace = $1 and j.id = $2""";
    /**
     * What a discovery or a permission migration reads besides: the filesystem connection its
     * {@code data_location} ({@code location}) names when it names no source connection, and for a
     * discovery when its last successful run started (where an incremental discovery continues from).
     */
    private static final String FILES_SQL = """
            select s.id as s_id, s.name as s_name, s.type as s_type, s.jdbc_url as s_jdbc_url,
                   s.username as s_username, s.secrets as s_secrets, s.base_path as s_base_path, s.base_url as s_base_url,
                   s.headers as s_headers,
                   case when j.type = 'METADATA_DISCOVERY'
                        then (select max(r.started_at) from api.run r where r.job_id = j.id and r.state = 'SUCCESS')
                        end as last_success_started_at
              from api.job j
                   left join lateral (
                         select x.* from api.connection x
                          where j.source_connection_id is null
                            and x.workspace = j.workspace and x.name = substring(
                                coalesce(cast(j.parameter as jsonb) #>> '{metadata_discovery_parameter,data_location}',
                                         cast(j.parameter as jsonb) #>> '{permission_migration_parameter,location}')
                                from '^[A-Za-z][A-Za-z0-9+.-]*://([^/]+)')
                          limit 1) s on true
             where j.workspace = $1 and j.id = $2""";
    /**
     * The highest job id imported, and the jobs imported in the last 3 days while still queued or running
     * (at most 1,000, newest first): an ingest reads those again so their status moves on. Job ids are the
     * platform's numbers; a record id that is not one is passed over.
     */
    private static final String INGEST_STATE_SQL = """
            select (select max(cast(record_id as bigint)) from catalog.platform_record
                     where workspace = $1 and kind = 'jobs' and source = $2 and record_id ~ '^[0-9]{1,18}$') as max_job_id,
                   (select string_agg(record_id, ',') from (
                           select record_id from catalog.platform_record
                            where workspace = $1 and kind = 'jobs' and source = $2 and record_id ~ '^[0-9]{1,18}$'
                              and json ->> 'status' in ('queued', 'running') and created_at > now() - interval '3 days'
                            order by cast(record_id as bigint) desc limit 1000) r) as running_job_ids""";
    private static final String KNOWN_TABLES_SQL = """
            select database_key, table_key from catalog.catalog_table
             where workspace = $1 and catalog_key = 'hive' order by database_key, table_key limit $2""";
    private static final String BY_KEY_SQL = """
            select id, job_id, attempt, trigger, requested_at, state from api.run
             where workspace = $1 and job_id = $2 and idempotency_key = $3""";
    /**
     * The run (already dispatched) and, only when it was inserted, its queued event and launch
     * command, in that order. A concurrent launch with the same key makes this insert nothing.
     */
    private static final String INSERT_SQL = """
            with r as (
              insert into api.run (id, workspace, job_id, attempt, trigger, idempotency_key, requested_at,
                                   requested_by, state, execution_date, parameters, task_ids, dispatched_at, source_version,
                                   backfill_id, rerun_of, priority)
              values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $18, $19, $22, $23)
              on conflict (workspace, job_id, idempotency_key) where idempotency_key is not null do nothing
              returning id),
            o as (
              insert into api.outbox (topic, message_key, payload, created_at, traceparent, tracestate)
              select v.topic, $1::text, v.payload, $7, $20, $21
                from r, (values (1, $14, $15), (2, $16, $17)) as v (n, topic, payload)
               order by v.n)
            select count(*) as inserted from r""";

    private final Pool pool;

    LaunchStore(Pool pool) {
        this.pool = pool;
    }

    /** The job with its tasks (in order), connections, workspace cap and package version to run; null when absent. */
    Uni<LaunchPlan> plan(String workspace, UUID jobId) {
        return pool.preparedQuery(PLAN_SQL).execute(Tuple.of(workspace, jobId))
                .map(rows -> rows.size() == 0 ? null : plan(workspace, rows.iterator().next()))
                .chain(plan -> plan == null || (plan.job().type != JobType.METADATA_DISCOVERY
                        && plan.job().type != JobType.PERMISSION_MIGRATION) ? Uni.createFrom().item(plan) : files(plan))
                .chain(plan -> plan == null || plan.job().type != JobType.METADATA_INGEST || plan.source() == null
                        ? Uni.createFrom().item(plan) : ingestState(plan))
                .chain(plan -> plan == null || plan.job().type != JobType.PERMISSION_MIGRATION
                        ? Uni.createFrom().item(plan) : knownTables(plan));
    }

    /** A discovery's or a permission migration's source named by its location, and a discovery's last success. */
    private Uni<LaunchPlan> files(LaunchPlan plan) {
        return pool.preparedQuery(FILES_SQL).execute(Tuple.of(plan.job().workspace, plan.job().id)).map(rows -> {
            if (rows.size() == 0) {
                return plan;
            }
            Row row = rows.iterator().next();
            JobEntity job = plan.job();
            ConnectionEntity source = plan.source();
            if (source == null) {
                source = connection(job.workspace, row.getUUID("s_id"), row, "s_");
                job.sourceConnectionId = source == null ? null : source.id;
            }
            OffsetDateTime lastSuccess = row.getOffsetDateTime("last_success_started_at");
            return new LaunchPlan(job, plan.tasks(), plan.destination(), source, plan.workspaceCap(), plan.latestSource(),
                    lastSuccess == null ? null : lastSuccess.toInstant(), plan.metadataState(), plan.freeze());
        });
    }

    /** Tables of the catalog a permission migration may name at most; above, its wildcards stay patterns. */
    static final int MAX_KNOWN_TABLES = 10_000;

    /**
     * A permission migration expands the wildcards of its policies against the tables the catalog read model
     * (metadata-harvester's {@code catalog} schema) holds of the workspace's {@code hive} catalog, the catalog the
     * grants name: {@code catalog_tables} is their {@code [database, table]} names as JSON. Nothing while the read
     * model is missing, or when the catalog holds more than {@value #MAX_KNOWN_TABLES} tables.
     */
    private Uni<LaunchPlan> knownTables(LaunchPlan plan) {
        return pool.preparedQuery(KNOWN_TABLES_SQL).execute(Tuple.of(plan.job().workspace, MAX_KNOWN_TABLES + 1))
                .map(rows -> {
                    if (rows.size() > MAX_KNOWN_TABLES) {
                        return plan;
                    }
                    io.vertx.core.json.JsonArray names = new io.vertx.core.json.JsonArray();
                    for (Row row : rows) {
                        names.add(new io.vertx.core.json.JsonArray().add(row.getString("database_key")).add(row.getString("table_key")));
                    }
                    Map<String, String> state = new HashMap<>(plan.metadataState());
                    state.put("catalog_tables", names.encode());
                    return plan.withMetadataState(state);
                })
                .onFailure(RunActivity::readModelMissing).recoverWithItem(plan);
    }

    /**
     * An ingest continues from what the catalog read model (metadata-harvester's {@code catalog} schema)
     * already holds of its source: the highest job id imported ({@code max_job_id}) and the unfinished jobs
     * it reads again ({@code running_job_ids}); nothing while the harvester has not made the read model yet.
     */
    private Uni<LaunchPlan> ingestState(LaunchPlan plan) {
        return pool.preparedQuery(INGEST_STATE_SQL).execute(Tuple.of(plan.job().workspace, plan.source().id.toString()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Map<String, String> state = new HashMap<>();
                    Long max = row.getLong("max_job_id");
                    if (max != null) {
                        state.put("max_job_id", Long.toString(max));
                    }
                    String running = row.getString("running_job_ids");
                    if (running != null) {
                        state.put("running_job_ids", running);
                    }
                    return plan.withMetadataState(state);
                })
                .onFailure(RunActivity::readModelMissing).recoverWithItem(plan);
    }

    private static LaunchPlan plan(String workspace, Row row) {
        JobEntity job = new JobEntity();
        job.id = row.getUUID("id");
        job.workspace = workspace;
        job.name = row.getString("name");
        job.type = JobType.valueOf(row.getString("type"));
        job.status = JobStatus.valueOf(row.getString("status"));
        job.continueOnError = row.getBoolean("continue_on_error");
        job.settings = row.getString("settings");
        job.destinationConnectionId = row.getUUID("destination_connection_id");
        job.parameter = row.getString("parameter");
        job.secrets = row.getString("secrets");
        job.properties = row.getString("properties");
        job.stepSecrets = row.getString("step_secrets");
        // Copied onto the run by its queued event: the run search finds runs by the labels of their job at launch.
        job.labels = row.getArrayOfStrings("labels");
        ConnectionEntity connection = connection(workspace, job.destinationConnectionId, row, "d_");
        ConnectionEntity source = connection(workspace, row.getUUID("s_id"), row, "s_");
        job.sourceConnectionId = source == null ? null : source.id;
        List<TaskEntity> tasks = new ArrayList<>();
        for (Object element : (JsonArray) row.getValue("tasks")) {
            JsonArray t = (JsonArray) element;
            TaskEntity task = new TaskEntity();
            task.id = UUID.fromString(t.getString(0));
            task.jobId = job.id;
            task.index = t.getInteger(1);
            task.query = t.getString(2);
            task.active = t.getBoolean(3);
            tasks.add(task);
        }
        OffsetDateTime freezeFrom = row.getOffsetDateTime("f_starts_at");
        FreezeWindow freeze = freezeFrom == null ? null : new FreezeWindow(freezeFrom.toInstant(),
                row.getOffsetDateTime("f_ends_at").toInstant(), FreezeWindow.Mode.valueOf(row.getString("f_mode")),
                row.getString("f_reason"));
        return new LaunchPlan(job, tasks, connection, source, row.getInteger("workspace_cap"), row.getInteger("source_version"),
                null, null, freeze);
    }

    /** The connection whose columns the plan query names with this prefix; null when the job names none. */
    private static ConnectionEntity connection(String workspace, UUID id, Row row, String prefix) {
        if (id == null) {
            return null;
        }
        ConnectionEntity connection = new ConnectionEntity();
        connection.id = id;
        connection.workspace = workspace;
        connection.name = row.getString(prefix + "name");
        connection.type = row.getString(prefix + "type");
        connection.jdbcUrl = row.getString(prefix + "jdbc_url");
        connection.username = row.getString(prefix + "username");
        connection.secrets = row.getString(prefix + "secrets");
        connection.basePath = row.getString(prefix + "base_path");
        connection.baseUrl = row.getString(prefix + "base_url");
        connection.headers = row.getString(prefix + "headers");
        return connection;
    }

    /** The run an earlier launch with this key made, or null. */
    Uni<LaunchResult> findByKey(String workspace, UUID jobId, String idempotencyKey) {
        return pool.preparedQuery(BY_KEY_SQL).execute(Tuple.of(workspace, jobId, idempotencyKey))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    RunEntity run = new RunEntity();
                    run.id = r.getUUID("id");
                    run.jobId = r.getUUID("job_id");
                    run.state = RunState.valueOf(r.getString("state"));
                    run.attempt = r.getInteger("attempt");
                    run.trigger = r.getString("trigger");
                    run.requestedAt = r.getOffsetDateTime("requested_at").toInstant();
                    return LaunchResult.of(run, true);
                });
    }

    /** A fresh run id: UUIDv7, so ids sort by launch time (as Hibernate makes them for the entity). */
    static UUID newRunId() {
        return UuidVersion7Strategy.INSTANCE.generateUuid(null);
    }

    /**
     * Writes a dispatched run with its queued event and launch command (their JSON text); false when a concurrent
     * launch with the same idempotency key got there first (nothing was written).
     */
    Uni<Boolean> insertDispatched(RunEntity run, String queued, String command) {
        Tuple values = Tuple.tuple(List.of(run.id, run.workspace, run.jobId, run.attempt, run.trigger))
                .addString(run.idempotencyKey)
                .addOffsetDateTime(run.requestedAt.atOffset(ZoneOffset.UTC))
                .addString(run.requestedBy)
                .addString(run.state.name())
                .addOffsetDateTime(run.executionDate.atOffset(ZoneOffset.UTC))
                .addString(run.parameters)
                .addArrayOfUUID(run.taskIds)
                .addOffsetDateTime(run.dispatchedAt.atOffset(ZoneOffset.UTC))
                .addString(Topics.RUN_EVENTS).addString(queued)
                .addString(Topics.COMMANDS).addString(command)
                .addInteger(run.sourceVersion)
                .addUUID(run.backfillId);
        // The rows continue the launch request's trace (the relay's span is its child).
        TraceContext trace = Traces.current();
        values.addString(trace == null ? null : trace.traceparent()).addString(trace == null ? null : trace.tracestate());
        values.addUUID(run.rerunOf);
        values.addInteger(run.priority);
        return pool.preparedQuery(INSERT_SQL).execute(values)
                .map(rows -> rows.iterator().next().getLong("inserted") == 1);
    }
}
