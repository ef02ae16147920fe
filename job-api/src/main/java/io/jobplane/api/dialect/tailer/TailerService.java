package io.jobplane.api.dialect.tailer;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobService;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobUpdate;
import io.jobplane.api.job.TailerIdentity;
import io.jobplane.api.run.LaunchRequest;
import io.jobplane.api.run.RunFilter;
import io.jobplane.api.run.RunOrigin;
import io.jobplane.api.run.RunQueryService;
import io.jobplane.api.run.RunStatusView;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.jobplane.api.workflow.WorkflowService;
import io.jobplane.events.sql.FileCopyStatement;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tailer's actions over the native services: the configuration is found by its Tailer identity among
 * the workspaces the token holds, then the native launch pipeline, run queries, workflow reset and
 * job update do the work with the role they need natively. Nothing here decides a rule or keeps state.
 */
@ApplicationScoped
public class TailerService {

    private static final String FIND = """
            select j.id, j.workspace, j.tailer_account, j.tailer_environment, j.tailer_configuration_type,
                   j.tailer_configuration_id,
                   (select t.query from api.task t where t.job_id = j.id and t.is_active order by t.task_index limit 1) as first_task
              from api.job j
             where j.tailer_account = $1 and j.tailer_environment = $2 and j.tailer_configuration_id = $3
               and j.tailer_configuration_type = $4 and j.workspace = any($5)""";

    private final Pool pool;
    private final LaunchPipeline launches;
    private final RunQueryService queries;
    private final WorkflowService workflows;
    private final JobService jobs;

    public TailerService(Pool pool, LaunchPipeline launches, RunQueryService queries, WorkflowService workflows,
            JobService jobs) {
        this.pool = pool;
        this.launches = launches;
        this.queries = queries;
        this.workflows = workflows;
        this.jobs = jobs;
    }

    /** A configuration found: its job, workspace and identity. */
    record Target(UUID jobId, String workspace, TailerIdentity identity, String fileTemplate) {
        String tailerJobId() {
            return TailerMapping.jobId(identity, fileTemplate);
        }
    }

    /** launch_job: a run through the native launch pipeline; its Tailer run id. */
    public Uni<Map<String, String>> launch(TailerRequest request, WorkspaceGuard guard, String idempotencyKey) {
        LaunchRequest options = new LaunchRequest(null, null,
                request.executionDate() == null ? null : TailerMapping.executionDate(request.executionDate()));
        return resolve(request, guard).chain(target -> launches.launch(guard.require(target.workspace(), Role.OPERATOR),
                target.jobId(), idempotencyKey, options, RunOrigin.MANUAL))
                .map(result -> Map.of("run_id", TailerMapping.runId(result.runId())));
    }

    /** check_run_status: one run of the configuration, from the native run status. */
    public Uni<TailerResults> runStatus(TailerRequest request, WorkspaceGuard guard) {
        UUID runId = TailerMapping.parseRunId(request.runId());
        return resolve(request, guard).chain(target -> {
            var caller = guard.require(target.workspace(), Role.VIEWER);
            requireJobId(request, target);
            if (runId == null) {
                return Uni.createFrom().failure(runNotFound(request.runId()));
            }
            return queries.ofJob(caller, target.jobId(), runId)
                    .onFailure(ApiException.class).transform(e -> ((ApiException) e).status() == Status.NOT_FOUND
                            ? runNotFound(request.runId()) : e)
                    .map(view -> new TailerResults(List.of(result(target, view, Instant.now()))));
        });
    }

    /** get_last_status: the configuration's latest runs, filtered, from the native run history. */
    public Uni<TailerResults> lastStatus(TailerRequest request, WorkspaceGuard guard) {
        List<String> statuses = request.status() == null ? List.of() : TailerMapping.nativeStatuses(request.status());
        Instant from = null;
        Instant to = null;
        if (request.executionDate() != null) {
            from = TailerMapping.executionDate(request.executionDate()).atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                    .toInstant();
            to = from.plus(Duration.ofDays(1));
        }
        RunFilter filter = new RunFilter(statuses, from, to, request.limitOrDefault(), null);
        return resolve(request, guard).chain(target -> {
            var caller = guard.require(target.workspace(), Role.VIEWER);
            requireJobId(request, target);
            return queries.history(caller, target.jobId(), filter).map(page -> {
                Instant now = Instant.now();
                List<TailerResults.Run> runs = new ArrayList<>();
                page.runs().forEach(run -> runs.add(result(target, run, now)));
                return new TailerResults(runs);
            });
        });
    }

    /** reset_workflow_status: the native workflow reset (forgets which triggers have succeeded). */
    public Uni<TailerReply> resetWorkflow(TailerRequest request, WorkspaceGuard guard) {
        return resolve(request, guard)
                .chain(target -> workflows.reset(guard.require(target.workspace(), Role.OPERATOR), target.jobId()))
                .map(state -> TailerReply.ok());
    }

    /** set_configuration_status: the job's native status (ACTIVE, DISABLED, ARCHIVED). */
    public Uni<TailerReply> setConfigurationStatus(TailerRequest request, WorkspaceGuard guard) {
        JobStatus status = jobStatus(request.activated(), request.archived());
        JobUpdate change = new JobUpdate(null, null, null, status, null, null, null, null, null, null, null, null, null, null, null);
        return resolve(request, guard)
                .chain(target -> jobs.update(guard.require(target.workspace(), Role.EDITOR), target.jobId(), change, null))
                .map(view -> TailerReply.ok());
    }

    /** Tailer's activated/archived pair as a native job status. */
    static JobStatus jobStatus(boolean activated, boolean archived) {
        if (archived && activated) {
            throw ApiException.badRequest("INVALID_CONFIGURATION_STATUS",
                    "A configuration cannot be activated and archived at once",
                    "Send \"activated\": false with \"archived\": true to archive it.");
        }
        return archived ? JobStatus.ARCHIVED : activated ? JobStatus.ACTIVE : JobStatus.DISABLED;
    }

    /** One run in Tailer's words. */
    static TailerResults.Run result(Target target, RunStatusView run, Instant now) {
        TailerIdentity id = target.identity();
        Instant started = run.startedAt();
        Instant end = run.finishedAt() != null ? run.finishedAt() : now;
        Duration duration = started == null ? Duration.ZERO : Duration.between(started, end);
        Instant lastUpdate = run.finishedAt() != null ? run.finishedAt() : started != null ? started : run.queuedAt();
        return new TailerResults.Run(id.account(), TailerMapping.requestConfigurationId(id), id.configurationType(),
                TailerMapping.duration(duration), id.environment(), target.tailerJobId(), TailerMapping.date(lastUpdate),
                TailerMapping.runId(UUID.fromString(run.runId())), TailerMapping.date(started),
                TailerMapping.status(run.status()));
    }

    /** The configuration the request names, among the workspaces the token holds; else 404 (or 409 when two hold it). */
    Uni<Target> resolve(TailerRequest request, WorkspaceGuard guard) {
        if (!TailerIdentity.CONFIGURATION_TYPES.containsKey(request.configurationType())) {
            return Uni.createFrom().failure(ApiException.badRequest("INVALID_CONFIGURATION_TYPE",
                    "'" + request.configurationType() + "' is not a configuration type jobplane runs",
                    "Use one of " + new java.util.TreeSet<>(TailerIdentity.CONFIGURATION_TYPES.keySet()) + "."));
        }
        String stored = TailerMapping.storedConfigurationId(request.configurationType(), request.environment(),
                request.configurationId());
        Set<String> workspaces = guard.workspaces().keySet();
        return pool.preparedQuery(FIND).execute(Tuple.of(request.account(), request.environment(), stored,
                request.configurationType(), workspaces.toArray(String[]::new))).map(rows -> {
                    List<Target> found = new ArrayList<>();
                    for (Row r : rows) {
                        found.add(new Target(r.getUUID("id"), r.getString("workspace"),
                                new TailerIdentity(r.getString("tailer_account"), r.getString("tailer_environment"),
                                        r.getString("tailer_configuration_type"), r.getString("tailer_configuration_id")),
                                fileTemplate(r.getString("first_task"))));
                    }
                    if (found.isEmpty()) {
                        throw new ApiException(Status.NOT_FOUND, "CONFIGURATION_NOT_FOUND", "No " + request.configurationType()
                                + " configuration '" + request.configurationId() + "' in account " + request.account()
                                + ", environment " + request.environment(),
                                "Check the identity; a job answers here once its tailer identity is set (PUT /api/v1/workspaces/"
                                        + "{workspace}/jobs/{job_id} with \"tailer\") in a workspace your token holds.");
                    }
                    if (found.size() > 1) {
                        throw ApiException.conflict("AMBIGUOUS_CONFIGURATION", "Workspaces "
                                + found.stream().map(Target::workspace).sorted().toList() + " of your token each have this configuration",
                                "Use a token for one of them only, or give the jobs distinct identities.");
                    }
                    return found.get(0);
                });
    }

    private static void requireJobId(TailerRequest request, Target target) {
        if (request.jobId() != null && !request.jobId().equals(target.tailerJobId())) {
            throw new ApiException(Status.NOT_FOUND, "JOB_NOT_FOUND", "The configuration has no job '" + request.jobId() + "'",
                    "Use its job_id '" + target.tailerJobId() + "', or leave job_id out.");
        }
    }

    private static ApiException runNotFound(String runId) {
        return new ApiException(Status.NOT_FOUND, "RUN_NOT_FOUND", "The configuration has no run '" + runId + "'",
                "Use the run_id launch_job answered, or get_last_status to list the configuration's runs.");
    }

    /** The file name template of a file copy's first task ({@code stores-{{FD_DATE}}.csv}); null for other tasks. */
    static String fileTemplate(String task) {
        if (task == null) {
            return null;
        }
        try {
            String from = FileCopyStatement.parse(task).from().text();
            return from.substring(from.lastIndexOf('/') + 1);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
