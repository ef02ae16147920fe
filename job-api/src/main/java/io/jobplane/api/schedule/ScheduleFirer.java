package io.jobplane.api.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.config.SchedulesConfig;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.settings.CronExpressions;
import io.jobplane.api.job.settings.Schedule.MisfirePolicy;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.run.LaunchRequest;
import io.jobplane.api.run.RunOrigin;
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
 * Fires cron schedules; every replica runs one. Each poll claims the due schedules one at a time
 * ({@code FOR UPDATE SKIP LOCKED}, so replicas share them and never fire one together), launches the
 * runs of its due ticks with the idempotency key {@code schedule:<job_id>:<tick epoch second>} and
 * moves {@code next_fire_at} on before the claim commits. Should a replica die between the launch
 * and that commit, the next claim launches the same key again and gets the same run: each tick makes
 * one run. A job that refuses a launch (no active task, not runnable) is audited and its schedule
 * moves on; an unexpected failure leaves the tick due for the next poll without holding up the
 * other schedules. A schedule of a frozen workspace is not claimed while the freeze lasts: its ticks
 * stay due, and when the freeze ends its misfire policy decides what becomes of them.
 */
@ApplicationScoped
public class ScheduleFirer {

    /** Who launches scheduled runs, as runs and the audit trail show it. */
    public static final String SUBJECT = "scheduler";

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);
    /** Schedules fired by one poll at most; the rest wait for the next. */
    private static final int PER_POLL = 200;
    private static final String CLAIM = """
            select job_id, workspace, cron, timezone, misfire_policy, next_fire_at from api.job_schedule s
             where next_fire_at <= $1 and (next_fire_at, job_id) > ($2, $3)
               and not exists (select 1 from api.workspace_freeze f
                                where f.workspace = s.workspace and f.starts_at <= $1 and f.ends_at > $1)
             order by next_fire_at, job_id limit 1 for update skip locked""";
    private static final String ADVANCE = """
            update api.job_schedule set next_fire_at = $2, last_fired_at = coalesce($3, last_fired_at) where job_id = $1""";
    private static final String DROP = "delete from api.job_schedule where job_id = $1";

    private final Pool pool;
    private final LaunchPipeline runs;
    private final Audit audit;
    private final Outbox outbox;
    private final Duration misfireThreshold;

    public ScheduleFirer(Pool pool, LaunchPipeline runs, Audit audit, Outbox outbox, SchedulesConfig config) {
        this.pool = pool;
        this.runs = runs;
        this.audit = audit;
        this.outbox = outbox;
        this.misfireThreshold = config.misfireThreshold();
    }

    @Scheduled(every = "${jobplane.schedules.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return fireDue(Instant.now(), new Claimed(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), new UUID(0, 0)), 0)
                .onFailure().invoke(e -> LOG.warnf("schedule poll failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Claims and fires due schedules after {@code last} in (next_fire_at, job_id) order, one transaction each. */
    private Uni<Void> fireDue(Instant now, Claimed last, int fired) {
        if (fired >= PER_POLL) {
            return Uni.createFrom().voidItem();
        }
        Claimed[] claimed = new Claimed[1];
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM)
                        .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), last.dueAt(), last.jobId()))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().item(false);
                            }
                            Row row = rows.iterator().next();
                            claimed[0] = new Claimed(row.getOffsetDateTime("next_fire_at"), row.getUUID("job_id"));
                            return fire(conn, row, now).replaceWith(true);
                        }))
                .onFailure(e -> claimed[0] != null).recoverWithItem(e -> {
                    LOG.warnf("schedule of job %s: %s; its tick stays due", claimed[0].jobId(), e.getMessage());
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
        UUID jobId = row.getUUID("job_id");
        String workspace = row.getString("workspace");
        Firing firing = Firing.of(CronExpressions.ticks(row.getString("cron"), row.getString("timezone")),
                row.getOffsetDateTime("next_fire_at").toInstant(), now, misfireThreshold,
                MisfirePolicy.valueOf(row.getString("misfire_policy")));
        Caller caller = new Caller(SUBJECT, workspace, Role.OPERATOR);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Instant tick : firing.ticks()) {
            chain = chain.call(() -> launch(caller, jobId, tick));
        }
        return chain.call(() -> firing.next() == null
                ? conn.preparedQuery(DROP).execute(Tuple.of(jobId))
                : conn.preparedQuery(ADVANCE).execute(Tuple.of(jobId, firing.next().atOffset(ZoneOffset.UTC),
                        firing.ticks().isEmpty() ? null : firing.ticks().get(firing.ticks().size() - 1).atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    private Uni<Void> launch(Caller caller, UUID jobId, Instant tick) {
        return runs.launch(caller, jobId, "schedule:" + jobId + ":" + tick.getEpochSecond(), new LaunchRequest(null, null, tick),
                        RunOrigin.SCHEDULE)
                .replaceWithVoid()
                .onFailure(ApiException.class).recoverWithUni(e -> refused(caller, jobId, tick, (ApiException) e));
    }

    /** The job would not launch at this tick: recorded where its owners look, and the schedule goes on. */
    private Uni<Void> refused(Caller caller, UUID jobId, Instant tick, ApiException e) {
        LOG.warnf("scheduled run of job %s at %s refused: %s %s", jobId, tick, e.code(), e.getMessage());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("execution_date", tick.toString());
        details.put("error_code", e.code());
        details.put("error_msg", e.getMessage());
        details.put("solution_msg", e.solution());
        return Panache.withTransaction(() -> audit.record(caller, "schedule.launch_refused", "job", jobId, details));
    }

    /** The position of the last schedule a poll claimed. */
    private record Claimed(OffsetDateTime dueAt, UUID jobId) {
    }
}
