package io.jobplane.harvester.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jobplane.harvester.config.RetentionConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Purges the run read model by each workspace's retention policy ({@code runs.retention_policy},
 * as job-api announced it; docs/operating-runs.md, "Retention"). A workspace without a policy is
 * never purged. Cutoffs are this service's clock minus the policy's days, taken at each sweep.
 * <ul>
 * <li><b>Runs</b> that ended ({@code SUCCESS}, {@code FAILED}, {@code STOPPED}, with an end time)
 * more than {@code runs_days} ago go with their task runs and any log lines left, whether or not
 * their job still exists (the read model keeps runs of deleted jobs). A run that has not ended,
 * or a new attempt of which is under way, is never purged.</li>
 * <li><b>Log lines</b> of runs that ended more than {@code logs_days} ago go, run by run in end order
 * from where the last batch stopped ({@code logs_purged_at}, {@code logs_purged_run}), so no run is
 * read twice; the run and its task runs stay until their own cutoff.</li>
 * </ul>
 * Each batch is one statement in its own transaction: runs are taken {@code for update skip locked}
 * and the logs purge locks its workspace's policy row {@code skip locked}, so replicas never wait on
 * each other or on the event consumer. A sweep runs at most {@code max-batches-per-sweep} batches
 * that found something (a workspace with nothing to purge costs two index probes), beginning with
 * another workspace each time.
 */
@ApplicationScoped
public class ReadModelRetention {

    private static final Logger LOG = Logger.getLogger(ReadModelRetention.class);

    private static final String POLICIES = "select workspace, logs_days, runs_days from runs.retention_policy order by workspace";

    /**
     * A batch of a workspace's oldest ended runs before the cutoff, with their task runs and log lines.
     * The ids go on as one array: each delete is an index lookup per run, never a join over a whole table.
     */
    static final String PURGE_RUNS = """
            with batch as (
                select run_id from runs.run
                 where workspace = $1 and finished_at is not null and finished_at < $2
                   and status in ('SUCCESS', 'FAILED', 'STOPPED')
                 order by finished_at, run_id
                 limit $3
                   for update skip locked),
            logs as (delete from runs.run_log where run_id = any(array(select run_id from batch)) returning 1),
            tasks as (delete from runs.task_run where run_id = any(array(select run_id from batch)) returning 1),
            gone as (delete from runs.run where run_id = any(array(select run_id from batch)) returning 1)
            select (select count(*) from gone) as runs, (select count(*) from tasks) as tasks,
                   (select count(*) from logs) as logs""";

    /** The log lines of the next runs (in end order) that ended before the cutoff; the policy row keeps the place. */
    static final String PURGE_LOGS = """
            with policy as (
                select logs_purged_at, logs_purged_run from runs.retention_policy where workspace = $1
                   for update skip locked),
            batch as (
                select r.run_id, r.finished_at from runs.run r
                 where r.workspace = $1 and r.finished_at is not null and r.finished_at < $2
                   and (r.finished_at, r.run_id) > ((select logs_purged_at from policy), (select logs_purged_run from policy))
                 order by r.finished_at, r.run_id
                 limit $3),
            logs as (delete from runs.run_log where run_id = any(array(select run_id from batch)) returning 1),
            last as (select finished_at, run_id from batch order by finished_at desc, run_id desc limit 1),
            moved as (update runs.retention_policy p set logs_purged_at = last.finished_at, logs_purged_run = last.run_id
                        from last where p.workspace = $1 returning 1)
            select (select count(*) from policy) as locked, (select count(*) from batch) as runs,
                   (select count(*) from logs) as logs""";

    private final Pool pool;
    private final RetentionConfig config;
    private final MeterRegistry registry;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicInteger start = new AtomicInteger();
    private Vertx vertx;
    private long timer = -1;

    public ReadModelRetention(Pool pool, RetentionConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.registry = registry;
        for (String table : List.of("runs.run", "runs.task_run", "runs.run_log")) {
            counter(table);
        }
    }

    void start(@Observes StartupEvent startup, Vertx vertx) {
        if (!config.enabled()) {
            return;
        }
        this.vertx = vertx;
        timer = vertx.setPeriodic(config.sweepInterval().toMillis(), tick -> {
            if (sweeping.compareAndSet(false, true)) {
                sweep().onFailure().invoke(e -> LOG.warnf("read model retention sweep failed: %s", e.getMessage()))
                        .onFailure().recoverWithNull()
                        .subscribe().with(n -> sweeping.set(false), e -> sweeping.set(false));
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (vertx != null && timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** A workspace's policy as a sweep reads it. */
    record Policy(String workspace, int logsDays, int runsDays) {

        OffsetDateTime runsCutoff(Instant now) {
            return cutoff(now, runsDays);
        }

        OffsetDateTime logsCutoff(Instant now) {
            return cutoff(now, logsDays);
        }

        static OffsetDateTime cutoff(Instant now, int days) {
            return now.minus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC);
        }
    }

    /** One sweep over every workspace with a policy, up to the cap of batches; the rows purged. */
    Uni<Long> sweep() {
        return pool.query(POLICIES).execute().chain(rows -> {
            List<Policy> policies = new ArrayList<>();
            for (Row r : rows) {
                policies.add(new Policy(r.getString("workspace"), r.getInteger("logs_days"), r.getInteger("runs_days")));
            }
            if (policies.isEmpty()) {
                return Uni.createFrom().item(0L);
            }
            int first = Math.floorMod(start.getAndIncrement(), policies.size());
            List<Policy> order = new ArrayList<>(policies.subList(first, policies.size()));
            order.addAll(policies.subList(0, first));
            Instant now = Instant.now();
            int[] budget = { config.maxBatchesPerSweep() };
            // One workspace after the other (a stream, not a chain as deep as the list of workspaces).
            return Multi.createFrom().iterable(order)
                    .onItem().transformToUniAndConcatenate(p -> budget[0] > 0
                            ? runs(p.workspace(), p.runsCutoff(now), budget)
                                    .chain(n -> logs(p.workspace(), p.logsCutoff(now), budget).map(m -> n + m))
                            : Uni.createFrom().item(0L))
                    .collect().with(Collectors.summingLong(Long::longValue));
        });
    }

    private Uni<Long> runs(String workspace, OffsetDateTime cutoff, int[] budget) {
        if (budget[0] <= 0) {
            return Uni.createFrom().item(0L);
        }
        int batch = config.batchSize();
        return pool.preparedQuery(PURGE_RUNS).execute(Tuple.of(workspace, cutoff, batch)).chain(rows -> {
            Row r = rows.iterator().next();
            long runs = counted("runs.run", r.getLong("runs"));
            spend(budget, runs);
            long all = runs + counted("runs.task_run", r.getLong("tasks")) + counted("runs.run_log", r.getLong("logs"));
            return runs >= batch ? runs(workspace, cutoff, budget).map(n -> all + n) : Uni.createFrom().item(all);
        });
    }

    private Uni<Long> logs(String workspace, OffsetDateTime cutoff, int[] budget) {
        if (budget[0] <= 0) {
            return Uni.createFrom().item(0L);
        }
        int batch = config.logBatchRuns();
        return pool.withTransaction(c -> c.preparedQuery(PURGE_LOGS).execute(Tuple.of(workspace, cutoff, batch))).chain(rows -> {
            Row r = rows.iterator().next();
            spend(budget, r.getLong("runs"));
            long logs = counted("runs.run_log", r.getLong("logs"));
            boolean more = r.getLong("locked") > 0 && r.getLong("runs") >= batch;
            return more ? logs(workspace, cutoff, budget).map(n -> logs + n) : Uni.createFrom().item(logs);
        });
    }

    /** A batch that found work counts against the sweep's cap; finding none (an index probe) does not. */
    private static void spend(int[] budget, long found) {
        if (found > 0) {
            budget[0]--;
        }
    }

    private long counted(String table, long rows) {
        if (rows > 0) {
            counter(table).increment(rows);
        }
        return rows;
    }

    private Counter counter(String table) {
        return Counter.builder("jobplane.retention.purged.rows")
                .description("Rows purged by retention, by table (docs/operating-runs.md, \"Retention\")")
                .tag("table", table).register(registry);
    }
}
