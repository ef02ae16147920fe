package io.jobplane.api.retention;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.api.config.RetentionConfig;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.events.EventCodec;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.WorkspaceRetention;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Purges what runs leave in schema {@code api} once a workspace's retention policy says so
 * (docs/operating-runs.md, "Retention"), and announces every workspace's policy to the read model.
 * <p>
 * Every replica sweeps; they never wait on each other: a batch is one short statement that locks
 * the runs it takes with {@code for update skip locked}, so two replicas take different runs, and a
 * run an operator is marking right now is left for the next sweep. A batch is a workspace's oldest
 * {@code batch-size} ended runs ({@code run_retention_idx}, a range scan); their notifications (and
 * attempts), VDK execution records go with them. A sweep deletes at most {@code max-batches-per-sweep}
 * batches in all (a workspace with nothing to purge costs an index probe, not a batch), beginning
 * with another workspace each time, so a backlog is worked off over
 * several sweeps without hogging the database. An unfinished run is never purged: only SUCCESS,
 * FAILED, STOPPED and UNKNOWN (launched before supervision) runs are, by their end (or, if they
 * never started, their request) time. A rerun keeps the id of the run it reran in {@code rerun_of}
 * after that run is purged (there is no foreign key; reading the purged run answers 404). Once a
 * workspace's runs are done, backfills older than the cutoff whose runs are all gone and firing
 * records of workflows that launched their targets before the cutoff go too.
 * <p>
 * The announcement ({@code jobplane.workspace.retention} for every workspace, its own policy or the
 * defaults) is made by whichever replica first finds it due ({@code api.retention_announcement}),
 * in one transaction with its outbox rows.
 */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    static final String ENDED = "('SUCCESS', 'FAILED', 'STOPPED', 'UNKNOWN')";

    /** Every workspace job-api knows of, with its policy if it set one. */
    private static final String WORKSPACES = """
            select w.workspace, p.logs_days, p.runs_days
              from (select id as workspace from api.workspace
                    union select workspace from api.job
                    union select workspace from api.workspace_retention) w
              left join api.workspace_retention p on p.workspace = w.workspace
             order by w.workspace""";

    /**
     * One batch: a workspace's oldest ended runs before the cutoff, with what refers to them. The ids go
     * on as one array, so each delete is an index lookup per id rather than a join the planner could
     * make a scan of the whole table.
     */
    static final String PURGE_RUNS = """
            with batch as (
                select id from api.run
                 where workspace = $1 and state in %s and coalesce(finished_at, requested_at) < $2
                 order by coalesce(finished_at, requested_at)
                 limit $3
                   for update skip locked),
            notifications as (delete from api.notification where run_id = any(array(select id from batch)) returning 1),
            vdk as (delete from api.vdk_execution where run_id = any(array(select id from batch)) returning 1),
            runs as (delete from api.run where id = any(array(select id from batch)) returning 1)
            select (select count(*) from runs) as runs, (select count(*) from notifications) as notifications,
                   (select count(*) from vdk) as vdk""".formatted(ENDED);

    /** Backfills from before the cutoff that no run refers to any more. */
    private static final String PURGE_BACKFILLS = """
            delete from api.backfill where id in (
                select b.id from api.backfill b
                 where b.workspace = $1 and b.requested_at < $2
                   and not exists (select 1 from api.run r where r.backfill_id = b.id)
                 limit $3
                   for update skip locked)""";

    /** Firing records of the workspace's workflows that launched their targets before the cutoff. */
    private static final String PURGE_FIRINGS = """
            delete from api.workflow_fire where (workflow_id, seq) in (
                select f.workflow_id, f.seq from api.workflow_fire f join api.workflow w on w.job_id = f.workflow_id
                 where w.workspace = $1 and f.launched_at is not null and f.fired_at < $2
                 limit $3
                   for update of f skip locked)""";

    /** Claims the announcement when it is due: of all replicas, one gets the row back. */
    private static final String CLAIM_ANNOUNCEMENT = """
            update api.retention_announcement set announced_at = now()
             where id = 1 and announced_at <= now() - make_interval(secs => $1)
            returning announced_at""";
    private static final String APPEND = """
            insert into api.outbox (topic, message_key, payload)
            select $1, k, p from unnest($2::text[], $3::text[]) as t(k, p)""";

    private final Pool pool;
    private final RetentionConfig config;
    private final RetentionService policies;
    private final Outbox outbox;
    private final MeterRegistry registry;
    /** Where the next sweep begins in the list of workspaces, so a large backlog does not starve the others. */
    private final AtomicInteger start = new AtomicInteger();

    public RetentionSweeper(Pool pool, RetentionConfig config, RetentionService policies, Outbox outbox, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.policies = policies;
        this.outbox = outbox;
        this.registry = registry;
        // Zero from the start, so a dashboard can rate() it before the first purge.
        for (String table : List.of("api.run", "api.notification", "api.vdk_execution", "api.backfill", "api.workflow_fire")) {
            counter(table);
        }
    }

    /** A workspace as a sweep sees it: its policy, or the defaults. */
    record Workspace(String id, RetentionPolicy policy, boolean own) {
    }

    @Scheduled(every = "${jobplane.retention.sweep-interval:1m}", delayed = "${jobplane.retention.sweep-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return sweep().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("retention sweep failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** One sweep: the announcement if due, then up to the cap of batches; the rows purged. */
    Uni<Long> sweep() {
        return pool.query(WORKSPACES).execute()
                .map(this::workspaces)
                .call(this::announceIfDue)
                .chain(this::purge);
    }

    private List<Workspace> workspaces(Iterable<Row> rows) {
        List<Workspace> all = new ArrayList<>();
        for (Row r : rows) {
            Integer logs = r.getInteger("logs_days");
            all.add(logs == null ? new Workspace(r.getString("workspace"), policies.defaults(), false)
                    : new Workspace(r.getString("workspace"), new RetentionPolicy(logs, r.getInteger("runs_days")), true));
        }
        return all;
    }

    private Uni<Void> announceIfDue(List<Workspace> workspaces) {
        Instant now = Instant.now();
        return pool.withTransaction(c -> c.preparedQuery(CLAIM_ANNOUNCEMENT)
                .execute(Tuple.of((double) config.announceInterval().toMillis() / 1000))
                .chain(claimed -> claimed.rowCount() == 0 || workspaces.isEmpty() ? Uni.createFrom().item(false)
                        : append(c, workspaces, now).replaceWith(true)))
                .invoke(announced -> {
                    if (announced) {
                        outbox.committed();
                        LOG.debugf("announced the retention policies of %d workspaces", workspaces.size());
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Void> append(SqlConnection c, List<Workspace> workspaces, Instant now) {
        String[] keys = new String[workspaces.size()];
        String[] payloads = new String[workspaces.size()];
        for (int i = 0; i < keys.length; i++) {
            Workspace w = workspaces.get(i);
            keys[i] = w.id();
            payloads[i] = EventCodec.encode(RetentionService.announcement(w.id(), w.policy(),
                    w.own() ? WorkspaceRetention.WORKSPACE : WorkspaceRetention.DEFAULT, now));
        }
        return c.preparedQuery(APPEND).execute(Tuple.of(Topics.RUN_EVENTS, keys, payloads)).replaceWithVoid();
    }

    /** Batches over the workspaces, from a rotating start, until the cap; the rows purged. */
    private Uni<Long> purge(List<Workspace> workspaces) {
        if (workspaces.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        int first = Math.floorMod(start.getAndIncrement(), workspaces.size());
        List<Workspace> order = new ArrayList<>(workspaces.subList(first, workspaces.size()));
        order.addAll(workspaces.subList(0, first));
        Instant now = Instant.now();
        Budget budget = new Budget(config.maxBatchesPerSweep());
        // One workspace after the other (a stream, not a chain as deep as the list of workspaces).
        return Multi.createFrom().iterable(order)
                .onItem().transformToUniAndConcatenate(w -> budget.left() ? purge(w, w.policy().runsCutoff(now), budget)
                        : Uni.createFrom().item(0L))
                .collect().with(Collectors.summingLong(Long::longValue));
    }

    /** A workspace's runs batch by batch while the budget lasts; when they are done, its old backfills and firings. */
    private Uni<Long> purge(Workspace w, Instant cutoff, Budget budget) {
        int batch = config.batchSize();
        return pool.preparedQuery(PURGE_RUNS).execute(Tuple.of(w.id(), cutoff.atOffset(ZoneOffset.UTC), batch))
                .chain(rows -> {
                    Row r = rows.iterator().next();
                    long runs = r.getLong("runs");
                    if (runs > 0) {
                        budget.spend();
                    }
                    counted("api.run", runs);
                    counted("api.notification", r.getLong("notifications"));
                    counted("api.vdk_execution", r.getLong("vdk"));
                    if (runs >= batch) {
                        return budget.left() ? purge(w, cutoff, budget).map(n -> runs + n) : Uni.createFrom().item(runs);
                    }
                    return rest(w.id(), cutoff, batch).map(n -> runs + n);
                });
    }

    private Uni<Long> rest(String workspace, Instant cutoff, int batch) {
        Tuple args = Tuple.of(workspace, cutoff.atOffset(ZoneOffset.UTC), batch);
        return pool.preparedQuery(PURGE_BACKFILLS).execute(args).map(rows -> counted("api.backfill", rows.rowCount()))
                .chain(b -> pool.preparedQuery(PURGE_FIRINGS).execute(args)
                        .map(rows -> b + counted("api.workflow_fire", rows.rowCount())));
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

    /** Batches a sweep may still run. */
    private static final class Budget {
        private int left;

        Budget(int batches) {
            this.left = batches;
        }

        boolean left() {
            return left > 0;
        }

        void spend() {
            left--;
        }
    }
}
