package io.jobplane.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.Ports;
import io.jobplane.stack.PostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The transient-fault experiment: 100 runs of a job with {@code retry.attempts: 5} execute while
 * their destination PostgreSQL is restarted in immediate mode (every session cut off, the server
 * unreachable until it has replayed its log). Every run must end SUCCESS, each run's effect exactly
 * once. The destination is a server of the test's own, so the worker's Kafka and the platform's
 * database are not touched.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class DestinationRestartIT {

    private static final int RUNS = 100;
    private static PostgresServer destination;
    private static WorkerRuns runs;

    @BeforeAll
    static void startDestination() {
        Path dir = Path.of("target", "destination-restart-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        // Durable: a commit the worker was told of survives the crash, so the row count can be trusted.
        destination = Ports.startOnFreePorts(() -> PostgresServer.start(dir.resolve("postgres"), Ports.free(), true,
                dir.resolve("postgres.log")));
        runs = new WorkerRuns();
    }

    @AfterAll
    static void stopDestination() {
        runs.close();
        destination.stop();
    }

    @Test
    void everyRunSucceedsOnceThroughAnImmediateRestartOfItsDestination() throws Exception {
        String table = "effects_" + UUID.randomUUID().toString().substring(0, 8);
        sql("create table " + table + " (run_id text primary key, at timestamptz not null default now())");
        // retry.attempts 5, backoff 2 s doubling (with jitter): at least 15 s of waits, longer than the restart.
        RunSettings settings = new RunSettings(false, 1, null, 5, 2, 2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            String runId = UUID.randomUUID().toString();
            ids.add(runId);
            // Slow enough that the restart cuts off running statements; the insert is idempotent per run.
            LaunchCommand launch = command(runId, settings, List.of("select pg_sleep(1)",
                    "insert into " + table + " (run_id) values ('" + runId + "') on conflict (run_id) do nothing",
                    "select pg_sleep(1)"));
            WorkerRuns.send(EventTypes.LAUNCH, runId, launch);
        }
        // Restart while runs are executing: some have written their row, most have not (a query of the
        // destination is cheap enough to poll often).
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> count("select count(*) from " + table, null) >= 10);
        long writtenBefore = count("select count(*) from " + table, null);
        long downAt = System.nanoTime();
        destination.restartImmediately();
        long downFor = (System.nanoTime() - downAt) / 1_000_000;

        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() -> finished(ids) == RUNS);
        Map<RunStatus, Long> statuses = ids.stream().map(runs::awaitFinished)
                .collect(Collectors.groupingBy(RunFinished::status, Collectors.counting()));
        long retried = ids.stream().filter(id -> runs.logOf(id).stream().anyMatch(l -> l.message().contains("trying again"))).count();
        System.out.printf("destination restart (immediate): %d of %d runs had written their row before it, back after %d ms;"
                + " %s; %d runs retried a task%n", writtenBefore, RUNS, downFor, statuses, retried);

        assertEquals(Map.of(RunStatus.SUCCESS, (long) RUNS), statuses, "every run ends SUCCESS");
        // Sending 100 commands one producer at a time takes seconds, during which the worker already
        // runs the first ones: how many are done by the restart varies with the machine's load.
        assertTrue(writtenBefore < RUNS, "the restart happened while runs were still to execute");
        assertTrue(retried > 0, "the restart cut off running tasks, which were tried again");
        assertEquals(RUNS, count("select count(*) from " + table + " where run_id = any(?)", ids), "each run's row once");
        // No dead session was handed out after the restart: the pool was emptied, the idle sessions now are new.
        assertEquals(0, count("select count(*) from pg_stat_activity where application_name like 'jobplane run %' and state = 'active'", null));
    }

    private static int finished(List<String> ids) {
        return (int) ids.stream().filter(id -> runs.typesOf(id).contains(EventTypes.RUN_FINISHED)).count();
    }

    private static LaunchCommand command(String runId, RunSettings settings, List<String> queries) {
        ConnectionSpec target = new ConnectionSpec("c1", "postgresql", destination.jdbcUrl(), destination.username(), null);
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            tasks.add(new TaskSpec("task-" + i, i, queries.get(i)));
        }
        return LaunchCommand.builder().run(runId, 1, "ws").job("job-restart", "restart", "TABLE_TO_TABLE", false)
                .launch("manual", Instant.now(), Instant.now(), Map.of()).tasks(tasks).settings(settings).destination(target)
                .build();
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(destination.jdbcUrl(), destination.username(), destination.password())) {
            c.createStatement().execute(statement);
        }
    }

    private static long count(String query, List<String> ids) throws Exception {
        try (Connection c = DriverManager.getConnection(destination.jdbcUrl(), destination.username(), destination.password());
                var st = c.prepareStatement(query)) {
            if (ids != null) {
                st.setArray(1, c.createArrayOf("text", ids.toArray()));
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
