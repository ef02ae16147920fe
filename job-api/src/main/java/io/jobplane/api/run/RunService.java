package io.jobplane.api.run;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.metrics.RunMetrics;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.run.launch.AdmissionQueue;
import io.jobplane.api.security.Caller;
import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.RunCancelling;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Stops runs. A queued run stops at once; one a worker may hold goes {@code CANCELLING} and its
 * cancel command is written to the outbox in the same transaction. Launches are
 * {@link io.jobplane.api.run.launch.LaunchPipeline}'s.
 */
@ApplicationScoped
public class RunService {

    private final Outbox outbox;
    private final AdmissionQueue admission;
    private final RunMetrics metrics;

    public RunService(Outbox outbox, AdmissionQueue admission, RunMetrics metrics) {
        this.outbox = outbox;
        this.admission = admission;
        this.metrics = metrics;
    }

    /**
     * Asks the run to stop: a queued run stops at once, one a worker may hold goes CANCELLING. The
     * run's row is locked first; admission locks the queued rows it admits the same way
     * ({@link AdmissionQueue}), so a run is either stopped here before admission sees it, or
     * admitted first and then seen here as dispatched: never both.
     */
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
     * Stops every unfinished run of the job (CData's "cancel a running job") and returns them as they
     * are now; {@code 409 JOB_NOT_RUNNING} when none is. Each run is stopped as {@link #cancel} stops
     * one, under the workspace's admission lock so none of them is dispatched half-way.
     */
    public Uni<java.util.List<LaunchResult>> cancelJob(Caller caller, UUID jobId) {
        return Panache.withTransaction(() -> unfinished(caller, jobId, null)
                .call(runs -> runs.isEmpty() ? Uni.createFrom().failure(ApiException.conflict("JOB_NOT_RUNNING",
                        "Job " + jobId + " has no run in progress", "Nothing to cancel.")) : stopAll(caller, runs)))
                .invoke(outbox::committed)
                .map(runs -> runs.stream().map(run -> LaunchResult.of(run, false)).toList());
    }

    /**
     * Stops every unfinished run of the job but the one launched with {@code keepKey} (a schedule's
     * {@code CANCEL_OTHER} before it launches its tick's run), each as {@link #cancel} stops one, under the
     * workspace's admission lock; returns the ids of the runs it stopped (a run already CANCELLING is left
     * as it is and not counted). Its own transaction.
     */
    public Uni<java.util.List<UUID>> cancelOthers(Caller caller, UUID jobId, String keepKey) {
        return Panache.withTransaction(() -> unfinished(caller, jobId, keepKey)
                .map(runs -> runs.stream().filter(run -> run.state != RunState.CANCELLING).toList())
                .call(runs -> stopAll(caller, runs)))
                .invoke(runs -> {
                    if (!runs.isEmpty()) {
                        outbox.committed();
                    }
                })
                .map(runs -> runs.stream().map(run -> run.id).toList());
    }

    /** The job's unfinished runs but the one of {@code keepKey}, row-locked under the workspace's admission lock. */
    private Uni<java.util.List<RunEntity>> unfinished(Caller caller, UUID jobId, String keepKey) {
        return admission.lock(caller.workspace())
                .chain(() -> RunEntity.<RunEntity>find("workspace = ?1 and jobId = ?2 and state in ?3 order by id",
                        caller.workspace(), jobId, RunState.UNFINISHED).withLock(LockModeType.PESSIMISTIC_WRITE).list())
                .map(runs -> keepKey == null ? runs : runs.stream().filter(run -> !keepKey.equals(run.idempotencyKey)).toList());
    }

    private Uni<Void> stopAll(Caller caller, java.util.List<RunEntity> runs) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (RunEntity run : runs) {
            chain = chain.call(() -> stop(caller, run));
        }
        return chain;
    }

    /**
     * Stops every unfinished run of the backfill and returns how many; the caller's transaction
     * holds the workspace's admission lock meanwhile, so none of them is dispatched half-way.
     */
    public Uni<Integer> cancelBackfill(Caller caller, UUID backfillId) {
        return admission.lock(caller.workspace())
                .chain(() -> RunEntity.<RunEntity>find("workspace = ?1 and backfillId = ?2 and state in ?3 order by id",
                        caller.workspace(), backfillId, RunState.UNFINISHED).withLock(LockModeType.PESSIMISTIC_WRITE).list())
                .chain(runs -> stopAll(caller, runs).replaceWith(runs.size()));
    }

    /** Stops a run that has not ended: a queued one at once; one a worker may hold goes CANCELLING. */
    private Uni<Void> stop(Caller caller, RunEntity run) {
        return switch (run.state) {
            case QUEUED -> stopQueued(caller, run);
            case DISPATCHED, RUNNING -> requestStop(caller, run);
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> stopQueued(Caller caller, RunEntity run) {
        run.state = RunState.STOPPED;
        run.finishedAt = Instant.now();
        run.errorCode = "CANCELLED";
        run.cancelRequestedBy = caller.subject();
        RunFinished finished = new RunFinished(run.id.toString(), run.attempt, run.workspace, run.jobId.toString(),
                RunStatus.STOPPED, "cancelled by " + caller.subject() + " before it started", run.finishedAt, "CANCELLED",
                null);
        return outbox.append(Topics.RUN_EVENTS, CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_FINISHED, run.id.toString(), finished))
                .call(() -> JobEntity.<JobEntity>findById(run.jobId)
                        .invoke(job -> metrics.ended(job == null ? null : job.type, RunStatus.STOPPED, null, run.finishedAt)));
    }

    private Uni<Void> requestStop(Caller caller, RunEntity run) {
        run.state = RunState.CANCELLING;
        run.cancelRequestedBy = caller.subject();
        Instant now = Instant.now();
        String id = run.id.toString();
        CloudEvent cancel = CloudEvent.of(Outbox.SOURCE, EventTypes.CANCEL, id,
                new CancelCommand(id, run.workspace, now, run.attempt, caller.subject(), null));
        CloudEvent cancelling = CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_CANCELLING, id,
                new RunCancelling(id, run.attempt, run.workspace, run.jobId.toString(), caller.subject(), now));
        return outbox.append(Topics.RUN_EVENTS, cancelling)
                .call(() -> outbox.append(Topics.COMMANDS, cancel))
                .call(() -> outbox.append(Topics.CONTROL, cancel));
    }
}
