package io.jobplane.api.dialect.cdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobQuery;
import io.jobplane.api.job.JobService;
import io.jobplane.api.job.JobView;
import io.jobplane.api.job.TaskService;
import io.jobplane.api.run.LaunchRequest;
import io.jobplane.api.run.RunFilter;
import io.jobplane.api.run.RunOrigin;
import io.jobplane.api.run.RunQueryService;
import io.jobplane.api.run.RunService;
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
 * CData Sync's job management operations over the native services. A job id in CData's paths is
 * global: the job is looked up among the workspaces the token holds (another's answers 404), then the
 * native job, task, launch, cancel and run-query services do the work with the role they need
 * natively. Nothing here decides a rule or keeps state; the adapter only names connections, reads
 * CData's parameters into native requests and answers in CData's names.
 */
@ApplicationScoped
public class CDataService {

    private static final String JOB_WORKSPACE = "select workspace from api.job where id = $1 and workspace = any($2)";
    private static final String CONNECTION_NAMES = "select id, name from api.connection where workspace = $1 and id = any($2)";
    private static final String CONNECTION_BY_NAME = "select id from api.connection where workspace = $1 and name = $2";
    /** Pages of the native listings the adapter walks to answer CData's unpaged lists; 500 is their largest page. */
    private static final int PAGE = 500;
    private static final int MAX_PAGES = 20;

    private final Pool pool;
    private final WorkspaceGuard guard;
    private final JobService jobs;
    private final TaskService tasks;
    private final LaunchPipeline launches;
    private final RunService runs;
    private final RunQueryService queries;
    private final Validator validator;

    public CDataService(Pool pool, WorkspaceGuard guard, JobService jobs, TaskService tasks, LaunchPipeline launches,
            RunService runs, RunQueryService queries, Validator validator) {
        this.pool = pool;
        this.guard = guard;
        this.jobs = jobs;
        this.tasks = tasks;
        this.launches = launches;
        this.runs = runs;
        this.queries = queries;
        this.validator = validator;
    }

    // --- jobs --------------------------------------------------------------------------------------

    public Uni<Map<String, Object>> listJobs(String workspace) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        return allJobs(caller, null, new ArrayList<>(), 0)
                .chain(list -> names(caller, list).map(n -> CDataMapping.value(list.stream()
                        .map(j -> CDataMapping.job(j, n::get)).toList())));
    }

    public Uni<Map<String, Object>> createJob(String workspace, String body) {
        CDataBody b = CDataBody.parse(body, CDataMapping.CREATE, true);
        Caller caller = guard.require(workspace, Role.EDITOR);
        return connections(caller, b).chain(ends -> {
            var request = valid(CDataMapping.jobRequest(b, ends.source(), ends.destination()));
            return jobs.create(caller, request);
        }).chain(view -> answer(caller, view));
    }

    public Uni<Map<String, Object>> updateJob(String jobId, String body) {
        CDataBody b = CDataBody.parse(body, CDataMapping.UPDATE, true);
        return job(jobId, Role.EDITOR).chain(target -> jobs.get(target.caller(), target.id())
                .chain(current -> connections(target.caller(), b).chain(ends -> {
                    var change = valid(CDataMapping.jobUpdate(b, current, ends.source(), ends.destination()));
                    // The change was built on the version just read: a concurrent edit fails it (412) rather than being undone.
                    return jobs.update(target.caller(), target.id(), change, "\"" + current.version() + "\"");
                }))
                .chain(view -> answer(target.caller(), view)));
    }

    public Uni<Void> deleteJob(String jobId) {
        return job(jobId, Role.EDITOR).chain(target -> jobs.delete(target.caller(), target.id(), null));
    }

    // --- runs --------------------------------------------------------------------------------------

    public Uni<Map<String, Object>> execute(String jobId, String body, String idempotencyKey) {
        CDataBody b = CDataBody.parse(body, CDataMapping.EXECUTE, false);
        List<UUID> only = CDataMapping.tasks(b);
        LaunchRequest options = valid(new LaunchRequest(only, null, null));
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            throw ApiException.badRequest("VALIDATION_FAILED", "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    "Send a shorter key of visible ASCII characters, or none.");
        }
        return job(jobId, Role.OPERATOR)
                .chain(target -> launches.launch(target.caller(), target.id(), idempotencyKey, options, RunOrigin.MANUAL))
                .map(CDataMapping::launched);
    }

    public Uni<Map<String, Object>> cancel(String jobId) {
        return job(jobId, Role.OPERATOR).chain(target -> runs.cancelJob(target.caller(), target.id()))
                .map(stopped -> CDataMapping.value(stopped.stream().map(CDataMapping::launched).toList()));
    }

    public Uni<Map<String, Object>> history(String jobId) {
        return job(jobId, Role.VIEWER).chain(target -> allRuns(target, null, new ArrayList<>(), 0))
                .map(list -> CDataMapping.value(list.stream().map(CDataMapping::history).toList()));
    }

    public Uni<Map<String, Object>> historyEntry(String jobId, String historyId) {
        UUID runId = CDataMapping.parseUuid(historyId);
        return job(jobId, Role.VIEWER).chain(target -> {
            if (runId == null) {
                return Uni.createFrom().failure(historyNotFound(historyId));
            }
            return queries.ofJob(target.caller(), target.id(), runId)
                    .onFailure(ApiException.class).transform(e -> ((ApiException) e).status() == Status.NOT_FOUND
                            ? historyNotFound(historyId) : e);
        }).map(CDataMapping::history);
    }

    public Uni<Map<String, Object>> status(String jobId) {
        return job(jobId, Role.VIEWER).chain(target -> queries.jobStatus(target.caller(), target.id()))
                .map(CDataMapping::jobStatus);
    }

    // --- tasks -------------------------------------------------------------------------------------

    public Uni<Map<String, Object>> tasks(String jobId) {
        return job(jobId, Role.VIEWER).chain(target -> tasks.list(target.caller(), target.id()))
                .map(list -> CDataMapping.value(list.stream().map(CDataMapping::task).toList()));
    }

    public Uni<Map<String, Object>> task(String jobId, String taskId) {
        return job(jobId, Role.VIEWER).chain(target -> tasks.get(target.caller(), target.id(), taskId(taskId)))
                .map(CDataMapping::task);
    }

    public Uni<Map<String, Object>> addTask(String jobId, String body) {
        var add = valid(CDataMapping.taskAdd(CDataBody.parse(body, CDataMapping.TASK_ADD, true)));
        return job(jobId, Role.EDITOR).chain(target -> tasks.add(target.caller(), target.id(), add)).map(CDataMapping::task);
    }

    public Uni<Map<String, Object>> updateTask(String jobId, String taskId, String body) {
        var change = valid(CDataMapping.taskUpdate(CDataBody.parse(body, CDataMapping.TASK_UPDATE, true)));
        return job(jobId, Role.EDITOR).chain(target -> tasks.update(target.caller(), target.id(), taskId(taskId), change))
                .map(CDataMapping::task);
    }

    public Uni<Void> deleteTask(String jobId, String taskId) {
        return job(jobId, Role.EDITOR).chain(target -> tasks.delete(target.caller(), target.id(), taskId(taskId)));
    }

    public Uni<Map<String, Object>> moveTask(String jobId, String taskId, String body) {
        var move = valid(CDataMapping.taskMove(CDataBody.parse(body, CDataMapping.TASK_MOVE, true)));
        return job(jobId, Role.EDITOR).chain(target -> tasks.move(target.caller(), target.id(), taskId(taskId), move))
                .map(list -> CDataMapping.value(list.stream().map(CDataMapping::task).toList()));
    }

    public Uni<Map<String, Object>> lastRun(String jobId) {
        return job(jobId, Role.VIEWER).chain(target -> tasks.lastRuns(target.caller(), target.id()))
                .map(list -> CDataMapping.value(list.stream().map(CDataMapping::taskHistory).toList()));
    }

    public Uni<Map<String, Object>> taskHistory(String jobId, String taskId) {
        return job(jobId, Role.VIEWER).chain(target -> allTaskRuns(target, taskId(taskId), null, new ArrayList<>(), 0))
                .map(list -> CDataMapping.value(list.stream().map(CDataMapping::taskHistory).toList()));
    }

    // --- lookups -----------------------------------------------------------------------------------

    /** A job found among the token's workspaces, and the caller there with the role the operation needs. */
    record Target(UUID id, Caller caller) {
    }

    private record Ends(UUID source, UUID destination) {
    }

    /** The job of a global id: 404 unless one of the token's workspaces holds it, then 403 unless the role suffices. */
    Uni<Target> job(String jobId, Role needed) {
        UUID id = CDataMapping.parseUuid(jobId);
        Set<String> workspaces = guard.workspaces().keySet();
        if (id == null || workspaces.isEmpty()) {
            return Uni.createFrom().failure(jobNotFound(jobId));
        }
        return pool.preparedQuery(JOB_WORKSPACE).execute(Tuple.of(id, workspaces.toArray(String[]::new))).map(rows -> {
            if (rows.size() == 0) {
                throw jobNotFound(jobId);
            }
            return new Target(id, guard.require(rows.iterator().next().getString("workspace"), needed));
        });
    }

    /** The connections a body names, as ids: a name is looked up in the workspace, an id is left to the native check. */
    private Uni<Ends> connections(Caller caller, CDataBody body) {
        CDataMapping.ConnectionRef source = CDataMapping.connection(body, "source");
        CDataMapping.ConnectionRef destination = CDataMapping.connection(body, "destination");
        return connectionId(caller, source, "Source-Connection")
                .chain(s -> connectionId(caller, destination, "Destination-Connection").map(d -> new Ends(s, d)));
    }

    private Uni<UUID> connectionId(Caller caller, CDataMapping.ConnectionRef ref, String parameter) {
        if (ref == null) {
            return Uni.createFrom().nullItem();
        }
        if (ref.name() == null) {
            return Uni.createFrom().item(ref.id());
        }
        return pool.preparedQuery(CONNECTION_BY_NAME).execute(Tuple.of(caller.workspace(), ref.name())).map(rows -> {
            UUID found = rows.size() == 0 ? null : rows.iterator().next().getUUID("id");
            if (found == null || (ref.id() != null && !ref.id().equals(found))) {
                throw ApiException.badRequest("UNKNOWN_CONNECTION", parameter + " '" + ref
                        + "' is not a connection of this workspace" + (found == null ? "" : " (that name has another Id)"),
                        "Create the connection first (POST /api/v1/workspaces/{workspace}/connections), or name an existing one by Id or Name.");
            }
            return found;
        });
    }

    private Uni<Map<String, Object>> answer(Caller caller, JobView view) {
        return names(caller, List.of(view)).map(n -> CDataMapping.job(view, n::get));
    }

    /** The names of the jobs' connections (connection names are unique in a workspace). */
    private Uni<Map<UUID, String>> names(Caller caller, List<JobView> views) {
        UUID[] ids = views.stream().flatMap(v -> java.util.stream.Stream.of(v.sourceConnectionId(), v.destinationConnectionId()))
                .filter(Objects::nonNull).distinct().toArray(UUID[]::new);
        if (ids.length == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(CONNECTION_NAMES).execute(Tuple.of(caller.workspace(), ids)).map(rows -> {
            Map<UUID, String> out = new HashMap<>();
            for (Row r : rows) {
                out.put(r.getUUID("id"), r.getString("name"));
            }
            return out;
        });
    }

    private Uni<List<JobView>> allJobs(Caller caller, String cursor, List<JobView> acc, int pages) {
        return jobs.list(caller, new JobQuery(null, null, null, null, false, "name", PAGE, cursor)).chain(page -> {
            acc.addAll(page.jobs());
            return page.nextCursor() == null || pages + 1 >= MAX_PAGES ? Uni.createFrom().item(acc)
                    : allJobs(caller, page.nextCursor(), acc, pages + 1);
        });
    }

    private Uni<List<RunStatusView>> allRuns(Target target, String cursor, List<RunStatusView> acc, int pages) {
        return queries.history(target.caller(), target.id(), new RunFilter(List.of(), null, null, PAGE, cursor)).chain(page -> {
            acc.addAll(page.runs());
            return page.nextCursor() == null || pages + 1 >= MAX_PAGES ? Uni.createFrom().item(acc)
                    : allRuns(target, page.nextCursor(), acc, pages + 1);
        });
    }

    private Uni<List<RunStatusView.TaskHistoryEntry>> allTaskRuns(Target target, UUID taskId, String cursor,
            List<RunStatusView.TaskHistoryEntry> acc, int pages) {
        return tasks.history(target.caller(), target.id(), taskId, PAGE, cursor).chain(page -> {
            acc.addAll(page.runs());
            return page.nextCursor() == null || pages + 1 >= MAX_PAGES ? Uni.createFrom().item(acc)
                    : allTaskRuns(target, taskId, page.nextCursor(), acc, pages + 1);
        });
    }

    /** The native rules on fields (lengths, patterns, ranges) that the native resources apply to their bodies. */
    private <T> T valid(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            String detail = violations.stream()
                    .map(v -> v.getPropertyPath().toString().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase() + " "
                            + v.getMessage())
                    .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining("; "));
            throw ApiException.badRequest("VALIDATION_FAILED", "The request is invalid: " + detail,
                    "Correct the named parameters and send the request again (see docs/dialects/cdata.md for CData's names).");
        }
        return request;
    }

    private static UUID taskId(String taskId) {
        UUID id = CDataMapping.parseUuid(taskId);
        if (id == null) {
            throw new ApiException(Status.NOT_FOUND, "TASK_NOT_FOUND", "task '" + taskId + "' does not exist in this job",
                    "Use the Id of a task from GET /api.rsc/v2/jobs/{job_id}/tasks.");
        }
        return id;
    }

    private static ApiException jobNotFound(String jobId) {
        return new ApiException(Status.NOT_FOUND, "JOB_NOT_FOUND", "job '" + jobId + "' does not exist",
                "Check the id; GET /api.rsc/v2/workspaces/{workspace_id}/jobs lists the jobs of a workspace.");
    }

    private static ApiException historyNotFound(String historyId) {
        return new ApiException(Status.NOT_FOUND, "HISTORY_NOT_FOUND", "The job has no history entry '" + historyId + "'",
                "Use an Id from GET /api.rsc/v2/jobs/{job_id}/history or the History_Id Execute answered.");
    }
}
