package io.jobplane.api.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.config.SchedulesConfig;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.settings.CronExpressions;
import io.jobplane.api.job.settings.Schedule.MisfirePolicy;
import io.jobplane.api.job.settings.Schedule.OverlapPolicy;
import io.jobplane.api.job.settings.ScheduleEntry;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.run.LaunchRequest;
import io.jobplane.api.run.RunOrigin;
import io.jobplane.api.run.RunService;
import io.jobplane.api.run.RunState;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Fires cron schedules; every replica runs one. Each poll claims the due schedules (a job has one per
 * name) one at a time ({@code FOR UPDATE SKIP LOCKED}, so replicas share them and never fire one
 * together), launches the runs of its due ticks with the idempotency key
 * {@code schedule:<job_id>:<tick epoch second>} (the default schedule) or
 * {@code schedule:<job_id>:<name>:<tick epoch second>} (a named one) and moves {@code next_fire_at} on
 * before the claim commits. Should a replica die between the launch and that commit, the next claim
 * launches the same key again and gets the same run: each tick of each schedule makes one run.
 * <p>
 * A schedule whose overlap policy is not ALLOW decides each tick on the job's unfinished runs
 * ({@link Overlap}). The claim first takes a transaction-scoped advisory lock on the job, so two
 * schedules of one job claimed by two replicas decide one after the other, each seeing the run the
 * other launched (a launch commits before the claim that made it). CANCEL_OTHER stops the other runs
 * through {@link RunService#cancelOthers} (the cancel path of the API, under the admission lock) before
 * it launches; its run then waits for admission like any other.
 * <p>
 * A job that refuses a launch (no active task, not runnable) is audited and its schedule moves on;
 * an unexpected failure leaves the tick due for the next poll without holding up the other schedules.
 * A schedule of a frozen workspace is not claimed while the freeze lasts: its ticks stay due, and
 * when the freeze ends its misfire policy decides what becomes of them.
 */
@ApplicationScoped
public class ScheduleFirer {

    /** Who launches scheduled runs, as runs and the audit trail show it. */
    public static final String SUBJECT = "scheduler";

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);
    /** Schedules fired by one poll at most; the rest wait for the next. */
    private static final int PER_POLL = 200;
    private static final String CLAIM = """
            select job_id, name, workspace, cron, timezone, misfire_policy, overlap_policy, next_fire_at from api.job_schedule s
             where next_fire_at <= $1 and (next_fire_at, job_id, name) > ($2, $3, $4)
               and not exists (select 1 from api.workspace_freeze f
                                where f.workspace = s.workspace and f.starts_at <= $1 and f.ends_at > $1)
             order by next_fire_at, job_id, name limit 1 for update skip locked""";
    private static final String ADVANCE = """
            update api.job_schedule set next_fire_at = $3, last_fired_at = coalesce($4, last_fired_at)
             where job_id = $1 and name = $2""";
    private static final String DROP = "delete from api.job_schedule where job_id = $1 and name = $2";
    /** Arbitrary, fixed: the class of the per-job advisory locks overlap decisions take (two-key locks, apart from the one-key ones). */
    private static final int JOB_LOCK_CLASS = 0x5C4ED;
    private static final String LOCK_JOB = "select pg_advisory_xact_lock($1, hashtext($2))";
    /**
     * The job's other unfinished runs (the runs holding a slot, then the waiting ones: each part on its
     * partial index), and the tick's own run whatever its state ({@code mine}).
     */
    private static final String UNFINISHED = """
            select id, state, false as mine from api.run
             where workspace = $1 and job_id = $2 and state in %s and idempotency_key is distinct from $3
            union all
            select id, state, false from api.run
             where workspace = $1 and job_id = $2 and state = 'QUEUED' and idempotency_key is distinct from $3
            union all
            select id, state, true from api.run where workspace = $1 and job_id = $2 and idempotency_key = $3"""
            .formatted(RunState.ACTIVE_SQL);

    private final Pool pool;
    private final LaunchPipeline runs;
    private final RunService cancels;
    private final Audit audit;
    private final Outbox outbox;
    private final Duration misfireThreshold;

    public ScheduleFirer(Pool pool, LaunchPipeline runs, RunService cancels, Audit audit, Outbox outbox, SchedulesConfig config) {
        this.pool = pool;
        this.runs = runs;
        this.cancels = cancels;
        this.audit = audit;
        this.outbox = outbox;
        this.misfireThreshold = config.misfireThreshold();
    }

    @Scheduled(every = "${jobplane.schedules.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return fireDue(Instant.now(), new Claimed(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), new UUID(0, 0), ""), 0)
                .onFailure().invoke(e -> LOG.warnf("schedule poll failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Claims and fires due schedules after {@code last} in (next_fire_at, job_id, name) order, one transaction each. */
    private Uni<Void> fireDue(Instant now, Claimed last, int fired) {
        if (fired >= PER_POLL) {
            return Uni.createFrom().voidItem();
        }
        Claimed[] claimed = new Claimed[1];
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM)
                        .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), last.dueAt(), last.jobId(), last.name()))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().item(false);
                            }
                            Row row = rows.iterator().next();
                            claimed[0] = new Claimed(row.getOffsetDateTime("next_fire_at"), row.getUUID("job_id"),
                                    row.getString("name"));
                            return fire(conn, row, now).replaceWith(true);
                        }))
                .onFailure(e -> claimed[0] != null).recoverWithItem(e -> {
                    LOG.warnf("schedule %s of job %s: %s; its tick stays due", claimed[0].name(), claimed[0].jobId(),
                            e.getMessage());
                    return true;
                })
                .invoke(any -> {
                    if (any) {
                        outbox.committed();
                    }
                })
                .chain(any -> any ? fireDue(now, claimed[0], fired + 1) : Uni.createFrom().voidItem());
    }

    private Uni<Void> fire(SqlConnection conn, Row row, Instant now) {
        Fired s = new Fired(row.getUUID("job_id"), row.getString("name"), row.getString("workspace"),
                OverlapPolicy.valueOf(row.getString("overlap_policy")));
        Firing firing = Firing.of(CronExpressions.ticks(row.getString("cron"), row.getString("timezone")),
                row.getOffsetDateTime("next_fire_at").toInstant(), now, misfireThreshold,
                MisfirePolicy.valueOf(row.getString("misfire_policy")));
        Caller caller = new Caller(SUBJECT, s.workspace(), Role.OPERATOR);
        Uni<Void> chain = firing.ticks().isEmpty() || s.overlap() == OverlapPolicy.ALLOW ? Uni.createFrom().voidItem()
                : conn.preparedQuery(LOCK_JOB).execute(Tuple.of(JOB_LOCK_CLASS, s.jobId().toString())).replaceWithVoid();
        for (Instant tick : firing.ticks()) {
            chain = chain.call(() -> s.overlap() == OverlapPolicy.ALLOW ? launch(caller, s, tick) : decide(conn, caller, s, tick));
        }
        return chain.call(() -> firing.next() == null
                ? conn.preparedQuery(DROP).execute(Tuple.of(s.jobId(), s.name()))
                : conn.preparedQuery(ADVANCE).execute(Tuple.of(s.jobId(), s.name(), firing.next().atOffset(ZoneOffset.UTC),
                        firing.ticks().isEmpty() ? null : firing.ticks().get(firing.ticks().size() - 1).atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    /** The tick's run key: the default schedule keeps the key every schedule had before jobs had several. */
    static String key(UUID jobId, String name, Instant tick) {
        return "schedule:" + jobId + ":" + (ScheduleEntry.DEFAULT_NAME.equals(name) ? "" : name + ":") + tick.getEpochSecond();
    }

    /** Applies the schedule's overlap policy to the tick, under the claim's lock on the job. */
    private Uni<Void> decide(SqlConnection conn, Caller caller, Fired s, Instant tick) {
        String key = key(s.jobId(), s.name(), tick);
        return conn.preparedQuery(UNFINISHED).execute(Tuple.of(s.workspace(), s.jobId(), key))
                .chain(rows -> {
                    boolean mine = false;
                    List<RunState> others = new ArrayList<>();
                    List<String> otherIds = new ArrayList<>();
                    for (Row r : rows) {
                        if (Boolean.TRUE.equals(r.getBoolean("mine"))) {
                            mine = true;
                        } else {
                            others.add(RunState.valueOf(r.getString("state")));
                            otherIds.add(r.getUUID("id").toString());
                        }
                    }
                    return switch (Overlap.decide(s.overlap(), mine, others)) {
                        case LAUNCH -> launch(caller, s, tick);
                        case SKIP -> skipped(caller, s, tick, otherIds);
                        case CANCEL_AND_LAUNCH -> cancels.cancelOthers(new Caller(SUBJECT + ":" + s.name(), s.workspace(),
                                        Role.OPERATOR), s.jobId(), key)
                                .call(stopped -> stopped.isEmpty() ? Uni.createFrom().voidItem()
                                        : audited(caller, "schedule.runs_cancelled", s, tick,
                                                Map.of("runs", stopped.stream().map(UUID::toString).toList())))
                                .chain(() -> launch(caller, s, tick));
                    };
                });
    }

    /** SKIP, or BUFFER_ONE with a run already waiting: the tick launches nothing, and says why. */
    private Uni<Void> skipped(Caller caller, Fired s, Instant tick, List<String> unfinished) {
        LOG.infof("schedule %s of job %s: tick %s skipped (overlap_policy %s, unfinished runs %s)", s.name(), s.jobId(), tick,
                s.overlap(), unfinished);
        return audited(caller, "schedule.tick_skipped", s, tick, Map.of("unfinished_runs", unfinished));
    }

    private Uni<Void> audited(Caller caller, String action, Fired s, Instant tick, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("schedule", s.name());
        details.put("execution_date", tick.toString());
        details.put("overlap_policy", s.overlap().name());
        details.putAll(more);
        return Panache.withTransaction(() -> audit.record(caller, action, "job", s.jobId(), details));
    }

    private Uni<Void> launch(Caller caller, Fired s, Instant tick) {
        return runs.launch(caller, s.jobId(), key(s.jobId(), s.name(), tick), new LaunchRequest(null, null, tick), RunOrigin.SCHEDULE)
                .replaceWithVoid()
                .onFailure(ApiException.class).recoverWithUni(e -> refused(caller, s, tick, (ApiException) e));
    }

    /** The job would not launch at this tick: recorded where its owners look, and the schedule goes on. */
    private Uni<Void> refused(Caller caller, Fired s, Instant tick, ApiException e) {
        LOG.warnf("scheduled run of job %s (schedule %s) at %s refused: %s %s", s.jobId(), s.name(), tick, e.code(), e.getMessage());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("schedule", s.name());
        details.put("execution_date", tick.toString());
        details.put("error_code", e.code());
        details.put("error_msg", e.getMessage());
        details.put("solution_msg", e.solution());
        return Panache.withTransaction(() -> audit.record(caller, "schedule.launch_refused", "job", s.jobId(), details));
    }

    /** The position of the last schedule a poll claimed. */
    private record Claimed(OffsetDateTime dueAt, UUID jobId, String name) {
    }

    /** The claimed schedule. */
    private record Fired(UUID jobId, String name, String workspace, OverlapPolicy overlap) {
    }
}
