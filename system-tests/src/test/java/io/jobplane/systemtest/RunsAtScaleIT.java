package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.jobplane.stack.Platform;
import io.jobplane.stack.Ports;
import io.jobplane.stack.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Runs across horizontally scaled workers, as real processes on a real broker: two workers share
 * the load, a worker killed with SIGKILL loses no run, a cancel stops a statement inside the
 * database, launches are idempotent, history filters hold, and a broker restart during a burst of
 * launches loses none of them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunsAtScaleIT {

    private static final String WS = "scale";
    private static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "STOPPED");
    private static Platform platform;
    private static String targetDb;
    private static String connectionId;

    @BeforeAll
    static void startPlatform() throws Exception {
        Path root = Path.of(System.getProperty("jobplane.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createDirectories(root.resolve("system-tests/target/scale-" + UUID.randomUUID()));
        platform = Platform.start(Platform.Settings.builder()
                .root(root).stateDir(state).durable(false).workers(2)
                .override("jobplane.runs.worker-lost-after", "8s")
                .override("jobplane.runs.sweep-interval", "1s")
                .override("jobplane.worker.heartbeat-interval", "1s")
                .build());
        targetDb = "scale_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        // The tenant server takes passwords only: the jobs log in as the target database's owner.
        String password = UUID.randomUUID().toString();
        platform.tenant().createDatabase(targetDb, "scale_tenant", password);
        var pg = platform.tenant();
        connectionId = api().body(Map.of("name", "target", "type", "postgresql",
                        "jdbc_url", pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + targetDb,
                        "username", "scale_tenant", "password", password))
                .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(201).extract().path("connection_id");
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void twoWorkersShareTheLoad() {
        String job = job("share", List.of("select pg_sleep(0.3)"), Map.of());
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            runs.add(launch(job, null));
        }
        Set<String> workers = new HashSet<>();
        for (String run : runs) {
            ValidatableResponse done = awaitTerminal(run, Duration.ofSeconds(90));
            done.body("status", equalTo("SUCCESS"));
            workers.add(done.extract().path("worker_id"));
        }
        assertEquals(Set.of("worker-1", "worker-2"), workers, "both workers executed runs");
    }

    @Test
    @Order(2)
    void aCancelStopsALongStatementInsideTheDatabase() throws Exception {
        String job = job("sleeper", List.of("select pg_sleep(600)", "select 1"), Map.of());
        String run = launch(job, null);
        await().atMost(Duration.ofSeconds(60)).until(() -> sessionsOf(run) == 1);
        long asked = System.nanoTime();
        api().post("/api/v1/workspaces/{ws}/runs/{run}/cancel", WS, run).then().statusCode(202)
                .body("status", equalTo("CANCELLING"));
        awaitTerminal(run, Duration.ofSeconds(30)).body("status", equalTo("STOPPED"))
                .body("error_code", equalTo("CANCELLED"));
        long stoppedMs = (System.nanoTime() - asked) / 1_000_000;
        // The run's status comes from the launch record, its tasks from the read model a poll later.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> api().get("/api/v1/workspaces/{ws}/runs/{run}", WS, run)
                .then().body("tasks[0].status", equalTo("STOPPED")).body("tasks[1].status", equalTo("SKIPPED")));
        assertEquals(0, sessionsOf(run), "the statement no longer runs in the database");
        System.out.printf("cancel → STOPPED seen through the API: %d ms%n", stoppedMs);
    }

    @Test
    @Order(3)
    void aRetriedLaunchWithTheSameIdempotencyKeyMakesOneRun() throws Exception {
        String job = job("idempotent", List.of("select 1"), Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> launch(job, "nightly-2026-11-23"), pool));
            }
            Set<String> ids = new HashSet<>();
            calls.forEach(c -> ids.add(c.join()));
            assertEquals(1, ids.size(), "sixteen retries, one run");
            awaitTerminal(ids.iterator().next(), Duration.ofSeconds(60)).body("status", equalTo("SUCCESS"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/v1/workspaces/{ws}/jobs/{job}/runs", WS, job)
                    .then().statusCode(200).body("runs.size()", equalTo(1)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void historyStatusLastStatusTaskHistoryAndLogsAnswerFromTheReadModel() {
        String job = job("history", List.of("select 1", "do $$ begin raise notice 'checked'; end $$"), Map.of());
        List<String> taskIds = api().get("/api/v1/workspaces/{ws}/jobs/{job}/tasks", WS, job).then().extract().path("task_id");
        // Odd days run only the first task (CData's Execute with a task list).
        List<String> runs = new ArrayList<>();
        for (int day = 1; day <= 6; day++) {
            Map<String, Object> body = new HashMap<>(Map.of("execution_date", "2026-11-0" + day + "T00:00:00Z"));
            if (day % 2 == 1) {
                body.put("tasks", List.of(taskIds.get(0)));
            }
            runs.add(api().body(body).post("/api/v1/workspaces/{ws}/jobs/{job}/runs", WS, job).then().statusCode(202)
                    .extract().path("run_id"));
        }
        runs.forEach(r -> awaitTerminal(r, Duration.ofSeconds(60)).body("status", equalTo("SUCCESS")));
        String history = "/api/v1/workspaces/{ws}/jobs/{job}/runs";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get(history, WS, job).then()
                .body("runs.size()", equalTo(6)).body("runs[0].run_id", equalTo(runs.get(5))));
        api().queryParam("from", "2026-11-02T00:00:00Z").queryParam("to", "2026-11-05T00:00:00Z").get(history, WS, job)
                .then().statusCode(200).body("runs.execution_date",
                        equalTo(List.of("2026-11-04T00:00:00Z", "2026-11-03T00:00:00Z", "2026-11-02T00:00:00Z")));
        String cursor = api().queryParam("limit", 4).get(history, WS, job).then().body("runs.size()", equalTo(4))
                .extract().path("next_cursor");
        api().queryParam("limit", 4).queryParam("cursor", cursor).get(history, WS, job).then()
                .body("runs.run_id", equalTo(List.of(runs.get(1), runs.get(0)))).body("next_cursor", equalTo(null));
        api().queryParam("status", "FAILED").get(history, WS, job).then().body("runs.size()", equalTo(0));
        api().queryParam("status", "BOGUS").get(history, WS, job).then().statusCode(400)
                .body("error_code", equalTo("INVALID_STATUS"));
        api().queryParam("limit", 2).get("/api/v1/workspaces/{ws}/jobs/{job}/last-status", WS, job).then().statusCode(200)
                .body("run_id", equalTo(List.of(runs.get(5), runs.get(4))));
        api().get("/api/v1/workspaces/{ws}/jobs/{job}/status", WS, job).then().statusCode(200)
                .body("status", equalTo("SUCCESS")).body("last_run.run_id", equalTo(runs.get(5)))
                .body("active_runs", equalTo(0));
        api().get("/api/v1/workspaces/{ws}/jobs/{job}/runs/{run}", WS, job, runs.get(2)).then().statusCode(200)
                .body("tasks.size()", equalTo(1));
        api().get("/api/v1/workspaces/{ws}/jobs/{job}/tasks/last-run", WS, job).then().statusCode(200)
                .body("task.task_id", equalTo(taskIds)).body("run_id", equalTo(List.of(runs.get(5), runs.get(5))));
        api().get("/api/v1/workspaces/{ws}/jobs/{job}/tasks/{task}/history", WS, job, taskIds.get(1)).then().statusCode(200)
                .body("runs.run_id", equalTo(List.of(runs.get(5), runs.get(3), runs.get(1))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().queryParam("task_id", taskIds.get(1))
                .get("/api/v1/workspaces/{ws}/runs/{run}/logs", WS, runs.get(5)).then().statusCode(200)
                .body("lines.message", org.hamcrest.Matchers.hasItem("checked")));
    }

    @Test
    @Order(4)
    void aRangeOfExecutionDatesComesByExecutionDateAndPagesByItsCursor() {
        String job = job("dates", List.of("select 1"), Map.of());
        // Launched in an order other than their execution dates' (as a backfill or a rerun may be).
        List<String> runs = new ArrayList<>();
        for (String date : List.of("2026-10-02", "2026-10-05", "2026-10-03")) {
            runs.add(api().body(Map.of("execution_date", date + "T00:00:00Z"))
                    .post("/api/v1/workspaces/{ws}/jobs/{job}/runs", WS, job).then().statusCode(202).extract().path("run_id"));
        }
        runs.forEach(r -> awaitTerminal(r, Duration.ofSeconds(60)).body("status", equalTo("SUCCESS")));
        String history = "/api/v1/workspaces/{ws}/jobs/{job}/runs";
        // No range: launch order, newest first.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get(history, WS, job).then()
                .body("runs.run_id", equalTo(List.of(runs.get(2), runs.get(1), runs.get(0)))));
        // A range: by execution date, newest first, two pages of two.
        String cursor = api().queryParam("from", "2026-10-01T00:00:00Z").queryParam("to", "2026-10-06T00:00:00Z")
                .queryParam("limit", 2).get(history, WS, job).then().statusCode(200)
                .body("runs.run_id", equalTo(List.of(runs.get(1), runs.get(2)))).extract().path("next_cursor");
        api().queryParam("from", "2026-10-01T00:00:00Z").queryParam("limit", 2).queryParam("cursor", cursor)
                .get(history, WS, job).then().statusCode(200)
                .body("runs.run_id", equalTo(List.of(runs.get(0)))).body("next_cursor", equalTo(null));
        api().queryParam("to", "2026-10-04T00:00:00Z").get(history, WS, job).then().statusCode(200)
                .body("runs.execution_date", equalTo(List.of("2026-10-03T00:00:00Z", "2026-10-02T00:00:00Z")));
    }

    @Test
    @Order(5)
    void aWorkerKilledMidRunLosesNoRun() {
        String job = job("survivor", List.of("select pg_sleep(4)"), Map.of("retry", Map.of("attempts", 2, "backoff_seconds", 0)));
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(launch(job, null));
        }
        ServiceProcess victim = platform.workers().get(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> runs.stream()
                .anyMatch(r -> "worker-2".equals(status(r).extract().path("worker_id"))
                        && "RUNNING".equals(status(r).extract().path("status"))));
        Set<String> onVictim = new HashSet<>();
        runs.forEach(r -> {
            if ("worker-2".equals(status(r).extract().path("worker_id")) && !TERMINAL.contains((String) status(r).extract().path("status"))) {
                onVictim.add(r);
            }
        });
        victim.kill();
        long killed = System.nanoTime();
        Map<String, String> ends = new ConcurrentHashMap<>();
        for (String run : runs) {
            ValidatableResponse done = awaitTerminal(run, Duration.ofSeconds(120));
            ends.put(run, done.extract().path("status"));
        }
        long recoveredMs = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(ends.values().stream().allMatch("SUCCESS"::equals), "every run ended SUCCESS: " + ends);
        for (String run : onVictim) {
            status(run).body("attempt", equalTo(2)).body("worker_id", equalTo("worker-1"));
        }
        System.out.printf("worker killed with %d runs in hand; all %d runs ended within %d ms%n", onVictim.size(),
                runs.size(), recoveredMs);
        platform.startWorker();
    }

    @Test
    @Order(6)
    void aBrokerRestartDuringABurstOfLaunchesLosesNone() throws Exception {
        String job = job("burst", List.of("select 1"), Map.of());
        List<String> runs = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> launches = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                launches.add(CompletableFuture.runAsync(() -> runs.add(launch(job, null)), pool));
                if (i == 60) {
                    platform.kafka().restart();
                }
            }
            launches.forEach(CompletableFuture::join);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, runs.size(), "every launch got its 202");
        for (String run : runs) {
            awaitTerminal(run, Duration.ofSeconds(180)).body("status", equalTo("SUCCESS"));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static RequestSpecification api() {
        return given().baseUri(platform.apiUrl())
                .auth().oauth2(platform.mintToken("scale-test", Map.of(WS, "admin")))
                .contentType(ContentType.JSON);
    }

    private static String job(String name, List<String> queries, Map<String, Object> execution) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connectionId, "queries", queries));
        if (!execution.isEmpty()) {
            body.put("execution", execution);
        }
        return api().body(body).post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
    }

    private static String launch(String job, String idempotencyKey) {
        RequestSpecification request = api();
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/v1/workspaces/{ws}/jobs/{job}/runs", WS, job).then().statusCode(202).extract().path("run_id");
    }

    private static ValidatableResponse status(String run) {
        return api().get("/api/v1/workspaces/{ws}/runs/{run}", WS, run).then().statusCode(200);
    }

    private static ValidatableResponse awaitTerminal(String run, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> TERMINAL.contains((String) status(run).extract().path("status")));
        return status(run);
    }

    private static long sessionsOf(String run) throws Exception {
        var pg = platform.tenant();
        String url = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + targetDb;
        try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery("select count(*) from pg_stat_activity where application_name = "
                        + "'jobplane run " + run + "' and state = 'active'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
