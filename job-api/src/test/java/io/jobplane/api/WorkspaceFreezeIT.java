package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A workspace's freeze window against the real database and broker: what launches do while it lasts, and after. */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class WorkspaceFreezeIT {

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
    void aWaitFreezeHoldsLaunchesQueuedAndAdmitsThemByItselfAtItsEnd() {
        String ws = uniqueWorkspace();
        String job = job(ws);
        Instant until = Instant.now().plusSeconds(4);
        as(ws, "admin").body(Map.of("until", until.toString(), "mode", "WAIT", "reason", "year-end close"))
                .put("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(200).body("active", equalTo(true))
                .body("mode", equalTo("WAIT")).body("reason", equalTo("year-end close"));

        String run = launch(ws, job);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, run).then().body("status", equalTo("QUEUED"));

        await().atMost(Duration.ofSeconds(30)).until(() -> dispatched(run));
        Instant admitted = commands.values(run).stream().map(EventCodec::decode)
                .filter(e -> e.type().equals(EventTypes.LAUNCH)).findFirst().orElseThrow().time();
        assertTrue(!admitted.isBefore(until), "admitted at " + admitted + ", only once the freeze ended at " + until);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void aRefuseFreezeRefusesLaunchesUntilAnAdminEndsIt() {
        String ws = uniqueWorkspace();
        String job = job(ws);
        Instant until = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        as(ws, "operator").body(Map.of("until", until.toString(), "mode", "REFUSE", "reason", "migration"))
                .put("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(403);
        as(ws, "admin").body(Map.of("until", until.toString(), "mode", "REFUSE", "reason", "migration"))
                .put("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(200).body("until", equalTo(until.toString()));

        as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, job).then().statusCode(409)
                .body("error_code", equalTo("WORKSPACE_FROZEN")).body(containsString(until.toString()))
                .body(containsString("migration")).body(containsString("/freeze"));
        as(uniqueWorkspace(), "admin").get("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(404);

        as(ws, "admin").delete("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(204);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(404)
                .body("error_code", equalTo("FREEZE_NOT_FOUND"));
        String run = launch(ws, job);
        await().atMost(Duration.ofSeconds(30)).until(() -> dispatched(run));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body("action", hasItems("workspace.frozen", "workspace.unfrozen"));
    }

    @Test
    void endingAWaitFreezeEarlyAdmitsTheRunsItHeld() {
        String ws = uniqueWorkspace();
        String job = job(ws);
        as(ws, "admin").body(Map.of("until", Instant.now().plus(Duration.ofHours(1)).toString(), "mode", "WAIT",
                "reason", "release")).put("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(200);
        String run = launch(ws, job);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, run).then().body("status", equalTo("QUEUED"));
        assertTrue(!dispatched(run), "held while frozen");

        as(ws, "admin").delete("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> dispatched(run));
    }

    @Test
    void badWindowsAreRefusedWithTheirCode() {
        String ws = uniqueWorkspace();
        Instant now = Instant.now();
        as(ws, "admin").body(Map.of("from", now.minusSeconds(7200).toString(), "until", now.minusSeconds(60).toString(),
                "mode", "WAIT", "reason", "past")).put("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(400)
                .body("error_code", equalTo("INVALID_FREEZE_WINDOW"));
        as(ws, "admin").body(Map.of("until", now.plusSeconds(60).toString(), "reason", "no mode"))
                .put("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(400).body("error_code", equalTo("VALIDATION_FAILED"));
        as(ws, "admin").body(Map.of("until", now.plusSeconds(60).toString(), "mode", "SOMETIMES", "reason", "bad mode"))
                .put("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(400);
    }

    private static boolean dispatched(String run) {
        return commands.values(run).stream().map(EventCodec::decode).anyMatch(e -> e.type().equals(EventTypes.LAUNCH));
    }

    private static String job(String ws) {
        String connection = as(ws, "editor").body(postgresConnection("frozen-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        return as(ws, "editor").body(Map.of("name", "frozen", "type", "TABLE_TO_TABLE", "destination_connection_id", connection,
                "tasks", List.of(Map.of("query", "select 1", "is_active", true))))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }

    private static String launch(String ws, String job) {
        return as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, job).then().statusCode(202)
                .extract().path("run_id");
    }
}
