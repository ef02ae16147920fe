package io.jobplane.stack.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.StackException;

/**
 * The bench's peer: db-scheduler, a scheduler that keeps its queue in one PostgreSQL table, running the
 * same workload as jobplane's measured runs (one-time no-op tasks scheduled for now by concurrent
 * clients, executed by as many threads as jobplane's workers have run slots) on the same PostgreSQL
 * server, in a database of its own. It does no REST, no token check, no Kafka and keeps no read model, so
 * its figures are a ceiling for jobplane to approach rather than a like-for-like rival.
 */
final class PeerBench {

    /** The peer's own database on the platform's PostgreSQL server: never one of jobplane's schemas. */
    static final String DATABASE = "bench_peer";
    static final String TASK = "bench-noop";

    /** db-scheduler's table for PostgreSQL, as its repository's postgresql_tables.sql defines it for 16.x. */
    static final List<String> DDL = List.of("""
            create table if not exists scheduled_tasks (
              task_name text not null,
              task_instance text not null,
              task_data bytea,
              execution_time timestamp with time zone not null,
              picked boolean not null,
              picked_by text,
              last_success timestamp with time zone,
              last_failure timestamp with time zone,
              consecutive_failures int,
              last_heartbeat timestamp with time zone,
              version bigint not null,
              priority smallint,
              primary key (task_name, task_instance))""",
            "create index if not exists execution_time_idx on scheduled_tasks (execution_time)",
            "create index if not exists last_heartbeat_idx on scheduled_tasks (last_heartbeat)",
            "create index if not exists priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)");

    /** What the peer sustained: tasks, seconds from the first schedule call until the last execution was completed, latencies. */
    record Result(int tasks, double seconds, List<Long> latenciesMs) {
        double perSecond() {
            return tasks / seconds;
        }
    }

    interface Hook {
        void run() throws Exception;
    }

    private final PostgresServer pg;
    private final int threads;
    private final int clients;

    PeerBench(PostgresServer pg, int threads, int clients) {
        this.pg = pg;
        this.threads = threads;
        this.clients = clients;
    }

    /** Creates the peer's database and table unless they exist, and empties the table. */
    void prepare() throws SQLException {
        pg.createDatabase(DATABASE);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DATABASE), pg.username(), pg.password());
                Statement st = c.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
            st.execute("truncate scheduled_tasks");
        }
    }

    /**
     * Runs {@code warmup} unmeasured tasks, then {@code tasks} measured ones, on one scheduler; the hooks
     * are called just before and just after the measured round (the bench samples CPU there).
     */
    Result run(int warmup, int tasks, Hook beforeMeasured, Hook afterMeasured) throws Exception {
        Map<String, Long> scheduledAt = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger executed = new AtomicInteger();
        OneTimeTask<Void> noop = Tasks.oneTime(TASK).execute((instance, context) -> {
            Long at = scheduledAt.remove(instance.getId());
            if (at != null) {
                latencies.add((System.nanoTime() - at) / 1_000_000);
            }
            executed.incrementAndGet();
        });
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.jdbcUrl(DATABASE));
        config.setUsername(pg.username());
        config.setPassword(pg.password());
        // A connection for every scheduling client and every executing thread, and two for the poller and heartbeats.
        config.setMaximumPoolSize(clients + threads + 2);
        config.setPoolName("bench-peer");
        try (HikariDataSource ds = new HikariDataSource(config)) {
            Scheduler scheduler = Scheduler.create(ds, noop)
                    .threads(threads)
                    // lock-and-fetch: one `select … for update skip locked` claims a batch (up to 4× the threads)
                    // and the next batch is claimed once half the threads are free; PostgreSQL's cheapest path.
                    .pollUsingLockAndFetch(0.5, 4.0)
                    // A task scheduled for now by this instance wakes its poller at once; the interval
                    // only bounds the wait for tasks it did not schedule itself.
                    .enableImmediateExecution()
                    .pollingInterval(Duration.ofMillis(100))
                    .shutdownMaxWait(Duration.ofSeconds(5))
                    .build();
            scheduler.start();
            try {
                if (warmup > 0) {
                    round(scheduler, noop, "w", warmup, scheduledAt, executed, ds);
                    latencies.clear();
                }
                beforeMeasured.run();
                double seconds = round(scheduler, noop, "m", tasks, scheduledAt, executed, ds);
                afterMeasured.run();
                List<Long> sorted = new ArrayList<>(latencies);
                java.util.Collections.sort(sorted);
                return new Result(tasks, seconds, sorted);
            } finally {
                scheduler.stop();
            }
        }
    }

    /** Schedules {@code n} tasks for now from the clients and waits until every one was executed and completed. */
    private double round(Scheduler scheduler, OneTimeTask<Void> noop, String prefix, int n, Map<String, Long> scheduledAt,
            AtomicInteger executed, HikariDataSource ds) throws Exception {
        executed.set(0);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                work.add(pool.submit(() -> {
                    for (int k = next.getAndIncrement(); k < n; k = next.getAndIncrement()) {
                        String id = prefix + k;
                        scheduledAt.put(id, System.nanoTime());
                        scheduler.schedule(noop.instance(id), Instant.now());
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // Done when every task ran and db-scheduler has completed it (a one-time task's row is deleted then).
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        try (Connection c = ds.getConnection();
                PreparedStatement st = c.prepareStatement("select count(*) from scheduled_tasks where task_name = ?")) {
            st.setString(1, TASK);
            while (System.nanoTime() < deadline) {
                if (executed.get() >= n) {
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) == 0) {
                            return (System.nanoTime() - started) / 1e9;
                        }
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new StackException("db-scheduler executed only " + executed.get() + " of " + n + " tasks within 30 minutes");
    }
}
