package io.jobplane.api.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.TaskEntity;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.run.launch.AdmissionQueue;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Caller;
import io.jobplane.api.workflow.WorkflowEngine;
import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.RunMarked;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.StatusPrecedence;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Operations on a run once launched (docs/operating-runs.md): rerun an ended run from its failure,
 * mark an ended run's status, skip a task of a queued run. A rerun is launched through the one
 * {@link LaunchPipeline} like every launch.
 */
@ApplicationScoped
public class RunOperations {

    private static final TypeReference<Map<String, String>> PARAMETERS = new TypeReference<>() {
    };
    private static final String ORIGINAL_SQL = """
            select state, attempt, job_id, parameters, execution_date, task_ids from api.run where id = $1 and workspace = $2""";
    /** The original's task outcomes as the read model has them, with the read model's view of the run. */
    private static final String OUTCOMES_SQL = """
            select rr.attempt, rr.status,
                   array(select t.task_id from runs.task_run t where t.run_id = rr.run_id order by t.task_index) as task_ids,
                   array(select t.status from runs.task_run t where t.run_id = rr.run_id order by t.task_index) as statuses
              from runs.run rr where rr.run_id = $1""";
    /**
     * A mark to SUCCESS counts like a success now: the job is satisfied in every workflow it triggers
     * (as the run supervisor records a real success), and those workflows are evaluated after commit.
     */
    private static final String MARK_TRIGGERS = """
            insert into api.workflow_trigger_state (workflow_id, trigger_job_id, run_id, succeeded_at)
            select e.workflow_id, e.job_id, ?2, ?3
              from api.workflow_edge e join api.workflow w on w.job_id = e.workflow_id
             where e.job_id = ?1 and e.role = 'TRIGGER' and ?3 > coalesce(w.last_fired_at, '-infinity')
            on conflict (workflow_id, trigger_job_id) do update set run_id = excluded.run_id, succeeded_at = excluded.succeeded_at""";
    private static final String TRIGGERED = "select workflow_id from api.workflow_edge where job_id = $1 and role = 'TRIGGER'";

    private final Pool pool;
    private final LaunchPipeline launches;
    private final Outbox outbox;
    private final Audit audit;
    private final AdmissionQueue admission;
    private final WorkflowEngine workflows;

    public RunOperations(Pool pool, LaunchPipeline launches, Outbox outbox, Audit audit, AdmissionQueue admission,
            WorkflowEngine workflows) {
        this.pool = pool;
        this.launches = launches;
        this.outbox = outbox;
        this.audit = audit;
        this.admission = admission;
        this.workflows = workflows;
    }

    // --- rerun ----------------------------------------------------------------------------------

    /** What a rerun reruns, read from its {@code from}. */
    sealed interface From permits Failed, All, Listed {
    }

    record Failed() implements From {
    }

    record All() implements From {
    }

    record Listed(List<UUID> tasks) implements From {
    }

    static From from(JsonNode from) {
        if (from == null || from.isNull()) {
            return new Failed();
        }
        if (from.isTextual() && from.asText().equals("FAILED")) {
            return new Failed();
        }
        if (from.isTextual() && from.asText().equals("ALL")) {
            return new All();
        }
        if (from.isArray() && !from.isEmpty() && from.size() <= 1000) {
            List<UUID> tasks = new ArrayList<>();
            for (JsonNode element : from) {
                try {
                    tasks.add(UUID.fromString(element.isTextual() ? element.asText() : ""));
                } catch (IllegalArgumentException e) {
                    throw invalidFrom();
                }
            }
            return new Listed(tasks);
        }
        throw invalidFrom();
    }

    private static ApiException invalidFrom() {
        return ApiException.badRequest("INVALID_RERUN_FROM", "'from' must be \"FAILED\", \"ALL\" or a list of 1 to 1000 task ids",
                "Send {\"from\": \"FAILED\"} to rerun from the first failed task, \"ALL\" for every task, or the task ids.");
    }

    /**
     * The tasks to rerun from the original's outcomes (task id → status, in the job's order): FAILED
     * gives the failed ones and every task after the first failed one; ALL gives every task.
     */
    static List<UUID> select(From from, LinkedHashMap<String, String> outcomes) {
        List<UUID> chosen = new ArrayList<>();
        boolean failedSeen = from instanceof All;
        for (Map.Entry<String, String> task : outcomes.entrySet()) {
            failedSeen |= !TaskStatus.SUCCESS.name().equals(task.getValue());
            if (failedSeen) {
                chosen.add(UUID.fromString(task.getKey()));
            }
        }
        return chosen;
    }

    /**
     * Launches a new run of the original's job with the tasks {@code from} selects and the original's
     * parameters (or new ones), linked to it by {@code rerun_of}. Only an ended run is rerun; its task
     * outcomes come from the run read model, which may lag the run's end a moment ({@code 409 RUN_DETAIL_PENDING}).
     */
    public Uni<LaunchResult> rerun(Caller caller, UUID runId, String idempotencyKey, RerunRequest request) {
        RerunRequest options = request == null ? RerunRequest.NONE : request;
        From from = from(options.from());
        return pool.preparedQuery(ORIGINAL_SQL).execute(Tuple.of(runId, caller.workspace()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("run", runId);
                    }
                    Row original = rows.iterator().next();
                    RunState state = RunState.valueOf(original.getString("state"));
                    if (!state.isTerminal()) {
                        throw notEnded(runId, state, "Wait for it to end (or cancel it), then rerun it.");
                    }
                    return original;
                })
                .chain(original -> tasks(runId, original, from).chain(tasks -> {
                    Map<String, String> parameters = options.parameters() != null ? options.parameters()
                            : StoredJson.readMap(original.getString("parameters"), PARAMETERS);
                    LaunchRequest launch = new LaunchRequest(tasks, parameters,
                            RunQueryService.instant(original, "execution_date"));
                    return launches.launch(caller, original.getUUID("job_id"), idempotencyKey, launch, RunOrigin.rerun(runId));
                }));
    }

    /**
     * The tasks the rerun runs; null: those the original was launched with (its {@code task_ids}, else the job's
     * active tasks), for {@code ALL} when the original's tasks are no task ids of the job (a step package's steps)
     * or it has no task detail (a job type without tasks).
     */
    private Uni<List<UUID>> tasks(UUID runId, Row original, From from) {
        if (from instanceof Listed listed) {
            return Uni.createFrom().item(listed.tasks());
        }
        int attempt = original.getInteger("attempt");
        return pool.preparedQuery(OUTCOMES_SQL).execute(Tuple.of(runId.toString()))
                .onFailure(RunActivity::readModelMissing).recoverWithNull()
                .map(rows -> {
                    Row model = rows == null || rows.size() == 0 ? null : rows.iterator().next();
                    LinkedHashMap<String, String> outcomes = model == null ? null : outcomes(model, attempt);
                    if (outcomes == null) {
                        throw ApiException.conflict("RUN_DETAIL_PENDING", "The task detail of run " + runId
                                + " is not complete yet: it ended a moment ago", "Retry in a few seconds.");
                    }
                    boolean selectable = !outcomes.isEmpty() && outcomes.keySet().stream().allMatch(RunOperations::isUuid);
                    if (!selectable) {
                        if (from instanceof All) {
                            UUID[] launched = original.getArrayOfUUIDs("task_ids");
                            return launched == null ? null : List.of(launched);
                        }
                        throw ApiException.conflict("TASKS_NOT_SELECTABLE", "The tasks of run " + runId
                                + " are not tasks of its job that a rerun can pick (steps of a package, or none)",
                                "Rerun it with {\"from\": \"ALL\"}.");
                    }
                    List<UUID> tasks = select(from, outcomes);
                    if (tasks.isEmpty()) {
                        throw ApiException.conflict("NOTHING_TO_RERUN", "Every task of run " + runId + " succeeded",
                                "Rerun it with {\"from\": \"ALL\"} or name the tasks to run again.");
                    }
                    return tasks;
                });
    }

    private static boolean isUuid(String id) {
        try {
            UUID.fromString(id);
            return id.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Task id → status in the job's order (empty when the run has no task detail), once the read model has the
     * run's end and every task's; else null.
     */
    private static LinkedHashMap<String, String> outcomes(Row model, int attempt) {
        if (model.getInteger("attempt") != attempt || StatusPrecedence.runRank(model.getString("status")) != RunStatus.SUCCESS.rank()) {
            return null;
        }
        String[] ids = model.getArrayOfStrings("task_ids");
        String[] statuses = model.getArrayOfStrings("statuses");
        LinkedHashMap<String, String> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (StatusPrecedence.taskRank(statuses[i]) < TaskStatus.SKIPPED.rank()) {
                return null;
            }
            outcomes.put(ids[i], statuses[i]);
        }
        return outcomes;
    }

    private static ApiException notEnded(UUID runId, RunState state, String fix) {
        return ApiException.conflict("RUN_NOT_ENDED", "Run " + runId + " has not ended: it is " + state.publicStatus(), fix);
    }

    // --- mark -----------------------------------------------------------------------------------

    /**
     * Sets an ended run's status with a reason, audited, and publishes {@code jobplane.run.marked}. A
     * run marked SUCCESS that had never succeeded counts for the workflows its job triggers, once in
     * its life (FAILED, marked SUCCESS, FAILED, SUCCESS again counts one success).
     */
    public Uni<RunStatusView.Marked> mark(Caller caller, UUID runId, MarkRequest request) {
        RunState status = RunState.valueOf(request.status());
        Instant now = Instant.now();
        boolean[] newSuccess = { false };
        UUID[] jobId = { null };
        return Panache.withTransaction(() -> RunEntity.<RunEntity>find("workspace = ?1 and id = ?2", caller.workspace(), runId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("run", runId))
                .call(run -> {
                    if (!run.state.isTerminal()) {
                        return Uni.createFrom().failure(notEnded(runId, run.state, "Only an ended run can be marked; cancel it first."));
                    }
                    RunState previous = run.state;
                    // A run's success counts for workflows once: a real one counted when it ended, a mark
                    // to SUCCESS counts only if no earlier state of the run did.
                    boolean counted = run.workflowCounted || (run.markedStatus == null && previous == RunState.SUCCESS);
                    newSuccess[0] = status == RunState.SUCCESS && !counted;
                    run.workflowCounted = counted || newSuccess[0];
                    jobId[0] = run.jobId;
                    run.state = status;
                    run.markedStatus = status.name();
                    run.markedReason = request.reason();
                    run.markedBy = caller.subject();
                    run.markedAt = now;
                    String id = run.id.toString();
                    RunMarked marked = new RunMarked(id, run.attempt, run.workspace, run.jobId.toString(),
                            RunStatus.valueOf(status.name()), previous.name(), request.reason(), caller.subject(), now);
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("status", status.name());
                    details.put("previous_status", previous.name());
                    details.put("reason", request.reason());
                    return outbox.append(Topics.RUN_EVENTS, CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_MARKED, id, marked))
                            .call(() -> audit.record(caller, "run.marked", "run", id, details))
                            .call(() -> newSuccess[0] ? Panache.getSession().chain(s -> s.createNativeQuery(MARK_TRIGGERS)
                                    .setParameter(1, run.jobId).setParameter(2, run.id).setParameter(3, now)
                                    .executeUpdate()) : Uni.createFrom().voidItem());
                }))
                .invoke(outbox::committed)
                .call(() -> newSuccess[0] ? pool.preparedQuery(TRIGGERED).execute(Tuple.of(jobId[0])).chain(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("workflow_id")));
                    return workflows.fireIfReady(ids);
                }) : Uni.createFrom().voidItem())
                .map(run -> new RunStatusView.Marked(run.markedStatus, run.markedReason, run.markedBy, run.markedAt));
    }

    // --- skip a task ----------------------------------------------------------------------------

    /**
     * Skips a task of a queued run: when the run starts it does not run the task, which shows SKIPPED
     * at once. Under the workspace's admission lock, so the run is either changed here before it is
     * admitted, or admitted first and then refused here.
     */
    public Uni<RunStatusView.TaskRunView> skip(Caller caller, UUID runId, UUID taskId) {
        return Panache.withTransaction(() -> admission.lock(caller.workspace())
                .chain(() -> RunEntity.<RunEntity>find("workspace = ?1 and id = ?2", caller.workspace(), runId)
                        .withLock(LockModeType.PESSIMISTIC_WRITE).<RunEntity>firstResult())
                .onItem().ifNull().failWith(() -> ApiException.notFound("run", runId))
                .chain((RunEntity run) -> {
                    if (run.state != RunState.QUEUED) {
                        return Uni.createFrom().failure(ApiException.conflict("RUN_NOT_QUEUED", "Run " + runId
                                + " is " + run.state.publicStatus() + (run.state == RunState.DISPATCHED ? " and already sent to a worker" : ""),
                                "A task can be skipped only while its run waits to start."));
                    }
                    return launches.planOf(run).<RunStatusView.TaskRunView>chain(plan -> {
                        TaskEntity task = plan == null ? null : plan.tasksFor(run.taskIds).stream()
                                .filter(t -> t.id.equals(taskId)).findFirst().orElse(null);
                        if (task == null) {
                            return Uni.createFrom().<RunStatusView.TaskRunView>failure(ApiException.notFound("task", taskId));
                        }
                        List<UUID> skipped = new ArrayList<>(run.skippedTaskIds == null ? List.of() : Arrays.asList(run.skippedTaskIds));
                        if (!skipped.contains(taskId)) {
                            skipped.add(taskId);
                        }
                        run.skippedTaskIds = skipped.toArray(UUID[]::new);
                        Instant now = Instant.now();
                        String id = run.id.toString();
                        TaskFinished finished = new TaskFinished(id, run.attempt, run.workspace, taskId.toString(), task.index,
                                TaskStatus.SKIPPED, null, "skipped by " + caller.subject() + " while the run was queued", now);
                        return outbox.append(Topics.RUN_EVENTS, CloudEvent.of(Outbox.SOURCE, EventTypes.TASK_FINISHED, id, finished))
                                .call(() -> audit.record(caller, "run.task_skipped", "run", id, Map.of("task_id", taskId.toString())))
                                .replaceWith(new RunStatusView.TaskRunView(taskId.toString(), task.index, TaskStatus.SKIPPED.name(),
                                        null, finished.errorMessage(), null, now, null, null, null));
                    });
                }))
                .invoke(outbox::committed);
    }
}
