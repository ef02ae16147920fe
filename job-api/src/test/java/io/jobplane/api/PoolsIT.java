package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.MetricsScrape;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Pools and priority against the real broker and database: the test plays the workers (it starts and
 * ends runs by sending their events) and reads the launch commands job-api sends, so a run holds its
 * pool's slots exactly as long as the test says.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class PoolsIT {

    private static TopicRecorder commands;

    @BeforeAll
    static void record() {
        commands = TopicRecorder.record(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS);
    }

    @AfterAll
    static void stop() {
        commands.close();
    }

    @Test
    void poolsAreValidatedAndAPoolAJobNamesCannotBeDeletedOrShrunkBelowIt() {
        String ws = uniqueWorkspace();
        as(ws, "admin").body(Map.of("slots", 2, "description", "the warehouse")).put(pool(ws, "warehouse"))
                .then().statusCode(201).body("name", equalTo("warehouse")).body("slots", equalTo(2))
                .body("slots_in_use", equalTo(0));
        as(ws, "admin").body(Map.of("slots", 3)).put(pool(ws, "warehouse")).then().statusCode(200).body("slots", equalTo(3));
        as(ws, "viewer").get(pool(ws, "warehouse")).then().statusCode(200).body("slots", equalTo(3));
        as(ws, "viewer").get("/api/v1/workspaces/" + ws + "/pools").then().statusCode(200).body("name", equalTo(List.of("warehouse")));

        as(ws, "admin").body(Map.of("slots", 0)).put(pool(ws, "p")).then().statusCode(400).body("error_code", equalTo("VALIDATION_FAILED"));
        as(ws, "admin").body(Map.of("slots", 10_001)).put(pool(ws, "p")).then().statusCode(400)
                .body("error_code", equalTo("VALIDATION_FAILED"));
        as(ws, "admin").body(Map.of("description", "no slots")).put(pool(ws, "p")).then().statusCode(400)
                .body("error_code", equalTo("VALIDATION_FAILED"));
        as(ws, "admin").body(Map.of("slots", 1)).put(pool(ws, "-bad")).then().statusCode(400)
                .body("error_code", equalTo("INVALID_POOL_NAME")).body("error_msg", org.hamcrest.Matchers.notNullValue());
        as(ws, "viewer").get(pool(ws, "missing")).then().statusCode(404).body("error_code", equalTo("POOL_NOT_FOUND"));
        as(ws, "admin").delete(pool(ws, "missing")).then().statusCode(404).body("error_code", equalTo("POOL_NOT_FOUND"));

        String connection = connection(ws, "db");
        jobBody(ws, "nowhere", connection, Map.of("pool", "missing")).then().statusCode(400).body("error_code", equalTo("POOL_NOT_FOUND"));
        jobBody(ws, "greedy", connection, Map.of("pool", "warehouse", "pool_slots", 4)).then().statusCode(400)
                .body("error_code", equalTo("INVALID_SETTING"));
        jobBody(ws, "poolless", connection, Map.of("pool_slots", 1)).then().statusCode(400).body("error_code", equalTo("INVALID_SETTING"));
        jobBody(ws, "loud", connection, Map.of("priority", 101)).then().statusCode(400).body("error_code", equalTo("VALIDATION_FAILED"));
        jobBody(ws, "user", connection, Map.of("pool", "warehouse", "pool_slots", 2)).then().statusCode(201)
                .body("execution.pool", equalTo("warehouse")).body("execution.pool_slots", equalTo(2));

        as(ws, "admin").delete(pool(ws, "warehouse")).then().statusCode(409).body("error_code", equalTo("POOL_IN_USE"))
                .body("error_msg", org.hamcrest.Matchers.containsString("user"));
        as(ws, "admin").body(Map.of("slots", 1)).put(pool(ws, "warehouse")).then().statusCode(409)
                .body("error_code", equalTo("POOL_TOO_SMALL"));
        as(ws, "admin").body(Map.of("slots", 1)).put(pool(ws, "spare")).then().statusCode(201);
        as(ws, "admin").delete(pool(ws, "spare")).then().statusCode(204);
        as(ws, "viewer").get(pool(ws, "spare")).then().statusCode(404);
        as(ws, "admin").get("/api/v1/workspaces/" + ws + "/audit").then().statusCode(200)
                .body("action", hasItem("pool.created")).body("action", hasItem("pool.updated")).body("action", hasItem("pool.deleted"));
    }

    @Test
    void twoJobsSharingAPoolOfOneSlotRunOneAtATimeAndOtherPoolsAreNotHeldUp() {
        String ws = uniqueWorkspace();
        putPool(ws, "single", 1);
        putPool(ws, "elsewhere", 1);
        String connection = connection(ws, "db");
        String first = job(ws, "first", connection, Map.of("pool", "single"));
        String second = job(ws, "second", connection, Map.of("pool", "single"));
        String other = job(ws, "other", connection, Map.of("pool", "elsewhere"));

        String a = launch(ws, first, Map.of());
        awaitLaunched(a);
        String b = launch(ws, second, Map.of());
        String c = launch(ws, other, Map.of());
        awaitLaunched(c);
        assertTrue(commands.values(b).isEmpty(), "b waits for a's slot");
        run(ws, b).body("status", equalTo("QUEUED")).body("blocked_by", equalTo(List.of("POOL:single")))
                .body("queue_position", equalTo(1));
        as(ws, "viewer").get(pool(ws, "single")).then().body("slots_in_use", equalTo(1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(MetricsScrape.parse(io.restassured.RestAssured
                .given().get("/q/metrics").then().statusCode(200).extract().asString())
                .sum("jobplane_runs_waiting", Map.of("reason", "pool")) >= 1, "b is counted waiting for its pool"));

        ends(a, Instant.now().minusSeconds(5), Instant.now(), RunStatus.SUCCESS);
        awaitLaunched(b);
        run(ws, b).body("blocked_by", org.hamcrest.Matchers.nullValue()).body("queue_position", org.hamcrest.Matchers.nullValue());
        String d = launch(ws, first, Map.of());
        run(ws, d).body("blocked_by", equalTo(List.of("POOL:single")));
        assertTrue(commands.values(d).isEmpty(), "d waits for b's slot");
        ends(b, Instant.now().minusSeconds(5), Instant.now(), RunStatus.FAILED);
        awaitLaunched(d);
    }

    @Test
    void higherPrioritiesAreAdmittedFirstThenLaunchOrder() {
        String ws = uniqueWorkspace();
        putPool(ws, "narrow", 1);
        String connection = connection(ws, "db");
        String job = job(ws, "queued", connection, Map.of("pool", "narrow"));
        String urgentJob = job(ws, "urgent", connection, Map.of("pool", "narrow", "priority", 50));

        String holder = launch(ws, job, Map.of());
        awaitLaunched(holder);
        String low = launch(ws, job, Map.of("priority", -5));
        String normal = launch(ws, job, Map.of());
        String high = launch(ws, job, Map.of("priority", 50));
        String urgent = launch(ws, urgentJob, Map.of());
        as(ws, "operator").body(Map.of("priority", 101)).post(jobPath(ws, job) + "/runs").then().statusCode(400)
                .body("error_code", equalTo("VALIDATION_FAILED"));

        run(ws, high).body("queue_position", equalTo(1));
        run(ws, urgent).body("queue_position", equalTo(2)).body("blocked_by", equalTo(List.of("POOL:narrow")));
        run(ws, normal).body("queue_position", equalTo(3));
        run(ws, low).body("queue_position", equalTo(4));

        String previous = holder;
        for (String next : List.of(high, urgent, normal, low)) {
            ends(previous, Instant.now().minusSeconds(1), Instant.now(), RunStatus.SUCCESS);
            awaitLaunched(next);
            for (String later : List.of(high, urgent, normal, low).subList(List.of(high, urgent, normal, low).indexOf(next) + 1, 4)) {
                assertTrue(commands.values(later).isEmpty(), later + " waits behind " + next);
            }
            previous = next;
        }
    }

    @Test
    void aQueuedRunSaysWhyItWaitsWhereItStandsAndWhenItMayStart() {
        String ws = uniqueWorkspace();
        putPool(ws, "timed", 1);
        String connection = connection(ws, "db");
        String job = job(ws, "timed", connection, Map.of("pool", "timed"));
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        // One ended run that took 60 s: the job's median.
        String past = launch(ws, job, Map.of());
        awaitLaunched(past);
        ends(past, t0.minusSeconds(120), t0.minusSeconds(60), RunStatus.SUCCESS);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> run(ws, past).body("status", equalTo("SUCCESS")));

        String holder = launch(ws, job, Map.of());
        awaitLaunched(holder);
        starts(holder, t0);
        String next = launch(ws, job, Map.of());
        String after = launch(ws, job, Map.of());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> run(ws, next).body("status", equalTo("QUEUED"))
                .body("blocked_by", equalTo(List.of("POOL:timed"))).body("queue_position", equalTo(1))
                .body("estimated_start_at", equalTo(t0.plusSeconds(60).toString())));
        run(ws, after).body("queue_position", equalTo(2))
                .body("estimated_start_at", equalTo(t0.plusSeconds(120).toString()));

        Instant until = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        as(ws, "admin").body(Map.of("until", until.toString(), "mode", "WAIT", "reason", "release"))
                .put("/api/v1/workspaces/" + ws + "/freeze").then().statusCode(200);
        run(ws, next).body("blocked_by", equalTo(List.of("FROZEN", "POOL:timed")))
                .body("estimated_start_at", equalTo(until.toString()));
        as(ws, "admin").delete("/api/v1/workspaces/" + ws + "/freeze").then().statusCode(204);

        ends(holder, t0, Instant.now(), RunStatus.SUCCESS);
        awaitLaunched(next);
        run(ws, after).body("queue_position", equalTo(1)).body("blocked_by", equalTo(List.of("POOL:timed")));
        ends(next, Instant.now().minusSeconds(1), Instant.now(), RunStatus.SUCCESS);
        awaitLaunched(after);
    }

    // --- fixtures --------------------------------------------------------------------------------

    private static String pool(String ws, String name) {
        return "/api/v1/workspaces/" + ws + "/pools/" + name;
    }

    private static void putPool(String ws, String name, int slots) {
        as(ws, "admin").body(Map.of("slots", slots)).put(pool(ws, name)).then().statusCode(201);
    }

    private static String connection(String ws, String name) {
        return as(ws, "editor").body(postgresConnection(name, "pw")).post("/api/v1/workspaces/{ws}/connections", ws)
                .then().statusCode(201).extract().path("connection_id");
    }

    private static io.restassured.response.Response jobBody(String ws, String name, String connection, Map<String, Object> execution) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE", "destination_connection_id",
                connection, "tasks", List.of(Map.of("query", "select 1")), "execution", execution));
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws);
    }

    private static String job(String ws, String name, String connection, Map<String, Object> execution) {
        return jobBody(ws, name, connection, execution).then().statusCode(201).extract().path("job_id");
    }

    private static String launch(String ws, String job, Map<String, Object> options) {
        return as(ws, "operator").body(options).post(jobPath(ws, job) + "/runs").then().statusCode(202).extract().path("run_id");
    }

    private static String jobPath(String ws, String job) {
        return "/api/v1/workspaces/" + ws + "/jobs/" + job;
    }

    private static ValidatableResponse run(String ws, String run) {
        return as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, run).then().statusCode(200);
    }

    private static void awaitLaunched(String run) {
        await().atMost(Duration.ofSeconds(30)).until(() -> commands.values(run).stream().map(EventCodec::decode)
                .anyMatch(e -> e.type().equals(EventTypes.LAUNCH)));
    }

    /** The worker's start of attempt 1 at {@code at}. */
    private static void starts(String run, Instant at) {
        send(run, EventTypes.RUN_STARTED, new RunStarted(run, 1, "ws", "job", "w1", at));
    }

    /** The worker's start and end of attempt 1, at these times. */
    private static void ends(String run, Instant started, Instant finished, RunStatus end) {
        starts(run, started);
        send(run, EventTypes.RUN_FINISHED, new RunFinished(run, 1, "ws", "job", end,
                end == RunStatus.SUCCESS ? null : "it ended " + end, finished, end == RunStatus.SUCCESS ? null : end.name(), "w1"));
    }

    private static void send(String run, String type, Object payload) {
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, run,
                EventCodec.encode(CloudEvent.of("/test/worker", type, run, payload)));
    }
}
