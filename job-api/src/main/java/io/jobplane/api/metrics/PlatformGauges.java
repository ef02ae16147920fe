package io.jobplane.api.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.api.config.RunsConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Gauges of the platform's state in the database, read every {@code jobplane.metrics.refresh-interval}
 * (two queries per replica and interval) and served from memory to every scrape: runs waiting by
 * reason, and the outbox rows not yet relayed with the age of the oldest. Every replica reports the
 * same database-wide values, so dashboards take their max, not their sum.
 */
@ApplicationScoped
public class PlatformGauges {

    private static final Logger LOG = Logger.getLogger(PlatformGauges.class);

    /**
     * Why a run waits, as admission decides ({@code AdmissionLimits}): in a retry's backoff
     * ({@code not_before} ahead), over its workspace's limit (the workspace's {@code max_active_runs},
     * at most {@code jobplane.runs.max-active-per-workspace}), over its job's
     * {@code execution.max_active_runs}, its job's pool ({@code execution.pool}) without room for its
     * {@code execution.pool_slots}, its job gone, or due and under every limit (admitted at the next
     * admission); {@code dispatched}: admitted and sent, not yet started by a worker.
     */
    public static final List<String> REASONS = List.of("retry_backoff", "workspace_limit", "job_limit", "pool", "job_gone",
            "admission", "dispatched");

    private static final String WAITING = """
            with waiting as (
              select workspace, job_id, coalesce(not_before > now(), false) as later, count(*) as n
                from api.run where state = 'QUEUED' group by 1, 2, 3),
            active as (
              select workspace, job_id, count(*) as n from api.run
               where state in ('DISPATCHED', 'RUNNING', 'CANCELLING') and workspace in (select workspace from waiting)
               group by 1, 2),
            by_workspace as (select workspace, sum(n) as n from active group by 1),
            pool_use as (
              select workspace, pool, sum(pool_slots) as n from api.run
               where state in ('DISPATCHED', 'RUNNING', 'CANCELLING') and pool is not null
                 and workspace in (select workspace from waiting)
               group by 1, 2)
            select case when w.later then 'retry_backoff'
                        when j.id is null then 'job_gone'
                        when coalesce(bw.n, 0) >= least(ws.max_active_runs, $1::int) then 'workspace_limit'
                        when coalesce(a.n, 0) >= cast(cast(j.settings as jsonb) #>> '{execution,max_active_runs}' as int)
                             then 'job_limit'
                        when p.name is not null and coalesce(pu.n, 0)
                             + coalesce(cast(cast(j.settings as jsonb) #>> '{execution,pool_slots}' as int), 1) > p.slots
                             then 'pool'
                        else 'admission' end as reason, sum(w.n)::bigint as runs
              from waiting w left join api.job j on j.id = w.job_id
                             left join api.workspace ws on ws.id = w.workspace
                             left join active a on a.workspace = w.workspace and a.job_id = w.job_id
                             left join by_workspace bw on bw.workspace = w.workspace
                             left join api.pool p on p.workspace = w.workspace
                                                 and p.name = cast(j.settings as jsonb) #>> '{execution,pool}'
                             left join pool_use pu on pu.workspace = p.workspace and pu.pool = p.name
             group by 1
            union all
            select 'dispatched', count(*) from api.run where state = 'DISPATCHED'""";
    private static final String OUTBOX = """
            select count(*) as rows, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age
              from api.outbox""";

    private final Pool pool;
    private final Optional<Integer> workspaceDefault;
    private final Map<String, AtomicLong> waiting = new LinkedHashMap<>();
    private final AtomicLong outboxRows = new AtomicLong();
    /** Age of the oldest unrelayed row, in milliseconds. */
    private final AtomicLong outboxAge = new AtomicLong();

    public PlatformGauges(Pool pool, RunsConfig runs, MeterRegistry registry) {
        this.pool = pool;
        this.workspaceDefault = runs.maxActivePerWorkspace();
        for (String reason : REASONS) {
            AtomicLong value = new AtomicLong();
            waiting.put(reason, value);
            Gauge.builder("jobplane.runs.waiting", value, AtomicLong::get)
                    .description("Runs not started yet (status QUEUED), by why they wait").tag("reason", reason)
                    .register(registry);
        }
        Gauge.builder("jobplane.outbox.backlog", outboxRows, AtomicLong::get).baseUnit("rows")
                .description("Outbox rows written and not yet relayed to Kafka").register(registry);
        Gauge.builder("jobplane.outbox.oldest.age", outboxAge, a -> a.get() / 1000.0).baseUnit("seconds")
                .description("Age of the oldest outbox row not yet relayed; 0 when none waits").register(registry);
    }

    @Scheduled(every = "${jobplane.metrics.refresh-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.preparedQuery(WAITING).execute(Tuple.of(workspaceDefault.orElse(null)))
                .invoke(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (Row r : rows) {
                        counts.merge(r.getString("reason"), r.getLong("runs"), Long::sum);
                    }
                    waiting.forEach((reason, value) -> value.set(counts.getOrDefault(reason, 0L)));
                })
                .chain(() -> pool.query(OUTBOX).execute())
                .invoke(rows -> {
                    Row r = rows.iterator().next();
                    outboxRows.set(r.getLong("rows"));
                    outboxAge.set(Math.round(r.getDouble("age") * 1000));
                })
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.debugf("metrics refresh failed, gauges keep their last values: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
