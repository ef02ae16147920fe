package io.jobplane.api.run.launch;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.config.LaunchConfig;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.freeze.FreezeWindow;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.source.StepPackages;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.metrics.RunMetrics;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.quota.Quotas;
import io.jobplane.api.run.LaunchRequest;
import io.jobplane.api.run.LaunchResult;
import io.jobplane.api.run.RunEntity;
import io.jobplane.api.run.RunOrigin;
import io.jobplane.api.run.RunState;
import io.jobplane.api.run.RunTags;
import io.jobplane.api.run.launch.LaunchValidation.ValidLaunch;
import io.jobplane.api.security.Caller;
import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.failure.Failures;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * The one way a run is launched, whoever launches it (REST and the vendor APIs, schedules, workflows,
 * backfills, a lost worker's retry), in named steps:
 * <ol>
 * <li><b>plan</b>: one read of the job, its tasks, connections, workspace cap and package version
 * ({@link LaunchStore#plan});</li>
 * <li><b>validate</b>: pure, each task read once ({@link LaunchValidation});</li>
 * <li><b>admit</b>: dispatch now when no concurrency limit can hold the run, else queue it and admit
 * the workspace's waiting runs that fit ({@link AdmissionLimits}, {@link AdmissionQueue});</li>
 * <li><b>build</b>: the launch command, pure ({@link LaunchCommands}), from the same plan for a run
 * dispatched at once and for one admitted after waiting; a command larger than
 * {@code jobplane.launch.max-command-bytes} is refused at launch (413, {@link CommandBounds}) before
 * anything is stored, and a waiting run whose command outgrew the bound by admission ends
 * {@code FAILED} with that code instead of being sent;</li>
 * <li><b>store</b>: the run and its outbox records in one transaction ({@link LaunchStore}), relayed to
 * Kafka after commit, so a launch that was answered is never lost.</li>
 * </ol>
 */
@ApplicationScoped
public class LaunchPipeline {

    private static final Logger LOG = Logger.getLogger(LaunchPipeline.class);
    /** Stands in for a run id not yet given when a command is only measured: every run id has its length. */
    private static final UUID MEASURING = new UUID(0, 0);

    private final LaunchStore store;
    private final AdmissionQueue queue;
    private final StepPackages packages;
    private final Outbox outbox;
    private final long maxCommandBytes;
    private final Quotas quotas;
    private final RunMetrics metrics;

    public LaunchPipeline(LaunchStore store, AdmissionQueue queue, StepPackages packages, Outbox outbox, LaunchConfig config,
            Quotas quotas, RunMetrics metrics) {
        this.store = store;
        this.queue = queue;
        this.packages = packages;
        this.outbox = outbox;
        this.maxCommandBytes = config.maxCommandBytes();
        this.quotas = quotas;
        this.metrics = metrics;
    }

    /**
     * Launches a run of the job, or returns the run an earlier launch with the same idempotency key made.
     * A launch a caller asks for ({@link RunOrigin#MANUAL}) first takes one of the workspace's launch
     * rate ({@link Quotas#takeLaunch}, else {@code 429 RATE_LIMITED}); schedules and workflows are
     * bounded by their own quotas instead.
     */
    public Uni<LaunchResult> launch(Caller caller, UUID jobId, String idempotencyKey, LaunchRequest request, RunOrigin origin) {
        LaunchRequest options = request == null ? LaunchRequest.NONE : request;
        Uni<Void> rate = origin.askedByCaller() ? quotas.takeLaunch(caller.workspace()) : Uni.createFrom().voidItem();
        return rate.chain(() -> earlier(caller.workspace(), jobId, idempotencyKey))
                .onItem().ifNull().switchTo(() -> plan(caller.workspace(), jobId)
                        .map(plan -> LaunchValidation.validate(plan, options))
                        .chain(launch -> (frozen(launch.plan()) || mayHold(launch.plan())
                                ? queue(newRun(caller, launch, idempotencyKey, options.executionDate(), origin), launch)
                                : dispatchNow(newRun(caller, launch, idempotencyKey, options.executionDate(), origin), launch))
                                .invoke(result -> {
                                    if (!result.replayed()) {
                                        metrics.launched(launch.plan().job().type, origin.trigger());
                                    }
                                })))
                .invoke(result -> {
                    if (!result.replayed()) {
                        outbox.committed();
                    }
                });
    }

    /**
     * Launches one run of the job per execution date in the caller's transaction (a backfill), all
     * queued and then admitted under the concurrency limits. A job that cannot launch fails the whole
     * call and nothing is written.
     */
    public Uni<List<RunEntity>> launchEach(Caller caller, UUID jobId, List<Instant> executionDates, RunOrigin origin) {
        return plan(caller.workspace(), jobId)
                .map(plan -> LaunchValidation.validate(plan, LaunchRequest.NONE))
                .invoke(launch -> frozen(launch.plan()))
                .chain(launch -> {
                    List<RunEntity> runs = executionDates.stream()
                            .map(date -> newRun(caller, launch, null, date, origin)).toList();
                    // The runs share the plan; their commands differ only in fields of fixed length.
                    Uni<Void> measured = runs.isEmpty() ? Uni.createFrom().voidItem() : measure(runs.get(0), launch.plan());
                    Uni<Void> stored = measured.chain(() -> Panache.getSession().chain(s -> s.persistAll(runs.toArray())));
                    for (RunEntity run : runs) {
                        stored = stored.call(() -> appendQueued(run, launch.plan()));
                    }
                    return stored.call(() -> admitWaiting(caller.workspace())).replaceWith(runs)
                            .invoke(made -> made.forEach(run -> metrics.launched(launch.plan().job().type, origin.trigger())));
                });
    }

    /** The plan of a run's job now; null when the job is gone. For supervision, which decides on retries with it. */
    public Uni<LaunchPlan> planOf(RunEntity run) {
        return store.plan(run.workspace, run.jobId);
    }

    /**
     * Queues the run's next attempt after a lost worker, to be admitted once {@code backoff} has passed;
     * in the caller's transaction, which holds the run.
     */
    public Uni<Void> retry(RunEntity run, LaunchPlan plan, Duration backoff) {
        run.attempt++;
        run.trigger = "retry";
        run.state = RunState.QUEUED;
        run.notBefore = Instant.now().plus(backoff);
        run.workerId = null;
        run.lastSeenAt = null;
        run.startedAt = null;
        run.dispatchedAt = null;
        return appendQueued(run, plan);
    }

    /**
     * Admits the workspace's waiting runs that fit its limits and dispatches them; returns how many.
     * Must run inside a transaction (it takes the workspace's admission lock).
     */
    public Uni<Integer> admitWaiting(String workspace) {
        return queue.lockedQueue(workspace)
                .chain(waiting -> plans(workspace, waiting.jobIds())
                        .chain(plans -> dispatchAdmitted(AdmissionLimits.admissible(waiting.waiting(), plans,
                                waiting.active(), waiting.pools(), waiting.limit()), plans)))
                .invoke(n -> {
                    if (n > 0) {
                        outbox.committed();
                    }
                });
    }

    // --- plan -----------------------------------------------------------------------------------

    private Uni<LaunchPlan> plan(String workspace, UUID jobId) {
        return store.plan(workspace, jobId).onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId));
    }

    private Uni<Map<UUID, LaunchPlan>> plans(String workspace, List<UUID> jobIds) {
        Map<UUID, LaunchPlan> plans = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UUID jobId : jobIds) {
            chain = chain.call(() -> store.plan(workspace, jobId).invoke(plan -> {
                if (plan != null) {
                    plans.put(jobId, plan);
                }
            }));
        }
        return chain.replaceWith(plans);
    }

    // --- admit ----------------------------------------------------------------------------------

    /**
     * Whether the workspace is frozen now (its freeze as the plan read it), so a launch must wait QUEUED
     * (admission admits nothing until the freeze ends); fails {@code 409 WORKSPACE_FROZEN} when the freeze
     * refuses launches.
     */
    private static boolean frozen(LaunchPlan plan) {
        FreezeWindow freeze = plan.freeze();
        Instant now = Instant.now();
        if (freeze != null && freeze.refuses(now)) {
            throw freeze.refusal(plan.job().workspace);
        }
        return freeze != null && freeze.holds(now);
    }

    private boolean mayHold(LaunchPlan plan) {
        return AdmissionLimits.mayHold(plan, queue.workspaceLimit(plan.workspaceCap()));
    }

    /** No limit can hold the run: it is written dispatched, with its command, in one statement. */
    private Uni<LaunchResult> dispatchNow(RunEntity run, ValidLaunch launch) {
        run.id = LaunchStore.newRunId();
        String id = run.id.toString();
        // Written straight to text: the hot path skips the JSON trees CloudEvent.of would build.
        String queued = EventCodec.encode(Outbox.SOURCE, EventTypes.RUN_QUEUED, id, LaunchCommands.queued(run, launch.plan()));
        markDispatched(run);
        return command(run, launch.plan())
                .map(command -> {
                    String encoded = EventCodec.encode(Outbox.SOURCE, EventTypes.LAUNCH, id, command);
                    CommandBounds.check(command, encoded, maxCommandBytes);
                    return encoded;
                })
                .chain(command -> store.insertDispatched(run, queued, command))
                .chain(inserted -> inserted ? Uni.createFrom().item(LaunchResult.of(run, false))
                        : winner(run.workspace, run.jobId, run.idempotencyKey));
    }

    /** A limit may hold the run: it is queued, and the workspace's waiting runs that fit are admitted, in one transaction. */
    private Uni<LaunchResult> queue(RunEntity run, ValidLaunch launch) {
        return measure(run, launch.plan()).chain(() -> Panache.withTransaction(() -> run.<RunEntity>persist()
                        .call(saved -> appendQueued(saved, launch.plan()))
                        .call(saved -> admitWaiting(saved.workspace))
                        .map(saved -> LaunchResult.of(saved, false))))
                .onFailure(Failures::isDuplicate)
                .recoverWithUni(() -> winner(run.workspace, run.jobId, run.idempotencyKey));
    }

    private Uni<Integer> dispatchAdmitted(List<RunEntity> admitted, Map<UUID, LaunchPlan> plans) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (RunEntity run : admitted) {
            LaunchPlan plan = plans.get(run.jobId);
            chain = chain.call(() -> command(run, plan).chain(command -> {
                String id = run.id.toString();
                String encoded = EventCodec.encode(Outbox.SOURCE, EventTypes.LAUNCH, id, command);
                long size = CommandBounds.utf8Length(encoded);
                if (size > maxCommandBytes) {
                    return failTooLarge(run, plan, CommandBounds.tooLarge(command, size, maxCommandBytes));
                }
                markDispatched(run);
                holdSlots(run, plan);
                return outbox.appendEncoded(Topics.COMMANDS, id, encoded);
            }));
        }
        return chain.replaceWith(admitted.size());
    }

    /**
     * A waiting run whose command grew past the bound while it waited (its job changed) is not sent: it
     * ends FAILED with the refusal's code, its log saying why, and its slot stays free.
     */
    private Uni<Void> failTooLarge(RunEntity run, LaunchPlan plan, ApiException refusal) {
        String id = run.id.toString();
        LOG.warnf("run %s attempt %d: not dispatched: %s", id, run.attempt, refusal.getMessage());
        run.state = RunState.FAILED;
        run.errorCode = refusal.code();
        run.finishedAt = Instant.now();
        run.notBefore = null;
        RunFinished end = new RunFinished(id, run.attempt, run.workspace, run.jobId.toString(), RunStatus.FAILED,
                refusal.getMessage(), run.finishedAt, refusal.code(), null);
        return outbox.append(Topics.RUN_EVENTS, CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_LOG, id,
                        new RunLog(id, run.attempt, run.workspace, null, null, Long.MAX_VALUE, "ERROR", refusal.getMessage(),
                                false, Instant.now())))
                .chain(() -> outbox.append(Topics.RUN_EVENTS, CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_FINISHED, id, end)))
                .invoke(() -> metrics.ended(plan.job().type, RunStatus.FAILED, null, run.finishedAt));
    }

    /** Refuses (413) a run whose command would exceed the bound, before anything of it is stored. */
    private Uni<Void> measure(RunEntity run, LaunchPlan plan) {
        UUID given = run.id;
        return Uni.createFrom().deferred(() -> {
            run.id = given != null ? given : MEASURING;
            return command(run, plan).invoke(command -> CommandBounds.check(command,
                    EventCodec.encode(Outbox.SOURCE, EventTypes.LAUNCH, run.id.toString(), command), maxCommandBytes));
        }).eventually(() -> run.id = given).replaceWithVoid();
    }

    /** The run holds its job's pool slots from admission until it ends, whatever becomes of its job meanwhile. */
    private static void holdSlots(RunEntity run, LaunchPlan plan) {
        AdmissionLimits.JobLimits limits = plan.limits();
        run.pool = limits.pool();
        run.poolSlots = limits.pool() == null ? null : limits.poolSlots();
    }

    private static void markDispatched(RunEntity run) {
        run.state = RunState.DISPATCHED;
        run.dispatchedAt = Instant.now();
        run.notBefore = null;
    }

    // --- build ----------------------------------------------------------------------------------

    /** The run's command; a STEPS run's pinned package is read for it. */
    private Uni<LaunchCommand> command(RunEntity run, LaunchPlan plan) {
        return packages.spec(plan.job(), run.sourceVersion).map(steps -> LaunchCommands.command(run, plan, steps));
    }

    private static RunEntity newRun(Caller caller, ValidLaunch launch, String idempotencyKey, Instant executionDate,
            RunOrigin origin) {
        LaunchPlan plan = launch.plan();
        LaunchRequest options = launch.options();
        RunEntity run = new RunEntity();
        run.workspace = caller.workspace();
        run.jobId = plan.job().id;
        run.attempt = 1;
        run.trigger = origin.trigger();
        run.backfillId = origin.backfillId();
        run.rerunOf = origin.rerunOf();
        run.idempotencyKey = idempotencyKey;
        run.requestedAt = Instant.now();
        run.requestedBy = caller.subject();
        run.executionDate = executionDate != null ? executionDate : run.requestedAt;
        run.parameters = StoredJson.write(options.parameters() == null ? Map.of() : options.parameters());
        run.taskIds = LaunchValidation.taskIds(options);
        run.tags = RunTags.of(options.tags());
        run.sourceVersion = plan.job().type == JobType.STEPS ? plan.latestSource() : null;
        run.state = RunState.QUEUED;
        Integer jobPriority = plan.job().execution().priority();
        run.priority = options.priority() != null ? options.priority() : jobPriority != null ? jobPriority : 0;
        return run;
    }

    // --- store ----------------------------------------------------------------------------------

    private Uni<Void> appendQueued(RunEntity run, LaunchPlan plan) {
        return outbox.append(Topics.RUN_EVENTS,
                CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_QUEUED, run.id.toString(), LaunchCommands.queued(run, plan)));
    }

    private Uni<LaunchResult> earlier(String workspace, UUID jobId, String idempotencyKey) {
        return idempotencyKey == null ? Uni.createFrom().nullItem() : store.findByKey(workspace, jobId, idempotencyKey);
    }

    /** A concurrent launch with the same key won the race: the answer is its run. */
    private Uni<LaunchResult> winner(String workspace, UUID jobId, String idempotencyKey) {
        return earlier(workspace, jobId, idempotencyKey)
                .onItem().ifNull().failWith(() -> new IllegalStateException("the run of idempotency key vanished"));
    }
}
