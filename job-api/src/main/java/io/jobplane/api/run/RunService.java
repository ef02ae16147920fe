package io.jobplane.api.run;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.connection.ConnectionType;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.TaskEntity;
import io.jobplane.api.job.TaskSyntax;
import io.jobplane.api.job.source.StepPackages;
import io.jobplane.api.job.settings.Replication;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.run.LaunchStore.LaunchPlan;
import io.jobplane.api.security.Caller;
import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.RunCancelling;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.sql.SqlTemplate;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Launches and cancels runs. A run row, its queued event and (when admitted) its launch command
 * are written in one transaction; the outbox relay publishes them after commit, so a launch that
 * got its 202 is never lost.
 */
@ApplicationScoped
public class RunService {

    static final String SOURCE = "/jobplane/job-api";

    private final Outbox outbox;
    private final RunAdmission admission;
    private final LaunchStore store;
    private final StepPackages packages;

    public RunService(Outbox outbox, RunAdmission admission, LaunchStore store, StepPackages packages) {
        this.packages = packages;
        this.outbox = outbox;
        this.admission = admission;
        this.store = store;
    }

    /**
     * Launches a run of the job, or returns the run an earlier request with the same key made. A run
     * no concurrency limit can hold is written dispatched, with its command, in one statement; others
     * are queued and admitted in a transaction that takes the workspace's admission lock.
     */
    public Uni<LaunchResult> launch(Caller caller, UUID jobId, String idempotencyKey, LaunchRequest request) {
        return launch(caller, jobId, idempotencyKey, request, RunOrigin.MANUAL);
    }

    /** {@link #launch(Caller, UUID, String, LaunchRequest)} for a run that something other than a request made. */
    public Uni<LaunchResult> launch(Caller caller, UUID jobId, String idempotencyKey, LaunchRequest request, RunOrigin origin) {
        LaunchRequest options = request == null ? LaunchRequest.NONE : request;
        return earlier(caller, jobId, idempotencyKey)
                .onItem().ifNull().switchTo(() -> plan(caller, jobId, options)
                        .chain(plan -> admission.mayHold(plan.job(), plan.workspaceCap())
                                ? recordQueued(caller, plan, idempotencyKey, options, origin)
                                : recordDispatched(caller, plan, idempotencyKey, options, origin)))
                .invoke(result -> {
                    if (!result.replayed()) {
                        outbox.committed();
                    }
                });
    }

    /** Asks the run to stop: a queued run stops at once, one a worker may hold goes CANCELLING. */
    public Uni<LaunchResult> cancel(Caller caller, UUID runId) {
        return Panache.withTransaction(() -> RunEntity.<RunEntity>find("workspace = ?1 and id = ?2", caller.workspace(), runId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("run", runId))
                .call(run -> run.state.isTerminal() ? Uni.createFrom().failure(ApiException.conflict("RUN_ENDED",
                        "Run " + runId + " has already ended " + run.state,
                        "Nothing to cancel; launch the job again if you need another run.")) : stop(caller, run)))
                .invoke(outbox::committed)
                .map(run -> LaunchResult.of(run, false));
    }

    /**
     * Launches one run of the job per execution date, all queued in the caller's transaction and
     * admitted under the job's and the workspace's concurrency limits, so runs over a limit wait
     * QUEUED. A job that cannot launch fails the whole call and nothing is written.
     */
    public Uni<List<RunEntity>> launchEach(Caller caller, UUID jobId, List<Instant> executionDates, RunOrigin origin) {
        return plan(caller, jobId, LaunchRequest.NONE).chain(plan -> {
            List<RunEntity> runs = executionDates.stream()
                    .map(date -> newRun(caller, plan, null, new LaunchRequest(null, null, date), origin)).toList();
            List<TaskEntity> tasks = RunAdmission.selected((UUID[]) null, plan.tasks());
            Uni<Void> chain = Panache.getSession().chain(s -> s.persistAll(runs.toArray()));
            for (RunEntity run : runs) {
                chain = chain.call(() -> outbox.append(Topics.RUN_EVENTS, queuedEvent(run, plan.job(), tasks)));
            }
            return chain.call(() -> admission.admitWaiting(caller.workspace())).replaceWith(runs);
        });
    }

    /**
     * Stops every unfinished run of the backfill and returns how many; the caller's transaction
     * holds the workspace's admission lock meanwhile, so none of them is dispatched half-way.
     */
    public Uni<Integer> cancelBackfill(Caller caller, UUID backfillId) {
        return admission.lock(caller.workspace())
                .chain(() -> RunEntity.<RunEntity>find("workspace = ?1 and backfillId = ?2 and state in ?3 order by id",
                        caller.workspace(), backfillId, RunState.UNFINISHED).withLock(LockModeType.PESSIMISTIC_WRITE).list())
                .chain(runs -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (RunEntity run : runs) {
                        chain = chain.call(() -> stop(caller, run));
                    }
                    return chain.replaceWith(runs.size());
                });
    }

    /** Stops a run that has not ended: a queued one at once; one a worker may hold goes CANCELLING. */
    private Uni<Void> stop(Caller caller, RunEntity run) {
        return switch (run.state) {
            case QUEUED -> stopQueued(caller, run);
            case DISPATCHED, RUNNING -> requestStop(caller, run);
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<LaunchPlan> plan(Caller caller, UUID jobId, LaunchRequest options) {
        return store.plan(caller.workspace(), jobId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId))
                .invoke(plan -> requireLaunchable(plan, options));
    }

    private Uni<Void> stopQueued(Caller caller, RunEntity run) {
        run.state = RunState.STOPPED;
        run.finishedAt = Instant.now();
        run.errorCode = "CANCELLED";
        run.cancelRequestedBy = caller.subject();
        RunFinished finished = new RunFinished(run.id.toString(), run.attempt, run.workspace, run.jobId.toString(),
                RunStatus.STOPPED, "cancelled by " + caller.subject() + " before it started", run.finishedAt, "CANCELLED",
                null);
        return outbox.append(Topics.RUN_EVENTS, CloudEvent.of(SOURCE, EventTypes.RUN_FINISHED, run.id.toString(), finished));
    }

    private Uni<Void> requestStop(Caller caller, RunEntity run) {
        run.state = RunState.CANCELLING;
        run.cancelRequestedBy = caller.subject();
        Instant now = Instant.now();
        String id = run.id.toString();
        CloudEvent cancel = CloudEvent.of(SOURCE, EventTypes.CANCEL, id,
                new CancelCommand(id, run.workspace, now, run.attempt, caller.subject(), null));
        CloudEvent cancelling = CloudEvent.of(SOURCE, EventTypes.RUN_CANCELLING, id,
                new RunCancelling(id, run.attempt, run.workspace, run.jobId.toString(), caller.subject(), now));
        return outbox.append(Topics.RUN_EVENTS, cancelling)
                .call(() -> outbox.append(Topics.COMMANDS, cancel))
                .call(() -> outbox.append(Topics.CONTROL, cancel));
    }

    private Uni<LaunchResult> earlier(Caller caller, UUID jobId, String idempotencyKey) {
        return idempotencyKey == null ? Uni.createFrom().nullItem()
                : store.findByKey(caller.workspace(), jobId, idempotencyKey);
    }

    private static void requireLaunchable(LaunchPlan plan, LaunchRequest options) {
        requireActive(plan.job());
        requireRunnable(plan.job());
        requireTasks(plan.job(), plan.tasks(), options);
        requireTaskSyntax(plan, options);
        requireTemplateValues(plan, options);
        requireRunnableConnections(plan);
        if (plan.job().type == JobType.STEPS && plan.latestSource() == null) {
            throw ApiException.conflict("NO_STEP_PACKAGE", "Job '" + plan.job().name + "' has no step package to run",
                    "Upload one with POST .../jobs/" + plan.job().id + "/sources (a zip of .sql, .py and .sh steps).");
        }
    }

    /** Tasks stored before their type's syntax was checked on save are refused before they run. */
    private static void requireTaskSyntax(LaunchPlan plan, LaunchRequest options) {
        UUID[] taskIds = options.tasks() == null ? null : options.tasks().toArray(new UUID[0]);
        for (TaskEntity task : RunAdmission.selected(taskIds, plan.tasks())) {
            String problem = TaskSyntax.problem(plan.job().type, task.query, dialect(plan));
            if (problem != null) {
                throw ApiException.conflict("TASK_SQL_INVALID", "Task " + task.index + " (" + task.id + "): " + problem,
                        "Correct the task with PUT .../jobs/" + plan.job().id + "/tasks/" + task.id + ".");
            }
        }
        if (plan.job().type.replicates() && Boolean.TRUE.equals(replication(plan.job()).historyMode())) {
            throw ApiException.conflict("SETTING_NOT_RUNNABLE", "replication.history_mode is not carried out by this version's workers",
                    "Set replication.history_mode to false; rows are then kept at their latest version.");
        }
    }

    /** The destination's SQL dialect, in which the job's SQL tasks are read. */
    private static SqlTemplate.Dialect dialect(LaunchPlan plan) {
        return ConnectionEntity.dialectOf(plan.connection());
    }

    private static Replication replication(JobEntity job) {
        return job.settings().effective(true).replication();
    }


    /** Every templated value the run's tasks name must be a built-in or one of the launch's parameters. */
    private static void requireTemplateValues(LaunchPlan plan, LaunchRequest options) {
        UUID[] taskIds = options.tasks() == null ? null : options.tasks().toArray(new UUID[0]);
        Map<String, String> parameters = options.parameters() == null ? Map.of() : options.parameters();
        for (String builtIn : SqlTemplate.BUILT_INS) {
            if (parameters.containsKey(builtIn)) {
                throw ApiException.badRequest("RESERVED_PARAMETER", "Parameter '" + builtIn + "' is a value every run supplies",
                        "Rename the parameter; set the run's date with execution_date instead.");
            }
        }
        for (TaskEntity task : RunAdmission.selected(taskIds, plan.tasks())) {
            List<String> names;
            try {
                names = TaskSyntax.templateNames(plan.job().type, task.query, dialect(plan));
            } catch (IllegalArgumentException e) {
                throw ApiException.conflict("TASK_SQL_INVALID", "Task " + task.index + " (" + task.id + "): " + e.getMessage(),
                        "Correct the task with PUT .../jobs/" + plan.job().id + "/tasks/" + task.id + ".");
            }
            for (String name : names) {
                if (!SqlTemplate.BUILT_INS.contains(name) && !parameters.containsKey(name)) {
                    throw ApiException.badRequest("UNKNOWN_TEMPLATE_VALUE",
                            "Task " + task.index + " (" + task.id + ") names {{" + name + "}}, which this launch does not supply",
                            "Launch with \"parameters\": {\"" + name + "\": \"…\"}; every run supplies "
                                    + new java.util.TreeSet<>(SqlTemplate.BUILT_INS) + ".");
                }
            }
        }
    }

    private Uni<LaunchResult> recordDispatched(Caller caller, LaunchPlan plan, String idempotencyKey, LaunchRequest options,
            RunOrigin origin) {
        RunEntity run = newRun(caller, plan, idempotencyKey, options, origin);
        run.id = LaunchStore.newRunId();
        // Written straight to text: the hot path skips the JSON trees CloudEvent.of would build.
        String id = run.id.toString();
        String queued = EventCodec.encode(SOURCE, EventTypes.RUN_QUEUED, id,
                queued(run, plan.job(), RunAdmission.selected(run, plan.tasks())));
        return packages.spec(plan.job(), run.sourceVersion)
                .map(steps -> EventCodec.encode(SOURCE, EventTypes.LAUNCH, id,
                        RunAdmission.dispatch(run, plan.job(), plan.tasks(), plan.connection(), plan.source(), steps)))
                .chain(command -> store.insertDispatched(run, queued, command)).chain(inserted -> inserted
                ? Uni.createFrom().item(LaunchResult.of(run, false))
                : winner(caller, plan, idempotencyKey));
    }

    private Uni<LaunchResult> recordQueued(Caller caller, LaunchPlan plan, String idempotencyKey, LaunchRequest options,
            RunOrigin origin) {
        RunEntity run = newRun(caller, plan, idempotencyKey, options, origin);
        return Panache.withTransaction(() -> run.<RunEntity>persist()
                        .call(saved -> outbox.append(Topics.RUN_EVENTS, queuedEvent(saved, plan.job(),
                                RunAdmission.selected(saved, plan.tasks()))))
                        .call(saved -> admission.admitWaiting(saved.workspace))
                        .map(saved -> LaunchResult.of(saved, false)))
                .onFailure(RunService::isUniqueViolation)
                .recoverWithUni(() -> winner(caller, plan, idempotencyKey));
    }

    /** A concurrent request with the same key won the race: the answer is its run. */
    private Uni<LaunchResult> winner(Caller caller, LaunchPlan plan, String idempotencyKey) {
        return earlier(caller, plan.job().id, idempotencyKey)
                .onItem().ifNull().failWith(() -> new IllegalStateException("the run of idempotency key vanished"));
    }

    private static RunEntity newRun(Caller caller, LaunchPlan plan, String idempotencyKey, LaunchRequest options,
            RunOrigin origin) {
        RunEntity run = new RunEntity();
        run.workspace = caller.workspace();
        run.jobId = plan.job().id;
        run.attempt = 1;
        run.trigger = origin.trigger();
        run.backfillId = origin.backfillId();
        run.idempotencyKey = idempotencyKey;
        run.requestedAt = Instant.now();
        run.requestedBy = caller.subject();
        run.executionDate = options.executionDate() != null ? options.executionDate() : run.requestedAt;
        run.parameters = StoredJson.write(options.parameters() == null ? Map.of() : options.parameters());
        run.taskIds = options.tasks() == null ? null : options.tasks().toArray(new UUID[0]);
        run.sourceVersion = plan.job().type == JobType.STEPS ? plan.latestSource() : null;
        run.state = RunState.QUEUED;
        return run;
    }

    static CloudEvent queuedEvent(RunEntity run, JobEntity job, List<TaskEntity> tasks) {
        return CloudEvent.of(SOURCE, EventTypes.RUN_QUEUED, run.id.toString(), queued(run, job, tasks));
    }

    private static RunQueued queued(RunEntity run, JobEntity job, List<TaskEntity> tasks) {
        List<RunQueued.TaskRef> refs = tasks.stream().map(t -> new RunQueued.TaskRef(t.id.toString(), t.index)).toList();
        return new RunQueued(run.id.toString(), run.attempt, run.workspace, job.id.toString(), job.name,
                run.trigger, refs, Instant.now(), run.executionDate);
    }

    private static void requireActive(JobEntity job) {
        if (job.status != JobStatus.ACTIVE) {
            throw ApiException.conflict("JOB_NOT_ACTIVE",
                    "Job '" + job.name + "' is " + job.status + " and cannot be launched",
                    "Set the job's status to ACTIVE first.");
        }
    }

    private static void requireRunnable(JobEntity job) {
        if (!JobType.EXECUTABLE.contains(job.type)) {
            throw ApiException.conflict("JOB_TYPE_NOT_RUNNABLE",
                    "Jobs of type " + job.type + " can be defined but not yet run by this version of jobplane",
                    "Run a job of type " + JobType.EXECUTABLE + ", or wait for the release that executes " + job.type + ".");
        }
    }

    /**
     * A job's connections must be there where its type needs them, and databases must be ones
     * its executor works with.
     */
    private static void requireRunnableConnections(LaunchPlan plan) {
        // SQL tasks run on MySQL too; replication and step packages need PostgreSQL's COPY and DISCARD.
        Set<ConnectionType> databases = plan.job().type == JobType.TABLE_TO_TABLE
                ? EnumSet.of(ConnectionType.POSTGRESQL, ConnectionType.MYSQL) : EnumSet.of(ConnectionType.POSTGRESQL);
        requireEnd("destination", plan.job().type, plan.connection(), databases);
        requireEnd("source", plan.job().type, plan.source(), databases);
    }

    private static void requireEnd(String end, JobType type, ConnectionEntity connection, Set<ConnectionType> databases) {
        JobType.Uses uses = end.equals("source") ? type.source() : type.destination();
        if (connection == null) {
            if (uses.required()) {
                throw ApiException.conflict("JOB_HAS_NO_" + end.toUpperCase(java.util.Locale.ROOT),
                        "The job names no " + end + " connection", "Set " + end + "_connection_id on the job.");
            }
            return;
        }
        boolean database = uses == JobType.Uses.DATABASE || uses == JobType.Uses.OPTIONAL_DATABASE;
        if (database && !databases.contains(connection.type())) {
            throw ApiException.conflict("CONNECTION_TYPE_NOT_RUNNABLE",
                    "Connection '" + connection.name + "' is of type " + connection.type
                            + ", which workers of this version cannot use as the " + end + " of " + type + " jobs",
                    "Point the job's " + end + " at a " + databases.stream().map(ConnectionType::wire).sorted()
                            .collect(java.util.stream.Collectors.joining(" or ")) + " connection.");
        }
    }

    private static void requireTasks(JobEntity job, List<TaskEntity> tasks, LaunchRequest options) {
        if (options.tasks() != null) {
            if (new HashSet<>(options.tasks()).size() != options.tasks().size()) {
                throw ApiException.badRequest("DUPLICATE_TASK", "tasks names a task more than once",
                        "List each task id once; they run in the job's order anyway.");
            }
            for (UUID wanted : options.tasks()) {
                if (tasks.stream().noneMatch(t -> t.id.equals(wanted))) {
                    throw ApiException.badRequest("UNKNOWN_TASK", "Task '" + wanted + "' is not a task of job '" + job.name + "'",
                            "Use task ids from GET .../jobs/" + job.id + "/tasks.");
                }
            }
            return;
        }
        // SYNC_ALL without tasks copies every table; STEPS jobs run their package's steps instead.
        if (tasks.stream().noneMatch(t -> t.active) && job.type.takesTasks() && job.type != JobType.SYNC_ALL) {
            throw new ApiException(Status.CONFLICT, "NO_ACTIVE_TASKS",
                    "Job '" + job.name + "' has no active task to run",
                    "Add a task or set is_active on one of its tasks.");
        }
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

}
