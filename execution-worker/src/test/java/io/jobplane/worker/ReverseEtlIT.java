package io.jobplane.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskProgress;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Reverse ETL from a real PostgreSQL database to a real HTTP receiver on a local socket, driven
 * through the worker's command topic. The receiver keeps batches by their Idempotency-Key (the
 * contract the docs give receivers) and fails on purpose: 500s before and after keeping a batch,
 * a 429 with Retry-After, a 400 for a poisoned row, a request it never answers.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class ReverseEtlIT {

    private static final String SOURCE = "retl_source";
    private static final String TOKEN = "canary-token-" + UUID.randomUUID();
    private static final String API_KEY = "canary-key-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WorkerRuns runs;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws IOException {
        TestInfrastructure.shared().tenant().createDatabase(SOURCE);
        runs = new WorkerRuns();
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        runs.close();
    }

    @Test
    void everyRowArrivesExactlyOnceThroughFailuresRetriesAndASecondAttemptWithinTheRateLimit() throws Exception {
        String table = "contacts_" + shortId();
        sql("create table " + table + " (id bigint primary key, name text, amount numeric(10,2), at timestamptz, doc jsonb,"
                + " tags text[], active boolean not null)");
        sql("insert into " + table + " select g, 'name ' || g || ' \"ünï\" \\ it''s', g * 1.25, timestamptz '2026-01-01 00:00:00+00'"
                + " + g * interval '1 hour', jsonb_build_object('g', g, 'nested', jsonb_build_array(g, null)),"
                + " array['a' || g, null], g % 7 <> 0 from generate_series(1, 203) g");
        String path = "flaky/" + shortId();
        LaunchCommand launch = command(List.of("REPLICATE [" + path + "] WITH RateLimit='10' SELECT * FROM [" + table
                + "] WHERE active"), 5, destination(Map.of("auth_token", seal(TOKEN), "secret_headers.X-Api-Key", seal(API_KEY))), 1);

        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = awaitFinished(launch.runId(), 1);
        assertEquals(RunStatus.SUCCESS, finished.status(), finished.errorMessage());
        TaskFinished task = tasksOf(launch.runId(), 1).get(0);
        assertEquals(TaskStatus.SUCCESS, task.status());
        assertEquals(174L, task.rowsAffected(), "203 rows, every 7th inactive");

        // Every source row arrived once, exactly as the database renders it.
        Map<Long, JsonNode> expected = new TreeMap<>();
        for (String row : column("select row_to_json(t)::text from (select * from " + table + " where active) t")) {
            JsonNode node = JSON.readTree(row);
            expected.put(node.get("id").asLong(), node);
        }
        List<JsonNode> delivered = receiver.rowsOf(path);
        assertEquals(174, delivered.size(), "no row twice, none lost");
        Map<Long, JsonNode> byId = new TreeMap<>();
        delivered.forEach(r -> byId.put(r.get("id").asLong(), r));
        assertEquals(expected, byId);

        // The body and the key follow the contract, and the failures really happened.
        List<Request> requests = receiver.requestsTo(path);
        Map<String, String> bodies = receiver.keptBodies(path);
        assertEquals(35, bodies.size(), "174 rows in batches of 5");
        for (int n = 1; n <= 35; n++) {
            String body = bodies.get(launch.runId() + ":task-0:" + n);
            JsonNode batch = JSON.readTree(body);
            assertEquals(launch.runId(), batch.get("run_id").asText());
            assertEquals("task-0", batch.get("task_id").asText());
            assertEquals(n, batch.get("batch").asInt());
            assertEquals(n == 35 ? 4 : 5, batch.get("rows").size());
        }
        assertTrue(requests.stream().allMatch(r -> r.digestMatches), "Content-Digest is the SHA-256 of the body");
        assertTrue(requests.stream().allMatch(r -> r.authorized), "credentials and headers on every request");
        assertTrue(requests.stream().filter(r -> r.status == 500).count() >= 8, "500s were answered: " + statuses(requests));
        assertTrue(receiver.duplicates(path) >= 4, "batches kept before a 500 came again and were recognised by their key");
        assertTrue(requests.stream().noneMatch(r -> r.status == 422), "a key never came with another body");

        // 429 with Retry-After: 1 — the next request waited that long; and no second held more than 10 requests.
        int limited = indexOf(requests, 429);
        assertTrue(requests.get(limited + 1).arrivedNanos - requests.get(limited).arrivedNanos >= 950_000_000L,
                "Retry-After was honoured");
        for (int i = 0; i < requests.size(); i++) {
            long from = requests.get(i).arrivedNanos;
            long inOneSecond = requests.stream().filter(r -> r.arrivedNanos >= from && r.arrivedNanos - from < 1_000_000_000L).count();
            assertTrue(inOneSecond <= 12, inOneSecond + " requests within one second from request " + i + " (RateLimit='10')");
        }
        assertTrue(requests.size() >= 40, "enough requests to measure the rate: " + requests.size());

        // Progress about once a second, the last one saying everything.
        List<TaskProgress> progress = progressOf(launch.runId());
        assertTrue(progress.size() >= 3, "progress during the run: " + progress.size());
        TaskProgress last = progress.get(progress.size() - 1);
        assertEquals(174L, last.rowsProcessed());
        assertEquals(bodies.values().stream().mapToLong(b -> b.getBytes(StandardCharsets.UTF_8).length).sum(), last.bytesProcessed());
        assertTrue(logOf(launch.runId(), 1).stream().anyMatch(l -> l.level().equals("WARN") && l.message().contains("HTTP 500")
                && l.message().contains("trying again")), "retries are logged");

        // A second attempt of the same run sends the same batches under the same keys: still once each.
        int before = receiver.duplicates(path);
        LaunchCommand again = launch.toBuilder().run(launch.runId(), 2, launch.workspace())
                .job(launch.jobId(), launch.jobName(), launch.jobType(), false)
                .launch("retry", Instant.now(), launch.executionDate(), Map.of()).build();
        WorkerRuns.send(EventTypes.LAUNCH, again.runId(), again);
        assertEquals(RunStatus.SUCCESS, awaitFinished(launch.runId(), 2).status());
        assertEquals(before + 35, receiver.duplicates(path), "every batch of the second attempt was one the receiver had");
        assertEquals(174, receiver.rowsOf(path).size());
        assertTrue(receiver.requestsTo(path).stream().noneMatch(r -> r.status == 422), "the same keys carried the same rows");

        assertNoSecretIn(launch.runId());
    }

    @Test
    void refusedRowsAreNamedAndFailTheTaskUnlessAllowedAndAWrongReceiverEndsAtOnce() throws Exception {
        String table = "poison_" + shortId();
        sql("create table " + table + " (id int primary key, name text)");
        sql("insert into " + table + " select g, case when g = 14 then 'poison' else 'n' || g end from generate_series(1, 30) g");
        String strict = "poison/" + shortId();
        String lenient = "poison/" + shortId();
        String keyless = "plain/" + shortId();
        LaunchCommand launch = withContinueOnError(command(List.of(
                        "REPLICATE [" + strict + "] SELECT * FROM [" + table + "]",
                        "REPLICATE [" + lenient + "] WITH AllowRefusedRows='true' SELECT * FROM [" + table + "]",
                        "REPLICATE [" + keyless + "] SELECT g AS id FROM generate_series(1, 3) g"),
                10, destination(Map.of("auth_token", seal(TOKEN), "secret_headers", seal("{\"X-Api-Key\": \"" + API_KEY + "\"}"))), 1));

        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = awaitFinished(launch.runId(), 1);
        assertEquals(RunStatus.FAILED, finished.status());
        assertEquals("TASK_FAILED", finished.errorCode());
        List<TaskFinished> tasks = tasksOf(launch.runId(), 1);

        TaskFinished refused = tasks.get(0);
        assertEquals(TaskStatus.FAILED, refused.status());
        assertEquals(20L, refused.rowsAffected(), "the other batches were delivered");
        assertTrue(refused.errorMessage().contains("refused 10 of 30 rows: batch 2 (10 rows, id 11 … 20, HTTP 400)")
                && refused.errorMessage().contains("AllowRefusedRows='true'"), refused.errorMessage());
        List<String> ids = receiver.rowsOf(strict).stream().map(r -> r.get("id").asText()).sorted().toList();
        assertEquals(20, ids.size());
        assertFalse(ids.contains("14") || ids.contains("11") || ids.contains("20"), ids.toString());
        assertEquals(1, receiver.requestsTo(strict).stream().filter(r -> r.status == 400).count(), "a refusal is not tried again");
        RunLog named = logOf(launch.runId(), 1).stream()
                .filter(l -> l.level().equals("ERROR") && l.message().startsWith("batch 2") && strict.equals(pathOfTask(l, launch)))
                .findFirst().orElseThrow(() -> new AssertionError("no error line names the refused rows"));
        assertTrue(named.message().contains("id: 11, 12, 13, 14, 15, 16, 17, 18, 19, 20"), named.message());
        assertTrue(named.message().contains("Bearer ***"), "the receiver's answer is quoted without the token it echoed: " + named.message());

        TaskFinished allowed = tasks.get(1);
        assertEquals(TaskStatus.SUCCESS, allowed.status());
        assertEquals(20L, allowed.rowsAffected());
        assertTrue(logOf(launch.runId(), 1).stream().anyMatch(l -> "task-1".equals(l.taskId()) && l.level().equals("ERROR")
                && l.message().contains("refused 10 of 30 rows") && l.message().contains("AllowRefusedRows='true'")));

        TaskFinished noKey = tasks.get(2);
        assertEquals(TaskStatus.FAILED, noKey.status());
        assertTrue(noKey.errorMessage().contains("no primary key") && noKey.errorMessage().contains("KeyColumn='id'"),
                noKey.errorMessage());
        assertTrue(receiver.requestsTo(keyless).isEmpty(), "nothing is sent without a stable order");
        assertNoSecretIn(launch.runId());

        String locked = "plain/" + shortId();
        LaunchCommand wrongToken = command(List.of("REPLICATE [" + locked + "] SELECT * FROM [" + table + "]"), 10,
                destination(Map.of("auth_token", seal("canary-wrong-" + TOKEN), "secret_headers.X-Api-Key", seal(API_KEY))), 3);
        WorkerRuns.send(EventTypes.LAUNCH, wrongToken.runId(), wrongToken);
        assertEquals(RunStatus.FAILED, awaitFinished(wrongToken.runId(), 1).status());
        TaskFinished unauthorized = tasksOf(wrongToken.runId(), 1).get(0);
        assertTrue(unauthorized.errorMessage().contains("HTTP 401") && unauthorized.errorMessage().contains("auth_token"),
                unauthorized.errorMessage());
        assertEquals(1, receiver.requestsTo(locked).size(), "no batch, task try or retry after the receiver refused the credentials");
        assertNoSecretIn(wrongToken.runId());
    }

    @Test
    void aCancelAbortsTheRequestInFlightAndTheSourceQuery() throws Exception {
        String path = "slow/" + shortId();
        LaunchCommand held = command(List.of("REPLICATE [" + path + "] WITH KeyColumn='id', RequestTimeout='300'"
                + " SELECT g AS id FROM generate_series(1, 50) g"), 10, destination(Map.of("auth_token", seal(TOKEN),
                "secret_headers.X-Api-Key", seal(API_KEY))), 1);
        WorkerRuns.send(EventTypes.LAUNCH, held.runId(), held);
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requestsTo(path).size() == 1);
        cancel(held.runId());
        RunFinished stopped = awaitFinished(held.runId(), 1, Duration.ofSeconds(20));
        assertEquals(RunStatus.STOPPED, stopped.status());
        assertEquals(TaskStatus.STOPPED, tasksOf(held.runId(), 1).get(0).status());
        assertEquals(1, receiver.held.getCount(), "the run stopped while the receiver still held its request");
        assertEquals(1, receiver.requestsTo(path).size(), "nothing was sent after the cancel");

        LaunchCommand reading = command(List.of("REPLICATE [plain/" + shortId() + "] WITH KeyColumn='id'"
                + " SELECT g AS id, pg_sleep(600)::text AS pause FROM generate_series(1, 2) g"), 10,
                destination(Map.of("auth_token", seal(TOKEN), "secret_headers.X-Api-Key", seal(API_KEY))), 1);
        WorkerRuns.send(EventTypes.LAUNCH, reading.runId(), reading);
        String active = "select count(*) from pg_stat_activity where application_name = 'jobplane run " + reading.runId()
                + "' and state = 'active'";
        await().atMost(Duration.ofSeconds(60)).until(() -> column(active).get(0).equals("1"));
        cancel(reading.runId());
        assertEquals(RunStatus.STOPPED, awaitFinished(reading.runId(), 1, Duration.ofSeconds(20)).status());
        await().atMost(Duration.ofSeconds(10)).until(() -> column(active).get(0).equals("0"));
    }

    // ---- the receiver ---------------------------------------------------------------------

    /** One request as the receiver saw it. */
    private record Request(String path, String key, long arrivedNanos, int status, boolean digestMatches, boolean authorized) {
    }

    /**
     * Takes batches under {@code /api/<scenario>/<id>} and keeps each by its Idempotency-Key: a
     * key it has seen with the same body is answered 200 again without keeping the rows twice, with
     * another body 422. {@code flaky}: every third of the first 24 requests answers 500 (every other
     * one of those after keeping the batch), the 5th 429 with Retry-After: 1. {@code poison}: a
     * batch with the row named 'poison' is refused with 400, the answer echoing the credentials.
     * {@code slow}: the request is held until the test ends. Without the right credentials: 401.
     */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final List<Request> requests = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<String, Map<String, String>> kept = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> duplicates = new ConcurrentHashMap<>();
        final CountDownLatch held = new CountDownLatch(1);

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/api/", this::handle);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
        }

        private void handle(HttpExchange exchange) throws IOException {
            long arrived = System.nanoTime();
            String path = exchange.getRequestURI().getPath().substring("/api/".length());
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String body = new String(raw, StandardCharsets.UTF_8);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            boolean digest = ("sha-256=:" + Base64.getEncoder().encodeToString(sha256(raw)) + ":")
                    .equals(exchange.getRequestHeaders().getFirst("Content-Digest"));
            boolean authorized = ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                    && API_KEY.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))
                    && "acme".equals(exchange.getRequestHeaders().getFirst("X-Tenant"))
                    && "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            int n = counters.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            int status;
            String answer;
            Map<String, String> headers = new HashMap<>();
            if (!authorized) {
                status = 401;
                answer = "{\"error\": \"unauthorized\"}";
            } else if (path.startsWith("slow/")) {
                requests.add(new Request(path, key, arrived, 0, digest, authorized));
                try {
                    held.await(300, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                respond(exchange, 200, "{}", headers);
                return;
            } else if (path.startsWith("flaky/") && n == 5) {
                status = 429;
                answer = "{\"error\": \"slow down\"}";
                headers.put("Retry-After", "1");
            } else if (path.startsWith("flaky/") && n % 3 == 0 && n <= 24) {
                if (n % 2 == 0) {
                    keep(path, key, body);
                }
                status = 500;
                answer = "{\"error\": \"try again\"}";
            } else if (path.startsWith("poison/") && body.contains("\"poison\"")) {
                status = 400;
                answer = "{\"error\": \"row 14 is invalid\", \"you_sent\": \"" + exchange.getRequestHeaders().getFirst("Authorization") + "\"}";
            } else {
                status = keep(path, key, body);
                answer = "{\"ok\": true}";
            }
            requests.add(new Request(path, key, arrived, status, digest, authorized));
            respond(exchange, status, answer, headers);
        }

        /** Keeps the batch unless its key is known: 200 either way, 422 for a known key with another body. */
        private synchronized int keep(String path, String key, String body) {
            Map<String, String> batches = kept.computeIfAbsent(path, p -> new ConcurrentHashMap<>());
            String earlier = batches.putIfAbsent(key, body);
            if (earlier == null) {
                return 200;
            }
            if (!earlier.equals(body)) {
                return 422;
            }
            duplicates.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            return 200;
        }

        private static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (IOException e) {
                // The worker gave up on the request (a cancel); nothing to answer.
            } finally {
                exchange.close();
            }
        }

        List<Request> requestsTo(String path) {
            synchronized (requests) {
                return requests.stream().filter(r -> r.path.equals(path)).toList();
            }
        }

        Map<String, String> keptBodies(String path) {
            return Map.copyOf(kept.getOrDefault(path, Map.of()));
        }

        List<JsonNode> rowsOf(String path) throws IOException {
            List<JsonNode> rows = new ArrayList<>();
            for (String body : keptBodies(path).values()) {
                JSON.readTree(body).get("rows").forEach(rows::add);
            }
            return rows;
        }

        int duplicates(String path) {
            return duplicates.getOrDefault(path, new AtomicInteger()).get();
        }

        @Override
        public void close() {
            held.countDown();
            server.stop(0);
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private static ConnectionSpec destination(Map<String, SealedValue> secrets) {
        return new ConnectionSpec("dst", "http", null, null, null, null, receiver.baseUrl(), Map.of("X-Tenant", "acme"), secrets);
    }

    private static SealedValue seal(String value) {
        return WorkerRuns.keyring().seal(value);
    }

    private static LaunchCommand command(List<String> queries, int batchSize, ConnectionSpec destination, int taskAttempts) {
        var pg = TestInfrastructure.shared().tenant();
        ConnectionSpec source = new ConnectionSpec("src", "postgresql", pg.jdbcUrl(SOURCE), pg.username(), seal("unused-with-trust-auth"));
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            tasks.add(new TaskSpec("task-" + i, i, queries.get(i)));
        }
        ReplicationSpec spec = new ReplicationSpec(null, "", false, false, false, false, "HARD_DELETE", null, null, null, batchSize, true);
        return LaunchCommand.builder().run(UUID.randomUUID().toString(), 1, "ws").job("job-retl", "reverse-etl", "REVERSE_ETL", false)
                .launch("manual", Instant.now(), Instant.now(), Map.of()).tasks(tasks)
                .settings(new RunSettings(false, 1, null, taskAttempts, 1, 3)).destination(destination).source(source)
                .replication(spec).build();
    }

    private static LaunchCommand withContinueOnError(LaunchCommand l) {
        return l.toBuilder().job(l.jobId(), l.jobName(), l.jobType(), true).build();
    }

    private static void cancel(String runId) {
        WorkerRuns.send(Topics.CONTROL, EventTypes.CANCEL, runId, new CancelCommand(runId, "ws", Instant.now(), null, "tester", null));
    }

    private static RunFinished awaitFinished(String runId, int attempt) {
        return awaitFinished(runId, attempt, Duration.ofSeconds(120));
    }

    private static RunFinished awaitFinished(String runId, int attempt, Duration within) {
        return await().atMost(within).until(() -> runs.eventsOf(runId).stream()
                .filter(e -> e.type().equals(EventTypes.RUN_FINISHED)).map(e -> e.dataAs(RunFinished.class))
                .filter(f -> f.attempt() == attempt).findFirst().orElse(null), f -> f != null);
    }

    private static List<TaskFinished> tasksOf(String runId, int attempt) {
        return runs.tasksOf(runId).stream().filter(t -> t.attempt() == attempt).toList();
    }

    private static List<RunLog> logOf(String runId, int attempt) {
        return runs.logOf(runId).stream().filter(l -> l.attempt() == attempt).toList();
    }

    private static List<TaskProgress> progressOf(String runId) {
        return runs.eventsOf(runId).stream().filter(e -> e.type().equals(EventTypes.TASK_PROGRESS))
                .map(e -> e.dataAs(TaskProgress.class)).filter(p -> p.attempt() == 1).toList();
    }

    /** The path of the task a log line belongs to. */
    private static String pathOfTask(RunLog line, LaunchCommand launch) {
        String query = launch.tasks().stream().filter(t -> t.taskId().equals(line.taskId())).findFirst().orElseThrow().query();
        return query.substring(query.indexOf('[') + 1, query.indexOf(']'));
    }

    /** No event of the run, log lines included, carries a secret of the destination. */
    private static void assertNoSecretIn(String runId) {
        List<String> raw = runs.recorder().values(runId);
        assertFalse(raw.isEmpty());
        for (String event : raw) {
            assertFalse(event.contains(TOKEN) || event.contains(API_KEY), "a secret leaked into " + event);
        }
        assertTrue(runs.eventsOf(runId).stream().map(CloudEvent::type).anyMatch(EventTypes.RUN_LOG::equals), "log lines were checked");
    }

    private static int indexOf(List<Request> requests, int status) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).status == status) {
                return i;
            }
        }
        throw new AssertionError("no request was answered " + status + ": " + statuses(requests));
    }

    private static List<Integer> statuses(List<Request> requests) {
        return requests.stream().map(Request::status).toList();
    }

    private static void sql(String sql) throws SQLException {
        var pg = TestInfrastructure.shared().tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(SOURCE), pg.username(), pg.password())) {
            c.createStatement().execute(sql);
        }
    }

    private static List<String> column(String sql) throws SQLException {
        var pg = TestInfrastructure.shared().tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(SOURCE), pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
