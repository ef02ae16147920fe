package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.jobplane.api.RunLaunchIT.count;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunHeartbeat;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Backfills, against the real broker and database: one run per tick with its execution date, never
 * more active than the job's max_active_runs, cancelled as a whole; bad ranges change nothing. The
 * test plays the worker by sending the events a worker sends.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class BackfillIT {

    private static final List<String> HOURS = List.of("2026-01-01T00:00:00Z", "2026-01-01T06:00:00Z",
            "2026-01-01T12:00:00Z", "2026-01-01T18:00:00Z", "2026-01-02T00:00:00Z");

    @Test
    void aBackfillRunsEachTickWithinTheJobsLimitAndIsCancelledAsAWhole() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "six-hourly", Map.of("enabled", false, "cron", "0 */6 * * *"));
        ValidatableResponse created = as(ws, "operator").body(Map.of("from", HOURS.get(0), "to", HOURS.get(4)))
                .post(ScheduleIT.path(ws, job) + "/backfill").then().statusCode(202)
                .header("Location", containsString("/backfills/"))
                .body("status", equalTo("RUNNING")).body("runs", hasSize(5))
                .body("runs.execution_date", equalTo(HOURS));
        String backfill = created.extract().path("backfill_id");
        List<String> runs = created.extract().path("runs.run_id");
        assertEquals(5, count("select count(*) from api.run where backfill_id = '" + backfill
                + "' and trigger = 'backfill' and requested_by = 'tester'"));
        assertEquals(2, active(backfill), "max_active_runs of the job");
        assertEquals(3, count("select count(*) from api.run where backfill_id = '" + backfill + "' and state = 'QUEUED'"));

        // The first run ends: the next tick's run takes its slot, and never more than two are active.
        String first = runs.get(0);
        workerRuns(first, RunStatus.SUCCESS);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(first).equals("SUCCESS") && active(backfill) == 2);
        assertEquals("DISPATCHED", state(runs.get(2)), "runs start in tick order");

        ValidatableResponse cancelled = as(ws, "operator").post("/api/v1/workspaces/{ws}/backfills/{id}/cancel", ws, backfill)
                .then().statusCode(202).body("status", equalTo("CANCELLED")).body("cancelled_by", equalTo("tester"));
        cancelled.body("run_counts.SUCCESS", equalTo(1)).body("run_counts.CANCELLING", equalTo(2))
                .body("run_counts.STOPPED", equalTo(2));
        assertEquals("SUCCESS", state(first), "an ended run stays as it ended");
        for (String queued : runs.subList(3, 5)) {
            assertEquals("STOPPED", state(queued));
        }
        workerRuns(runs.get(1), RunStatus.STOPPED);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(runs.get(1)).equals("STOPPED"));
        assertEquals(0, count("select count(*) from api.run where backfill_id = '" + backfill + "' and state = 'QUEUED'"),
                "a freed slot admits none of a cancelled backfill's runs");
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/backfills/{id}", ws, backfill).then().statusCode(200)
                .body("status", equalTo("CANCELLED")).body("runs.execution_date", equalTo(HOURS))
                .body("runs[0].status", equalTo("SUCCESS")).body("runs[4].status", equalTo("STOPPED"));
        as(ws, "operator").post("/api/v1/workspaces/{ws}/backfills/{id}/cancel", ws, backfill).then().statusCode(202)
                .body("status", equalTo("CANCELLED"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then()
                .body("find { it.action == 'backfill.created' }.details.runs", equalTo(5))
                .body("find { it.action == 'backfill.cancelled' }.object_id", equalTo(backfill));
    }

    @Test
    void aBackfillWhoseRunsAllEndedCannotBeCancelledAndOtherWorkspacesDoNotSeeIt() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "daily", Map.of("cron", "0 0 * * *"));
        String backfill = as(ws, "operator").body(Map.of("from", "2026-02-01T00:00:00Z", "to", "2026-02-01T00:00:00Z"))
                .post(ScheduleIT.path(ws, job) + "/backfill").then().statusCode(202).body("runs", hasSize(1))
                .extract().path("backfill_id");
        String run = as(ws, "viewer").get("/api/v1/workspaces/{ws}/backfills/{id}", ws, backfill).then()
                .extract().path("runs[0].run_id");
        workerRuns(run, RunStatus.SUCCESS);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/backfills/{id}", ws, backfill).then().body("status", equalTo("SUCCESS")));
        as(ws, "operator").post("/api/v1/workspaces/{ws}/backfills/{id}/cancel", ws, backfill).then().statusCode(409)
                .body("error_code", equalTo("BACKFILL_ENDED"));
        String other = uniqueWorkspace();
        as(other, "admin").get("/api/v1/workspaces/{ws}/backfills/{id}", other, backfill).then().statusCode(404)
                .body("error_code", equalTo("BACKFILL_NOT_FOUND"));
    }

    @Test
    void badBackfillsAnswer400AndLaunchNothing() throws Exception {
        String ws = uniqueWorkspace();
        String minutely = job(ws, "minutely", Map.of("cron", "* * * * *"));
        String unscheduled = job(ws, "unscheduled", null);
        refused(ws, minutely, Map.of("from", "2026-01-02T00:00:00Z", "to", "2026-01-01T00:00:00Z"), 400, "INVALID_BACKFILL_RANGE");
        refused(ws, minutely, Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-02T00:00:00Z"), 400, "BACKFILL_TOO_LARGE");
        refused(ws, minutely, Map.of("from", "2026-01-01T00:00:01Z", "to", "2026-01-01T00:00:59Z"), 400, "BACKFILL_RANGE_EMPTY");
        refused(ws, minutely, Map.of("from", "2026-01-01T00:00:00Z"), 400, "VALIDATION_FAILED");
        refused(ws, minutely, Map.of("from", "yesterday", "to", "2026-01-01T00:00:00Z"), 400, null);
        refused(ws, unscheduled, Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-01T01:00:00Z"), 400, "JOB_NOT_SCHEDULED");
        as(ws, "editor").body(Map.of("status", "DISABLED")).put(ScheduleIT.path(ws, minutely)).then().statusCode(200);
        refused(ws, minutely, Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-01T01:00:00Z"), 409, "JOB_NOT_ACTIVE");
        as(ws, "viewer").body(Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-01T01:00:00Z"))
                .post(ScheduleIT.path(ws, minutely) + "/backfill").then().statusCode(403);
        assertEquals(0, count("select count(*) from api.run where job_id in ('" + minutely + "', '" + unscheduled + "')"));
        assertEquals(0, count("select count(*) from api.backfill where job_id in ('" + minutely + "', '" + unscheduled + "')"));
        // The largest range that fits: exactly the cap.
        as(ws, "editor").body(Map.of("status", "ACTIVE")).put(ScheduleIT.path(ws, minutely)).then().statusCode(200);
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        as(ws, "operator").body(Map.of("from", from.toString(), "to", from.plusSeconds(999 * 60).toString()))
                .post(ScheduleIT.path(ws, minutely) + "/backfill").then().statusCode(202).body("runs", hasSize(1000));
    }

    private static void refused(String ws, String job, Map<String, Object> body, int status, String code) {
        ValidatableResponse r = as(ws, "operator").body(body).post(ScheduleIT.path(ws, job) + "/backfill").then()
                .statusCode(status);
        if (code != null) {
            r.body("error_code", equalTo(code));
        }
        String solution = r.extract().path("solution_msg");
        assertTrue(solution != null && !solution.isBlank(), "every refusal says how to fix it");
    }

    private static long active(String backfill) throws Exception {
        return count("select count(*) from api.run where backfill_id = '" + backfill
                + "' and state in ('DISPATCHED', 'RUNNING', 'CANCELLING')");
    }

    private static String state(String run) throws Exception {
        return ApiTestSupport.storedValue("select state from api.run where id = ?::uuid", run);
    }

    private static String job(String ws, String name, Map<String, Object> schedule) {
        String connection = as(ws, "editor").body(postgresConnection(name + "-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connection, "tasks", List.of(Map.of("query", "select 1")),
                "execution", Map.of("max_active_runs", 2)));
        if (schedule != null) {
            body.put("schedule", schedule);
        }
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }

    /** What a worker sends for a run it starts and ends. */
    private static void workerRuns(String run, RunStatus end) {
        workerRuns(run, end, Instant.now(), Instant.now());
    }

    /** What a worker sends for a run it started and ended at the given times. */
    static void workerRuns(String run, RunStatus end, Instant started, Instant finished) {
        List<Object[]> events = new ArrayList<>();
        events.add(new Object[] { EventTypes.RUN_HEARTBEAT, new RunHeartbeat(run, 1, "ws", "job", "w1", "ACCEPTED", started) });
        events.add(new Object[] { EventTypes.RUN_STARTED, new RunStarted(run, 1, "ws", "job", "w1", started) });
        events.add(new Object[] { EventTypes.RUN_FINISHED, new RunFinished(run, 1, "ws", "job", end,
                end == RunStatus.SUCCESS ? null : "it ended " + end, finished, end == RunStatus.SUCCESS ? null : end.name(), "w1") });
        for (Object[] e : events) {
            TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, run,
                    EventCodec.encode(CloudEvent.of("/test/worker", (String) e[0], run, e[1])));
        }
    }
}
