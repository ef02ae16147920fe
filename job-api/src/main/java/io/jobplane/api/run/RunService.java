package io.jobplane.api.run;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.TaskEntity;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.security.Caller;
import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.TaskSpec;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Launches runs. The run row, its launch command and its queued event are written in one
 * transaction; the outbox relay publishes them after commit.
 */
@ApplicationScoped
public class RunService {

    static final String SOURCE = "/jobplane/job-api";

    private final Outbox outbox;

    public RunService(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Launches a run of the job, or returns the run an earlier request with the same key made. */
    public Uni<LaunchResult> launch(Caller caller, UUID jobId, String idempotencyKey) {
        return Panache.withTransaction(() -> launchOnce(caller, jobId, idempotencyKey))
                .onFailure(RunService::isUniqueViolation)
                // A concurrent request with the same key won the race: answer with its run.
                .recoverWithUni(() -> Panache.withSession(() -> findByKey(caller, jobId, idempotencyKey))
                        .onItem().ifNull().failWith(() -> new IllegalStateException("idempotent run vanished")))
                .invoke(result -> {
                    if (!result.replayed()) {
                        outbox.committed();
                    }
                });
    }

    private Uni<LaunchResult> launchOnce(Caller caller, UUID jobId, String idempotencyKey) {
        Uni<LaunchResult> existing = idempotencyKey == null ? Uni.createFrom().nullItem()
                : findByKey(caller, jobId, idempotencyKey);
        return existing.chain(found -> found != null ? Uni.createFrom().item(found)
                : loadLaunchable(caller, jobId).chain(plan -> record(caller, plan, idempotencyKey)));
    }

    private static Uni<LaunchResult> findByKey(Caller caller, UUID jobId, String idempotencyKey) {
        return RunEntity.<RunEntity>find("workspace = ?1 and jobId = ?2 and idempotencyKey = ?3",
                caller.workspace(), jobId, idempotencyKey).firstResult()
                .map(run -> run == null ? null : LaunchResult.of(run, true));
    }

    private Uni<LaunchPlan> loadLaunchable(Caller caller, UUID jobId) {
        return JobEntity.findInWorkspace(caller.workspace(), jobId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId))
                .invoke(RunService::requireActive)
                .invoke(RunService::requireRunnable)
                .chain(job -> TaskEntity.ofJob(job.id)
                        .map(tasks -> tasks.stream().filter(t -> t.active).toList())
                        .invoke(active -> requireTasks(job, active))
                        .chain(active -> ConnectionEntity.<ConnectionEntity>findById(job.destinationConnectionId)
                                .invoke(RunService::requireRunnableConnection)
                                .map(connection -> new LaunchPlan(job, active, connection))));
    }

    private Uni<LaunchResult> record(Caller caller, LaunchPlan plan, String idempotencyKey) {
        RunEntity run = new RunEntity();
        run.workspace = caller.workspace();
        run.jobId = plan.job().id;
        run.attempt = 1;
        run.trigger = "manual";
        run.idempotencyKey = idempotencyKey;
        run.requestedAt = Instant.now();
        run.requestedBy = caller.subject();
        return run.<RunEntity>persist()
                .call(saved -> outbox.append(Topics.RUN_EVENTS, queuedEvent(saved, plan)))
                .call(saved -> outbox.append(Topics.COMMANDS, launchCommand(saved, plan)))
                .map(saved -> LaunchResult.of(saved, false));
    }

    private static CloudEvent queuedEvent(RunEntity run, LaunchPlan plan) {
        List<RunQueued.TaskRef> tasks = plan.tasks().stream()
                .map(t -> new RunQueued.TaskRef(t.id.toString(), t.index)).toList();
        RunQueued queued = new RunQueued(run.id.toString(), run.attempt, run.workspace, plan.job().id.toString(),
                plan.job().name, run.trigger, tasks, run.requestedAt);
        return CloudEvent.of(SOURCE, EventTypes.RUN_QUEUED, run.id.toString(), queued);
    }

    private static CloudEvent launchCommand(RunEntity run, LaunchPlan plan) {
        ConnectionEntity c = plan.connection();
        ConnectionSpec destination = new ConnectionSpec(c.id.toString(), c.type, c.jdbcUrl, c.username,
                c.sealed().get("password"));
        List<TaskSpec> tasks = plan.tasks().stream()
                .map(t -> new TaskSpec(t.id.toString(), t.index, t.query)).toList();
        LaunchCommand command = new LaunchCommand(run.id.toString(), run.attempt, run.workspace,
                plan.job().id.toString(), plan.job().name, plan.job().type.name(), destination, tasks,
                plan.job().continueOnError, run.requestedAt);
        return CloudEvent.of(SOURCE, EventTypes.LAUNCH, run.id.toString(), command);
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

    /** Workers execute SQL tasks on PostgreSQL today; other databases come with their executors. */
    private static void requireRunnableConnection(ConnectionEntity connection) {
        if (connection.type() != io.jobplane.api.connection.ConnectionType.POSTGRESQL) {
            throw ApiException.conflict("CONNECTION_TYPE_NOT_RUNNABLE",
                    "Connection '" + connection.name + "' is of type " + connection.type
                            + ", which workers of this version cannot run tasks on",
                    "Point the job at a postgresql connection.");
        }
    }

    private static void requireTasks(JobEntity job, List<TaskEntity> active) {
        if (active.isEmpty()) {
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
        }
        return false;
    }

    private record LaunchPlan(JobEntity job, List<TaskEntity> tasks, ConnectionEntity connection) {
    }
}
