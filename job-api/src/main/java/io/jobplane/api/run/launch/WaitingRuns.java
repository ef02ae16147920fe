package io.jobplane.api.run.launch;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.freeze.FreezeWindow;
import io.jobplane.api.freeze.Freezes;
import io.jobplane.api.run.RunState;
import io.jobplane.api.run.launch.AdmissionLimits.Decision;
import io.jobplane.api.run.launch.AdmissionLimits.InUse;
import io.jobplane.api.run.launch.AdmissionLimits.JobLimits;
import io.jobplane.api.run.launch.AdmissionLimits.Queued;
import io.jobplane.api.run.launch.StartEstimate.Ahead;
import io.jobplane.api.run.launch.StartEstimate.Holder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Why a queued run waits, where it stands in its workspace's queue and when it may start, worked out
 * on read: the runs ahead of it (at most {@value #AHEAD}, by the queue's index), the workspace's active
 * runs, its pools and limit, its freeze and the recent durations of the jobs involved; five small
 * queries, then {@link AdmissionLimits#decide} (admission's own rule) and {@link StartEstimate}.
 */
@ApplicationScoped
public class WaitingRuns {

    /** The most runs ahead read to decide on and estimate; the position counts them all. */
    static final int AHEAD = 500;

    private static final String SELF_SQL = """
            select priority, not_before from api.run where id = $1 and workspace = $2 and state = 'QUEUED'""";
    /** The runs ahead of the run in admission order (at most $4), then the run, with their jobs' limits (no job: gone). */
    private static final String AHEAD_SQL = """
            select r.id, r.job_id, r.priority, r.not_before, j.id is not null as job_exists,
                   cast(cast(j.settings as jsonb) #>> '{execution,max_active_runs}' as int) as job_cap,
                   cast(j.settings as jsonb) #>> '{execution,pool}' as pool,
                   cast(cast(j.settings as jsonb) #>> '{execution,pool_slots}' as int) as pool_slots
              from ((select id, job_id, priority, not_before from api.run
                      where workspace = $1 and state = 'QUEUED' and priority >= $2 and (priority > $2 or id < $3)
                      order by priority desc, id limit $4)
                    union all
                    select id, job_id, priority, not_before from api.run where id = $3) r
              left join api.job j on j.id = r.job_id
             order by r.priority desc, r.id""";
    private static final String POSITION_SQL = """
            select count(*) as ahead from api.run
             where workspace = $1 and state = 'QUEUED' and priority >= $2 and (priority > $2 or id < $3)""";
    private static final String ACTIVE_SQL = """
            select job_id, pool, pool_slots, coalesce(started_at, dispatched_at) as since from api.run
             where workspace = $1 and state in """ + RunState.ACTIVE_SQL;
    /** The workspace's pools (name, slots) and its own cap (a row without a name). */
    private static final String LIMITS_SQL = """
            select name, slots from api.pool where workspace = $1
            union all
            select null, max_active_runs from api.workspace where id = $1""";
    /** Each job's median duration (seconds) over its last ended runs that ran, newest launches first. */
    private static final String MEDIANS_SQL = """
            select j.id, (select percentile_cont(0.5) within group (order by extract(epoch from x.finished_at - x.started_at)::float8)
                            from (select r.started_at, r.finished_at from api.run r
                                   where r.workspace = $1 and r.job_id = j.id
                                     and r.started_at is not null and r.finished_at is not null
                                   order by r.requested_at desc limit $3) x) as median
              from unnest($2::uuid[]) as j(id)""";

    private final Pool pool;
    private final Freezes freezes;
    private final AdmissionQueue queue;

    public WaitingRuns(Pool pool, Freezes freezes, AdmissionQueue queue) {
        this.pool = pool;
        this.freezes = freezes;
        this.queue = queue;
    }

    /**
     * Why a queued run waits: an empty list when nothing holds it (the next admission takes it), else the reasons
     * ({@link AdmissionLimits} names them); its 1-based place among the workspace's queued runs in admission
     * order; when it may start (null: unknown).
     */
    public record Waiting(List<String> blockedBy, long queuePosition, Instant estimatedStartAt) {
    }

    /** The queued run's wait; null when the run does not wait QUEUED (it is dispatched, running or ended). */
    public Uni<Waiting> of(String workspace, UUID runId) {
        return pool.preparedQuery(SELF_SQL).execute(Tuple.of(runId, workspace)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
            }
            Row self = rows.iterator().next();
            int priority = self.getInteger("priority");
            return of(workspace, runId, priority, instant(self.getOffsetDateTime("not_before")));
        });
    }

    private Uni<Waiting> of(String workspace, UUID runId, int priority, Instant notBefore) {
        Instant now = Instant.now();
        Uni<List<Row>> ahead = pool.preparedQuery(AHEAD_SQL).execute(Tuple.of(workspace, priority, runId, AHEAD))
                .map(WaitingRuns::list);
        Uni<List<Row>> active = pool.preparedQuery(ACTIVE_SQL).execute(Tuple.of(workspace)).map(WaitingRuns::list);
        Uni<List<Row>> limits = pool.preparedQuery(LIMITS_SQL).execute(Tuple.of(workspace)).map(WaitingRuns::list);
        Uni<Optional<FreezeWindow>> freeze = freezes.of(workspace).map(Optional::ofNullable);
        return Uni.combine().all().unis(ahead, active, limits, freeze).asTuple().chain(t -> {
            List<Row> queued = t.getItem1();
            Uni<Long> position = queued.size() <= AHEAD ? Uni.createFrom().item((long) queued.size())
                    : pool.preparedQuery(POSITION_SQL).execute(Tuple.of(workspace, priority, runId))
                            .map(rows -> rows.iterator().next().getLong("ahead") + 1);
            Set<UUID> jobs = new LinkedHashSet<>();
            queued.forEach(r -> jobs.add(r.getUUID("job_id")));
            t.getItem2().forEach(r -> jobs.add(r.getUUID("job_id")));
            Uni<Map<UUID, Duration>> medians = pool.preparedQuery(MEDIANS_SQL)
                    .execute(Tuple.of(workspace, jobs.toArray(UUID[]::new), StartEstimate.SAMPLE)).map(rows -> {
                        Map<UUID, Duration> typical = new HashMap<>();
                        rows.forEach(r -> {
                            Double seconds = r.getDouble("median");
                            if (seconds != null) {
                                typical.put(r.getUUID("id"), Duration.ofMillis(Math.round(seconds * 1000)));
                            }
                        });
                        return typical;
                    });
            return position.chain(pos -> medians.map(typical -> decide(new Read(runId, notBefore, queued, t.getItem2(),
                    t.getItem3(), t.getItem4().orElse(null), typical), pos, now)));
        });
    }

    /** What was read for one queued run. */
    private record Read(UUID runId, Instant notBefore, List<Row> queued, List<Row> active, List<Row> limits,
            FreezeWindow freeze, Map<UUID, Duration> typical) {
    }

    private Waiting decide(Read read, long position, Instant now) {
        Map<String, Integer> pools = new HashMap<>();
        Integer workspaceCap = null;
        for (Row r : read.limits()) {
            if (r.getString("name") == null) {
                workspaceCap = r.getInteger("slots");
            } else {
                pools.put(r.getString("name"), r.getInteger("slots"));
            }
        }
        Optional<Integer> workspaceLimit = queue.workspaceLimit(workspaceCap);
        Map<UUID, Long> byJob = new HashMap<>();
        Map<String, Integer> byPool = new HashMap<>();
        for (Row r : read.active()) {
            byJob.merge(r.getUUID("job_id"), 1L, Long::sum);
            if (r.getString("pool") != null) {
                byPool.merge(r.getString("pool"), r.getInteger("pool_slots"), Integer::sum);
            }
        }
        // The runs ahead that are due, and this one (due or not), as admission would weigh them.
        Map<UUID, JobLimits> limits = new HashMap<>();
        List<Queued> candidates = new ArrayList<>();
        Queued self = null;
        for (Row r : read.queued()) {
            UUID id = r.getUUID("id");
            UUID job = r.getUUID("job_id");
            if (r.getBoolean("job_exists")) {
                String poolName = r.getString("pool");
                Integer slots = r.getInteger("pool_slots");
                limits.put(job, new JobLimits(r.getInteger("job_cap"), poolName, poolName == null ? 0 : slots == null ? 1 : slots));
            }
            Queued q = new Queued(id, job, r.getInteger("priority"));
            Instant due = instant(r.getOffsetDateTime("not_before"));
            if (id.equals(read.runId())) {
                self = q;
                candidates.add(q);
            } else if (due == null || !due.isAfter(now)) {
                candidates.add(q);
            }
        }
        List<Decision> decisions = AdmissionLimits.decide(candidates, limits, new InUse(byJob, byPool), pools, workspaceLimit);
        List<Decision> before = new ArrayList<>();
        Decision own = null;
        for (Decision d : decisions) {
            if (d.run().equals(self)) {
                own = d;
                break;
            }
            before.add(d);
        }
        if (own == null) {
            return null;
        }
        List<String> blockedBy = new ArrayList<>();
        List<Instant> estimates = new ArrayList<>();
        FreezeWindow freeze = read.freeze();
        if (freeze != null && freeze.holds(now)) {
            blockedBy.add(AdmissionLimits.FROZEN);
            estimates.add(freeze.until());
        }
        if (read.notBefore() != null && read.notBefore().isAfter(now)) {
            blockedBy.add(AdmissionLimits.RETRY_BACKOFF);
            estimates.add(read.notBefore());
        }
        Limits context = new Limits(limits, pools, workspaceLimit, read, now);
        for (String why : own.blockedBy()) {
            blockedBy.add(why);
            estimates.add(context.freeAt(why, self, before));
        }
        if (estimates.isEmpty()) {
            estimates.add(now);
        }
        // With more runs ahead than were read, those not read would move the estimate: there is none.
        boolean allRead = read.queued().size() <= AHEAD;
        return new Waiting(List.copyOf(blockedBy), position, allRead ? StartEstimate.latest(estimates) : null);
    }

    /** The workspace's limits as read, to estimate when one has room. */
    private record Limits(Map<UUID, JobLimits> jobs, Map<String, Integer> pools, Optional<Integer> workspaceLimit, Read read,
            Instant now) {

        /** When the limit {@code why} names has room for the run, after the runs ahead of it for the same limit. */
        Instant freeAt(String why, Queued self, List<Decision> before) {
            JobLimits mine = jobs.get(self.jobId());
            List<Holder> holders = new ArrayList<>();
            List<Ahead> ahead = new ArrayList<>();
            int capacity;
            int own = 1;
            if (AdmissionLimits.JOB_CAP.equals(why)) {
                capacity = mine.jobCap();
                read.active().stream().filter(r -> r.getUUID("job_id").equals(self.jobId())).forEach(r -> holders.add(holder(1, r)));
                before.stream().filter(d -> d.run().jobId().equals(self.jobId())).forEach(d -> ahead.add(ahead(1, d)));
            } else if (AdmissionLimits.WORKSPACE_CAP.equals(why)) {
                capacity = workspaceLimit.orElseThrow();
                read.active().forEach(r -> holders.add(holder(1, r)));
                before.stream().filter(d -> jobs.containsKey(d.run().jobId())).forEach(d -> ahead.add(ahead(1, d)));
            } else if (why.startsWith(AdmissionLimits.POOL) && pools.containsKey(mine.pool())) {
                String name = mine.pool();
                capacity = pools.get(name);
                own = mine.poolSlots();
                read.active().stream().filter(r -> name.equals(r.getString("pool")))
                        .forEach(r -> holders.add(holder(r.getInteger("pool_slots"), r)));
                for (Decision d : before) {
                    JobLimits job = jobs.get(d.run().jobId());
                    if (job != null && name.equals(job.pool())) {
                        ahead.add(ahead(job.poolSlots(), d));
                    }
                }
            } else {
                return null;
            }
            return StartEstimate.freeAt(now, capacity, holders, ahead, own);
        }

        private Holder holder(int units, Row active) {
            return new Holder(units, StartEstimate.expectedEnd(now, instant(active.getOffsetDateTime("since")),
                    read.typical().get(active.getUUID("job_id"))));
        }

        private Ahead ahead(int units, Decision waiting) {
            return new Ahead(units, read.typical().get(waiting.run().jobId()));
        }
    }

    private static List<Row> list(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        rows.forEach(out::add);
        return out;
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
