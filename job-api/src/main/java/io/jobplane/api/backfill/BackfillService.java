package io.jobplane.api.backfill;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.settings.CronExpressions;
import io.jobplane.api.job.settings.Schedule;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.quota.QuotaLimits;
import io.jobplane.api.quota.QuotaRules;
import io.jobplane.api.quota.Quotas;
import io.jobplane.api.run.RunEntity;
import io.jobplane.api.run.RunOrigin;
import io.jobplane.api.run.RunService;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Backfills: one run per schedule tick of a range, each with the tick as its execution date, all
 * written in one transaction and admitted under the job's concurrency limits; cancelled as a whole.
 */
@ApplicationScoped
public class BackfillService {

    private final LaunchPipeline launches;
    private final RunService runs;
    private final Audit audit;
    private final Outbox outbox;
    private final Quotas quotas;

    public BackfillService(LaunchPipeline launches, RunService runs, Audit audit, Outbox outbox, Quotas quotas) {
        this.launches = launches;
        this.runs = runs;
        this.audit = audit;
        this.outbox = outbox;
        this.quotas = quotas;
    }

    /** A backfill is one launch of the workspace's launch rate, and makes at most its {@code max_backfill_runs} runs. */
    public Uni<BackfillView> create(Caller caller, UUID jobId, BackfillRequest request) {
        return quotas.takeLaunch(caller.workspace()).chain(() -> quotas.of(caller.workspace()))
                .chain(q -> Panache.withTransaction(() -> JobEntity.findInWorkspace(caller.workspace(), jobId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId))
                .chain(job -> {
                    List<Instant> ticks = ticks(job, request, q);
                    BackfillEntity backfill = new BackfillEntity();
                    backfill.workspace = caller.workspace();
                    backfill.jobId = jobId;
                    backfill.rangeFrom = request.from();
                    backfill.rangeTo = request.to();
                    backfill.requestedBy = caller.subject();
                    backfill.requestedAt = Instant.now();
                    return backfill.<BackfillEntity>persist()
                            .call(() -> Panache.getSession().chain(s -> s.flush()))
                            .chain(saved -> launches.launchEach(caller, jobId, ticks, RunOrigin.backfill(saved.id))
                                    .call(made -> audit.record(caller, "backfill.created", "backfill", saved.id,
                                            Map.of("job_id", jobId, "from", request.from().toString(),
                                                    "to", request.to().toString(), "runs", made.size())))
                                    .map(made -> BackfillView.of(saved, made)));
                })))
                .invoke(outbox::committed);
    }

    @WithSession
    public Uni<BackfillView> get(Caller caller, UUID backfillId) {
        return find(caller, backfillId, LockModeType.NONE).chain(this::view);
    }

    /** Stops the backfill's queued and running runs; its ended runs stay as they are. */
    public Uni<BackfillView> cancel(Caller caller, UUID backfillId) {
        return Panache.withTransaction(() -> find(caller, backfillId, LockModeType.PESSIMISTIC_WRITE)
                .call(backfill -> runs.cancelBackfill(caller, backfillId).chain(stopped -> {
                    if (stopped == 0 && backfill.cancelledAt == null) {
                        return Uni.createFrom().failure(ApiException.conflict("BACKFILL_ENDED",
                                "Every run of backfill " + backfillId + " has already ended",
                                "Nothing to cancel; start another backfill if you need the range again."));
                    }
                    if (backfill.cancelledAt == null) {
                        backfill.cancelledAt = Instant.now();
                        backfill.cancelledBy = caller.subject();
                    }
                    return audit.record(caller, "backfill.cancelled", "backfill", backfillId, Map.of("runs_stopped", stopped));
                }))
                .call(() -> Panache.getSession().chain(s -> s.flush()))
                .chain(this::view))
                .invoke(outbox::committed);
    }

    private Uni<BackfillEntity> find(Caller caller, UUID backfillId, LockModeType lock) {
        return BackfillEntity.<BackfillEntity>find("workspace = ?1 and id = ?2", caller.workspace(), backfillId)
                .withLock(lock).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("backfill", backfillId));
    }

    private Uni<BackfillView> view(BackfillEntity backfill) {
        return RunEntity.<RunEntity>find("backfillId = ?1 order by executionDate", backfill.id).list()
                .map(list -> BackfillView.of(backfill, list));
    }

    /** The job's schedule ticks in the range, or the 400 that says why there are none to run. */
    private static List<Instant> ticks(JobEntity job, BackfillRequest request, QuotaLimits quotas) {
        Schedule schedule = job.settings().effective(job.type.replicates()).schedule();
        if (schedule.cron() == null) {
            throw ApiException.badRequest("JOB_NOT_SCHEDULED", "Job '" + job.name + "' has no schedule.cron to backfill",
                    "Set schedule.cron on the job (PUT .../jobs/" + job.id + "); it need not be enabled.");
        }
        if (request.from().isAfter(request.to())) {
            throw ApiException.badRequest("INVALID_BACKFILL_RANGE", "from " + request.from() + " is after to " + request.to(),
                    "Send from at or before to; both ends are included.");
        }
        int max = quotas.maxBackfillRuns();
        List<Instant> ticks = CronExpressions.ticks(schedule.cron(), schedule.timezone())
                .between(request.from(), request.to(), max + 1);
        if (ticks.isEmpty()) {
            throw ApiException.badRequest("BACKFILL_RANGE_EMPTY", "The schedule '" + schedule.cron() + "' (" + schedule.timezone()
                    + ") does not fire from " + request.from() + " to " + request.to(),
                    "Widen the range so that it holds at least one tick; GET the job to see its next_fire_times.");
        }
        QuotaRules.requireBackfillSize(ticks.size(), schedule.cron(), quotas);
        return ticks;
    }
}
