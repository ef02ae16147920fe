package io.jobplane.api.dialect.lakeformation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobQuery;
import io.jobplane.api.job.JobService;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.JobView;
import io.jobplane.api.run.LaunchRequest;
import io.jobplane.api.run.RunOrigin;
import io.jobplane.api.run.RunQueryService;
import io.jobplane.api.run.RunService;
import io.jobplane.api.run.RunState;
import io.jobplane.api.run.RunStatusView;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * LakeFormation's lf-job operations over the native services: the instance is a workspace
 * ({@link LakeFormationMapping#workspace}), an lf-job is a native job of a LakeFormation type, and
 * the native job service, launch pipeline, run cancel and run status do the work with the role they
 * need natively. Nothing here decides a rule or keeps state.
 */
@ApplicationScoped
public class LakeFormationService {

    /** The latest run of each job: its status comes from the native run status. */
    private static final String LATEST_RUNS = """
            select distinct on (job_id) job_id, id from api.run
             where workspace = $1 and job_id = any($2)
             order by job_id, requested_at desc, id desc""";
    private static final String UNFINISHED_RUNS = """
            select id from api.run where workspace = $1 and job_id = $2 and state = any($3) order by requested_at, id""";

    private final Pool pool;
    private final JobService jobs;
    private final LaunchPipeline launches;
    private final RunService runs;
    private final RunQueryService queries;
    private final Validator validator;

    public LakeFormationService(Pool pool, JobService jobs, LaunchPipeline launches, RunService runs, RunQueryService queries,
            Validator validator) {
        this.pool = pool;
        this.jobs = jobs;
        this.launches = launches;
        this.runs = runs;
        this.queries = queries;
        this.validator = validator;
    }

    /** Create: a native job of the lf-job's type (the body is read only once the caller may write here). */
    public Uni<LakeFormationJob> create(WorkspaceGuard guard, String project, String instance, String body) {
        Caller caller = guard.require(LakeFormationMapping.workspace(project, instance), Role.EDITOR);
        var request = LakeFormationMapping.request(LakeFormationMapping.body(body, null), validator);
        return jobs.create(caller, request).chain(view -> answer(caller, view));
    }

    /** List: the instance's lf-jobs, filtered by name pattern, type and status, newest first. */
    public Uni<LakeFormationJob.Page> list(WorkspaceGuard guard, String project, String instance, String namePattern,
            String type, String status, String offset, String limit) {
        Caller caller = guard.require(LakeFormationMapping.workspace(project, instance), Role.VIEWER);
        List<JobType> types = type == null || type.isEmpty() ? List.copyOf(JobType.LAKEFORMATION)
                : List.of(LakeFormationMapping.type(type, "type"));
        String wanted = LakeFormationMapping.statusFilter(status);
        int[] page = LakeFormationMapping.page(offset, limit);
        Uni<List<JobView>> all = Uni.createFrom().item(new ArrayList<>());
        for (JobType t : types) {
            all = all.chain(found -> allOfType(caller, t, null, found));
        }
        return all.map(found -> found.stream().filter(j -> LakeFormationMapping.nameMatches(namePattern, j.name())).toList())
                .chain(found -> answer(caller, found))
                .map(answers -> LakeFormationMapping.page(answers, wanted, page[0], page[1]));
    }

    /** Show: one lf-job. */
    public Uni<LakeFormationJob> show(WorkspaceGuard guard, String project, String instance, String jobId) {
        Caller caller = guard.require(LakeFormationMapping.workspace(project, instance), Role.VIEWER);
        return lfJob(caller, jobId).chain(view -> answer(caller, view));
    }

    /** Update: the native job update (name, description, parameter); the type cannot change. */
    public Uni<LakeFormationJob> update(WorkspaceGuard guard, String project, String instance, String jobId, String body) {
        Caller caller = guard.require(LakeFormationMapping.workspace(project, instance), Role.EDITOR);
        return lfJob(caller, jobId).chain(view -> {
            var change = LakeFormationMapping.update(LakeFormationMapping.body(body, view.type()), validator);
            return jobs.update(caller, view.jobId(), change, null);
        }).chain(view -> answer(caller, view));
    }

    /** Delete: the native job delete (its run history stays). */
    public Uni<Void> delete(WorkspaceGuard guard, String project, String instance, String jobId) {
        Caller caller = guard.require(LakeFormationMapping.workspace(project, instance), Role.EDITOR);
        return lfJob(caller, jobId).chain(view -> jobs.delete(caller, view.jobId(), null));
    }

    /** Start: a run through the native launch pipeline (which refuses types this version cannot run). */
    public Uni<LakeFormationJob> start(WorkspaceGuard guard, String project, String instance, String jobId,
            String idempotencyKey) {
        Caller caller = guard.require(LakeFormationMapping.workspace(project, instance), Role.OPERATOR);
        return lfJob(caller, jobId)
                .call(view -> launches.launch(caller, view.jobId(), idempotencyKey, LaunchRequest.NONE, RunOrigin.MANUAL))
                .chain(view -> answer(caller, view));
    }

    /** Stop: the native cancel of every run of the job that has not ended. */
    public Uni<LakeFormationJob> stop(WorkspaceGuard guard, String project, String instance, String jobId) {
        Caller caller = guard.require(LakeFormationMapping.workspace(project, instance), Role.OPERATOR);
        String[] unfinished = RunState.UNFINISHED.stream().map(Enum::name).toArray(String[]::new);
        return lfJob(caller, jobId).call(view -> pool.preparedQuery(UNFINISHED_RUNS)
                .execute(Tuple.of(caller.workspace(), view.jobId(), unfinished))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(ApiException.conflict("JOB_NOT_RUNNING",
                                "lf-job '" + view.name() + "' has no run in progress", "Nothing to stop; start the job first."));
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row r : rows) {
                        UUID run = r.getUUID("id");
                        chain = chain.chain(() -> runs.cancel(caller, run).replaceWithVoid());
                    }
                    return chain;
                }))
                .chain(view -> answer(caller, view));
    }

    /** The native job, when it is an lf-job of the caller's workspace; else 404. */
    private Uni<JobView> lfJob(Caller caller, String jobId) {
        UUID id = LakeFormationMapping.jobId(jobId);
        return jobs.get(caller, id)
                .onFailure(ApiException.class).transform(e -> "JOB_NOT_FOUND".equals(((ApiException) e).code())
                        ? LakeFormationMapping.jobNotFound(jobId) : e)
                .invoke(view -> {
                    if (!JobType.LAKEFORMATION.contains(view.type())) {
                        throw LakeFormationMapping.jobNotFound(jobId);
                    }
                });
    }

    private Uni<List<JobView>> allOfType(Caller caller, JobType type, String cursor, List<JobView> into) {
        return jobs.list(caller, new JobQuery(type, null, null, null, false, "created_at", 500, cursor)).chain(page -> {
            into.addAll(page.jobs());
            return page.nextCursor() == null ? Uni.createFrom().item(into) : allOfType(caller, type, page.nextCursor(), into);
        });
    }

    private Uni<LakeFormationJob> answer(Caller caller, JobView view) {
        return answer(caller, List.of(view)).map(list -> list.get(0));
    }

    /** The jobs in LakeFormation's words, each with the native status of its latest run. */
    private Uni<List<LakeFormationJob>> answer(Caller caller, List<JobView> views) {
        if (views.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] ids = views.stream().map(JobView::jobId).toArray(UUID[]::new);
        return pool.preparedQuery(LATEST_RUNS).execute(Tuple.of(caller.workspace(), ids)).chain(rows -> {
            List<Uni<RunStatusView>> lookups = new ArrayList<>();
            for (Row r : rows) {
                lookups.add(queries.status(caller, r.getUUID("id")));
            }
            Uni<List<RunStatusView>> latest = lookups.isEmpty() ? Uni.createFrom().item(List.of())
                    : Uni.join().all(lookups).andFailFast();
            return latest.map(found -> {
                Map<String, RunStatusView> byJob = new HashMap<>();
                found.forEach(run -> byJob.put(run.jobId(), run));
                return views.stream().map(v -> {
                    RunStatusView run = byJob.get(v.jobId().toString());
                    String status = run == null ? null : run.status() == null ? RunState.UNKNOWN.name() : run.status();
                    return LakeFormationMapping.job(v, status, run == null ? null : run.startedAt());
                }).toList();
            });
        });
    }
}
