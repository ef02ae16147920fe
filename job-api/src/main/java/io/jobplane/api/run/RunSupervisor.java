package io.jobplane.api.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jobplane.api.config.RunsConfig;
import io.jobplane.api.job.settings.Retry;
import io.jobplane.api.metrics.RunMetrics;
import io.jobplane.api.notify.RunEndNotifier;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.run.hearing.SupervisionHearing;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.workflow.WorkflowEngine;
import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.consume.EventConsumer;
import io.jobplane.events.consume.EventRoutes;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunHeartbeat;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.RunTimeout;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Follows every run from dispatch to end. From {@code jobplane.run-events} it records which worker
 * holds an attempt and when it last heard from it, marks runs started and ended, and frees their
 * concurrency slots. A sweeper (one replica at a time) retries or fails runs whose worker stopped
 * sending heartbeats for {@code jobplane.runs.worker-lost-after}, and admits waiting runs. Events of
 * an attempt that is no longer the run's current one are ignored: that is the fence against a
 * worker that was presumed lost. A second worker that announces an attempt another already holds is
 * told to stop its copy. A run past its {@code execution.run_timeout_seconds} by more than
 * {@code jobplane.runs.run-timeout-grace} (its worker stops it at the limit; this is the backstop
 * for one that did not: too busy, or of a version without run timeouts) is failed
 * {@code RUN_TIMEOUT} and its worker told to stop. Silence only counts while supervision could hear it ({@link SupervisionHearing}):
 * not during a broker outage, nor before a restarted replica caught up. Once a batch's ends are
 * recorded, {@link RunEndNotifier} records the mails and webhook calls they trigger.
 */
@ApplicationScoped
public class RunSupervisor {

    private static final Logger LOG = Logger.getLogger(RunSupervisor.class);
    /** Arbitrary, fixed: identifies the sweeper's advisory lock among all of the database's. */
    private static final long SWEEPER_LOCK = 727_003L;
    private static final String ACTIVE = RunState.ACTIVE_SQL;
    /**
     * The run events supervision reads; it passes over the others (task events and log lines:
     * metadata-harvester's, not supervision's) without decoding them.
     */
    private static final EventRoutes<Observed> FOLLOWED = EventRoutes.<Observed>create()
            .on(EventTypes.RUN_HEARTBEAT, RunHeartbeat.class, h -> heard(h.runId(), h.attempt(), h.workerId(), false, null))
            .on(EventTypes.RUN_STARTED, RunStarted.class, s -> heard(s.runId(), s.attempt(), s.workerId(), true, s.startedAt()))
            .on(EventTypes.RUN_FINISHED, RunFinished.class, RunSupervisor::ended)
            .passOverOthers();
    /**
     * Unreadable events are not ours to dead-letter: metadata-harvester does that for this topic. A
     * batch that failed on the database is tried again after 200 ms, doubling up to 5 s, so
     * supervision resumes within 5 s of the database coming back.
     */
    private static final EventConsumer<Observed> EVENTS = EventConsumer
            .skippingRefused("run supervision", FOLLOWED, "metadata-harvester dead-letters this topic")
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    /**
     * The active states, bound as a parameter where one run is changed by id: spelled out in the
     * text, they match the partial index of active runs, and the generic plan of the prepared
     * statement scanned that whole index instead of looking the run up by its key.
     */
    private static final String[] ACTIVE_STATES = RunState.ACTIVE.stream().map(Enum::name).toArray(String[]::new);
    private static final String HOLDERS = "select id, attempt, worker_id from api.run where id = any($1) and state in " + ACTIVE;
    private static final String SEEN = """
            update api.run set last_seen_at = now(), worker_id = coalesce(worker_id, $3),
                   state = case when $4 and state = 'DISPATCHED' then 'RUNNING' else state end,
                   started_at = case when $4 then coalesce(started_at, $5) else started_at end
             where id = $1 and attempt = $2 and state = any($6::text[])""";
    /**
     * Ends the run (once: only an active run changes) and, when it succeeded, marks its job satisfied
     * in every workflow it triggers that has not fired since the run ended — in one statement, so a
     * trigger is never lost between the two. Returns the workspace and those workflows.
     */
    private static final String FINISHED = """
            with f as (
              update api.run set state = $3, finished_at = $4, error_code = $5, worker_id = coalesce(worker_id, $6),
                     started_at = coalesce(started_at, $7), last_seen_at = now()
               where id = $1 and attempt = $2 and state = any($8::text[])
              returning workspace, job_id, id, state, started_at, finished_at),
            t as (
              insert into api.workflow_trigger_state (workflow_id, trigger_job_id, run_id, succeeded_at)
              select e.workflow_id, f.job_id, f.id, f.finished_at
                from f join api.workflow_edge e on e.job_id = f.job_id and e.role = 'TRIGGER'
                       join api.workflow w on w.job_id = e.workflow_id
               where f.state = 'SUCCESS' and f.finished_at > coalesce(w.last_fired_at, '-infinity')
              on conflict (workflow_id, trigger_job_id) do update set run_id = excluded.run_id, succeeded_at = excluded.succeeded_at
              returning workflow_id)
            select f.workspace, array(select workflow_id from t) as workflows, f.state, f.started_at, f.finished_at,
                   (select j.type from api.job j where j.id = f.job_id) as job_type
              from f""";
    private static final String WAITING = "select exists (select 1 from api.run where workspace = $1 and state = 'QUEUED')";
    private static final String DUE = """
            select distinct workspace from api.run
             where state = 'QUEUED' and (not_before is null or not_before <= now()) limit 100""";

    /**
     * Started runs past their job's run timeout and the grace ($1 seconds), oldest first: a cheap
     * text test skips jobs without the setting before their settings are parsed.
     */
    private static final String OVERDUE = """
            select r.id, j.type as job_type, t.seconds
              from api.run r join api.job j on j.id = r.job_id
                   cross join lateral (select j.settings::jsonb #>> '{execution,run_timeout_seconds}' as raw) s
                   cross join lateral (select case when s.raw ~ '^[0-9]{1,9}$' then s.raw::int end as seconds) t
             where r.state in ('DISPATCHED', 'RUNNING') and r.started_at is not null
               and j.settings like '%run_timeout_seconds%' and t.seconds is not null
               and r.started_at + make_interval(secs => t.seconds + $1::int) < now()
             order by r.started_at limit 200""";

    private final Pool pool;
    private final Duration runTimeoutGrace;
    private final LaunchPipeline launches;
    private final Outbox outbox;
    private final RunEndNotifier notifier;
    private final WorkflowEngine workflowEngine;
    private final SupervisionHearing hearing;
    private final RunMetrics metrics;

    public RunSupervisor(Pool pool, LaunchPipeline launches, Outbox outbox, RunEndNotifier notifier,
            WorkflowEngine workflowEngine, SupervisionHearing hearing, RunMetrics metrics, RunsConfig config) {
        this.pool = pool;
        this.runTimeoutGrace = config.runTimeoutGrace();
        this.metrics = metrics;
        this.hearing = hearing;
        this.workflowEngine = workflowEngine;
        this.launches = launches;
        this.outbox = outbox;
        this.notifier = notifier;
    }

    @Incoming(SupervisionHearing.CHANNEL)
    public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
        return EVENTS.consume(records, this::record).invoke(() -> hearing.recorded(records));
    }

    private static Observed heard(String runId, int attempt, String workerId, boolean started, Instant startedAt) {
        return new Heard(new Attempt(UUID.fromString(runId), attempt), new Seen(workerId, started, startedAt));
    }

    /** A run end is followed once it is an end; its run id must be one. */
    private static Observed ended(RunFinished f) {
        if (f.status() == null || !f.status().isTerminal()) {
            return null;
        }
        UUID.fromString(f.runId());
        return new Ended(f);
    }

    /** Records a batch: run ends are notified once recorded, in the same batch, whose offsets are committed after both. */
    private Uni<Void> record(List<Observed> observed) {
        Map<Attempt, Seen> seen = new LinkedHashMap<>();
        List<RunFinished> finished = new ArrayList<>();
        for (Observed o : observed) {
            if (o instanceof Heard heard) {
                seen.merge(heard.attempt(), heard.seen(), Seen::merge);
            } else {
                finished.add(((Ended) o).finished());
            }
        }
        return recordSeen(seen, finished).chain(() -> recordFinished(finished, seen))
                .chain(() -> notifier.runsEnded(finished));
    }

    /**
     * Records heartbeats and starts; a second worker on an attempt someone else holds is fenced off.
     * Attempts that end in the same batch are left to {@link #recordFinished}, which records their
     * start along with their end in one update.
     */
    private Uni<Void> recordSeen(Map<Attempt, Seen> seen, List<RunFinished> finished) {
        if (seen.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<Attempt> ending = new HashSet<>();
        finished.forEach(f -> ending.add(new Attempt(UUID.fromString(f.runId()), f.attempt())));
        UUID[] ids = seen.keySet().stream().map(Attempt::runId).distinct().toArray(UUID[]::new);
        return pool.preparedQuery(HOLDERS).execute(Tuple.of(ids)).chain(rows -> {
            Map<Attempt, String> holders = new HashMap<>();
            for (Row r : rows) {
                holders.put(new Attempt(r.getUUID("id"), r.getInteger("attempt")), r.getString("worker_id"));
            }
            List<Tuple> updates = new ArrayList<>();
            List<CloudEvent> fences = new ArrayList<>();
            seen.forEach((attempt, s) -> {
                if (!holders.containsKey(attempt)) {
                    return;
                }
                String holder = holders.get(attempt);
                if (holder != null && !holder.equals(s.workerId())) {
                    LOG.warnf("run %s attempt %d: worker %s took an attempt %s holds; telling it to stop", attempt.runId(),
                            attempt.attempt(), s.workerId(), holder);
                    String id = attempt.runId().toString();
                    fences.add(CloudEvent.of(Outbox.SOURCE, EventTypes.CANCEL, id, new CancelCommand(id, null,
                            Instant.now(), attempt.attempt(), "job-api", s.workerId())));
                    return;
                }
                if (ending.contains(attempt)) {
                    return;
                }
                updates.add(Tuple.of(attempt.runId(), attempt.attempt(), s.workerId(), s.started(),
                        s.startedAt() == null ? null : s.startedAt().atOffset(java.time.ZoneOffset.UTC), ACTIVE_STATES));
            });
            Uni<Void> updated = updates.isEmpty() ? Uni.createFrom().voidItem()
                    : pool.preparedQuery(SEEN).executeBatch(updates).replaceWithVoid();
            return fences.isEmpty() ? updated : updated.chain(() -> fence(fences));
        });
    }

    private Uni<Void> fence(List<CloudEvent> fences) {
        return Panache.withTransaction(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (CloudEvent fence : fences) {
                chain = chain.call(() -> outbox.append(Topics.CONTROL, fence));
            }
            return chain;
        }).invoke(outbox::committed);
    }

    /** Ends runs and frees their slots: workspaces with runs waiting are admitted again. */
    private Uni<Void> recordFinished(List<RunFinished> finished, Map<Attempt, Seen> seen) {
        if (finished.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> updates = finished.stream().map(f -> {
            UUID runId = UUID.fromString(f.runId());
            Seen started = seen.get(new Attempt(runId, f.attempt()));
            Instant startedAt = started == null ? null : started.startedAt();
            return Tuple.from(new Object[] { runId, f.attempt(), f.status().name(),
                    (f.finishedAt() == null ? Instant.now() : f.finishedAt()).atOffset(java.time.ZoneOffset.UTC),
                    f.errorCode(), f.workerId(), startedAt == null ? null : startedAt.atOffset(java.time.ZoneOffset.UTC),
                    ACTIVE_STATES });
        }).toList();
        Set<String> workspaces = new LinkedHashSet<>();
        Set<UUID> workflows = new LinkedHashSet<>();
        return pool.preparedQuery(FINISHED).executeBatch(updates)
                .invoke(rows -> {
                    for (var set = rows; set != null; set = set.next()) {
                        for (Row r : set) {
                            workspaces.add(r.getString("workspace"));
                            workflows.addAll(List.of(r.getArrayOfUUIDs("workflows")));
                            metrics.ended(r.getString("job_type"), r.getString("state"), instant(r, "started_at"),
                                    instant(r, "finished_at"));
                        }
                    }
                })
                .chain(() -> admitWhereWaiting(new ArrayList<>(workspaces)))
                .chain(() -> workflowEngine.fireIfReady(new ArrayList<>(workflows)));
    }

    private Uni<Void> admitWhereWaiting(List<String> workspaces) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String ws : workspaces) {
            chain = chain.chain(() -> pool.preparedQuery(WAITING).execute(Tuple.of(ws))
                    .chain(rows -> rows.iterator().next().getBoolean(0) ? admit(ws) : Uni.createFrom().voidItem()));
        }
        return chain;
    }

    private Uni<Void> admit(String workspace) {
        return Panache.withTransaction(() -> launches.admitWaiting(workspace)).replaceWithVoid();
    }

    /** Lost workers, then runs waiting for a slot or a retry's backoff. One replica at a time. */
    @Scheduled(every = "${jobplane.runs.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery("select pg_try_advisory_xact_lock(?1)", Boolean.class)
                        .setParameter(1, SWEEPER_LOCK).getSingleResult())
                .chain(leader -> leader ? recoverLost().chain(n -> failOverdue().map(m -> n + m)) : Uni.createFrom().item(0)))
                .invoke(n -> {
                    if (n > 0) {
                        outbox.committed();
                    }
                })
                .chain(() -> pool.query(DUE).execute())
                .chain(rows -> {
                    // These workspaces have runs due: admit them without asking again.
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row r : rows) {
                        String ws = r.getString("workspace");
                        chain = chain.chain(() -> admit(ws));
                    }
                    return chain;
                })
                .onFailure().invoke(e -> LOG.warnf("run sweep failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Runs silent since before the cutoff ({@link SupervisionHearing#cutoff}); none while supervision could not hear. */
    private Uni<Integer> recoverLost() {
        return hearing.cutoff().chain(cutoff -> cutoff == null ? Uni.createFrom().item(0) : recoverLost(cutoff));
    }

    private Uni<Integer> recoverLost(Instant cutoff) {
        return RunEntity.<RunEntity>find("state in ?1 and lastSeenAt < ?2 order by lastSeenAt", RunState.ACTIVE, cutoff)
                .withLock(LockModeType.PESSIMISTIC_WRITE).page(0, 200).list()
                .chain(lost -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (RunEntity run : lost) {
                        chain = chain.chain(n -> lost(run).replaceWith(n + 1));
                    }
                    return chain;
                });
    }

    /** The run's worker went silent: a cancelled run stops, others are tried again or fail WORKER_LOST. */
    private Uni<Void> lost(RunEntity run) {
        String id = run.id.toString();
        String why = "worker " + run.workerId + " stopped sending heartbeats (last at " + run.lastSeenAt + ")";
        LOG.warnf("run %s attempt %d: %s", id, run.attempt, why);
        return launches.planOf(run).chain(plan -> {
            Retry retry = plan == null ? null : plan.job().execution().retry();
            Uni<Void> log = outbox.append(Topics.RUN_EVENTS, CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_LOG, id,
                    new RunLog(id, run.attempt, run.workspace, null, null, Long.MAX_VALUE, "ERROR", why, false, Instant.now())));
            if (run.state != RunState.CANCELLING && retry != null && run.attempt < retry.attempts()) {
                long backoff = (long) retry.backoffSeconds() << Math.min(run.attempt - 1, 20);
                return log.chain(() -> launches.retry(run, plan, Duration.ofSeconds(backoff)));
            }
            boolean cancelled = run.state == RunState.CANCELLING;
            run.state = cancelled ? RunState.STOPPED : RunState.FAILED;
            run.errorCode = cancelled ? "CANCELLED" : "WORKER_LOST";
            run.finishedAt = Instant.now();
            RunFinished end = new RunFinished(id, run.attempt, run.workspace, run.jobId.toString(),
                    cancelled ? RunStatus.STOPPED : RunStatus.FAILED, why, run.finishedAt, run.errorCode, null);
            return log.chain(() -> outbox.append(Topics.RUN_EVENTS, CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_FINISHED,
                    id, end))).invoke(() -> metrics.ended(plan == null ? null : plan.job().type, end.status(), run.startedAt,
                    run.finishedAt));
        });
    }

    /** Runs past their run timeout and the grace, which their worker did not stop: failed RUN_TIMEOUT here. */
    private Uni<Integer> failOverdue() {
        return pool.preparedQuery(OVERDUE).execute(Tuple.of((int) runTimeoutGrace.toSeconds()))
                .chain(rows -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (Row row : rows) {
                        UUID id = row.getUUID("id");
                        String jobType = row.getString("job_type");
                        RunTimeout timeout = new RunTimeout(row.getInteger("seconds"));
                        chain = chain.chain(n -> RunEntity.<RunEntity>findById(id, LockModeType.PESSIMISTIC_WRITE)
                                .chain(run -> run == null || (run.state != RunState.DISPATCHED && run.state != RunState.RUNNING)
                                        ? Uni.createFrom().item(n)
                                        : timedOut(run, jobType, timeout).replaceWith(n + 1)));
                    }
                    return chain;
                });
    }

    /** Fails the run RUN_TIMEOUT and tells its worker to stop it (the worker's own end comes too late to count). */
    private Uni<Void> timedOut(RunEntity run, String jobType, RunTimeout timeout) {
        Instant now = Instant.now();
        String id = run.id.toString();
        String why = timeout.message(run.startedAt, now) + "; its worker " + run.workerId + " did not stop it in time";
        LOG.warnf("run %s attempt %d: %s", id, run.attempt, why);
        run.state = RunState.FAILED;
        run.errorCode = RunTimeout.CODE;
        run.finishedAt = now;
        CloudEvent cancel = CloudEvent.of(Outbox.SOURCE, EventTypes.CANCEL, id,
                new CancelCommand(id, run.workspace, now, run.attempt, "job-api", null));
        RunFinished end = new RunFinished(id, run.attempt, run.workspace, run.jobId.toString(), RunStatus.FAILED, why, now,
                RunTimeout.CODE, null);
        return outbox.append(Topics.RUN_EVENTS, CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_LOG, id,
                new RunLog(id, run.attempt, run.workspace, null, null, Long.MAX_VALUE, "ERROR", why, false, now)))
                .call(() -> outbox.append(Topics.COMMANDS, cancel))
                .call(() -> outbox.append(Topics.CONTROL, cancel))
                .call(() -> outbox.append(Topics.RUN_EVENTS, CloudEvent.of(Outbox.SOURCE, EventTypes.RUN_FINISHED, id, end)))
                .invoke(() -> metrics.ended(jobType, RunStatus.FAILED, run.startedAt, now));
    }

    private static Instant instant(Row row, String column) {
        java.time.OffsetDateTime at = row.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
    }

    private record Attempt(UUID runId, int attempt) {
    }

    /** What supervision reads from one run event. */
    private sealed interface Observed permits Heard, Ended {
    }

    /** A worker heard from on an attempt: a heartbeat, or a start. */
    private record Heard(Attempt attempt, Seen seen) implements Observed {
    }

    /** An attempt's end. */
    private record Ended(RunFinished finished) implements Observed {
    }

    private record Seen(String workerId, boolean started, Instant startedAt) {
        Seen merge(Seen later) {
            return new Seen(workerId, started || later.started, startedAt != null ? startedAt : later.startedAt);
        }
    }
}
