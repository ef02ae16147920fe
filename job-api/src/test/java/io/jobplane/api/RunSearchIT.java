package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.jobplane.api.RunLaunchIT.count;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.RunStatus;
import io.jobplane.stack.DevTokens;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * GET /runs searches every run of a workspace: each filter alone and combined, tags given at launch,
 * cursor paging while runs are being launched, bad input, and other workspaces. The test plays the
 * worker by sending the events a worker sends, with the times it started and ended.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class RunSearchIT {

    private static final String[] TIMES = { "2026-01-01T00:00:00Z", "2026-01-01T12:00:00Z" };

    @Test
    void everyFilterAloneAndCombinedFindsExactlyTheRunsItNames() throws Exception {
        String ws = uniqueWorkspace();
        String alpha = job(ws, "alpha", List.of("finance", "nightly"), null);
        String beta = job(ws, "beta", List.of("finance"), null);
        String gamma = job(ws, "gamma", List.of(), Map.of("enabled", false, "cron", "0 */12 * * *"));

        String a1 = launch(ws, "tester", alpha, Map.of("team", "data", "ticket", "OPS-1"));
        String a2 = launch(ws, "alice", alpha, Map.of("team", "data"));
        Instant afterA2 = Instant.now();
        String b1 = launch(ws, "tester", beta, null);
        List<String> backfill = as(ws, "operator").body(Map.of("from", TIMES[0], "to", TIMES[1]))
                .post("/api/v1/workspaces/{ws}/jobs/{job}/backfill", ws, gamma).then().statusCode(202)
                .extract().path("runs.run_id");
        assertEquals(2, backfill.size());

        Instant now = Instant.now();
        BackfillIT.workerRuns(a1, RunStatus.SUCCESS, now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(2)));
        BackfillIT.workerRuns(a2, RunStatus.FAILED, now.minus(Duration.ofMinutes(30)), now.minus(Duration.ofMinutes(10)));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from api.run where id in ('" + a1 + "', '"
                + a2 + "') and state in ('SUCCESS', 'FAILED') and finished_at is not null") == 2);

        // Newest first by queued time: the backfill's runs, then b1, a2, a1.
        List<String> everything = ids(search(ws, ""));
        assertEquals(Set.copyOf(backfill), Set.copyOf(everything.subList(0, 2)));
        assertEquals(List.of(b1, a2, a1), everything.subList(2, 5));

        assertEquals(List.of(a2, a1), ids(search(ws, "job_id=" + alpha)));
        assertEquals(List.of(b1, a2, a1), ids(search(ws, "job_id=" + alpha + "&job_id=" + beta)));
        assertEquals(List.of(a1), ids(search(ws, "status=SUCCESS")));
        assertEquals(List.of(a2, a1), ids(search(ws, "status=failed&status=SUCCESS")));
        assertEquals(Set.of(b1, backfill.get(0), backfill.get(1)), Set.copyOf(ids(search(ws, "status=QUEUED"))));
        assertEquals(Set.copyOf(backfill), Set.copyOf(ids(search(ws, "trigger=backfill"))));
        assertEquals(List.of(b1, a2, a1), ids(search(ws, "trigger=manual")));
        assertEquals(List.of(), ids(search(ws, "trigger=schedule")));
        assertEquals(List.of(b1, a2, a1), ids(search(ws, "label=finance")));
        assertEquals(List.of(a2, a1), ids(search(ws, "label=finance&label=nightly")));
        assertEquals(List.of(a2, a1), ids(search(ws, "tag=team:data")));
        assertEquals(List.of(a1), ids(search(ws, "tag=team:data&tag=ticket:OPS-1")));
        assertEquals(List.of(), ids(search(ws, "tag=team:other")));
        assertEquals(List.of(a2), ids(search(ws, "requested_by=alice")));
        assertEquals(List.of(b1, a1), ids(search(ws, "requested_by=tester&trigger=manual")));
        String hourAgo = now.minus(Duration.ofHours(1)).toString();
        assertEquals(List.of(a1), ids(search(ws, "started_before=" + hourAgo)));
        assertEquals(List.of(a2), ids(search(ws, "started_after=" + hourAgo)));
        assertEquals(List.of(a2), ids(search(ws, "finished_after=" + hourAgo)));
        assertEquals(List.of(a1), ids(search(ws, "finished_before=" + hourAgo + "&finished_after="
                + now.minus(Duration.ofDays(1)))));
        assertEquals(List.of(a2, a1), ids(search(ws, "queued_before=" + afterA2)));
        assertTrue(ids(search(ws, "queued_after=" + afterA2)).containsAll(List.of(b1, backfill.get(0), backfill.get(1))));
        assertEquals(List.of(a2), ids(search(ws, "job_id=" + alpha + "&status=FAILED&tag=team:data&requested_by=alice"
                + "&label=nightly&trigger=manual&finished_after=" + hourAgo)));
        assertEquals(List.of(), ids(search(ws, "job_id=" + beta + "&status=FAILED")));

        // The run view: the same as a status read, tags included, no per-task detail.
        Response one = search(ws, "tag=ticket:OPS-1");
        one.then().body("runs[0].status", equalTo("SUCCESS")).body("runs[0].job_name", equalTo("alpha"))
                .body("runs[0].tags", equalTo(Map.of("team", "data", "ticket", "OPS-1")))
                .body("runs[0].trigger", equalTo("manual")).body("runs[0].queued_at", notNullValue())
                .body("runs[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("tasks")));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", ws, a1).then().statusCode(200)
                .body("tags", equalTo(Map.of("team", "data", "ticket", "OPS-1")));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", ws, b1).then().statusCode(200)
                .body("tags", equalTo(Map.of()));

        // Another workspace sees none of these runs, and cannot ask for this one's.
        String other = uniqueWorkspace();
        job(other, "alpha", List.of("finance"), null);
        assertEquals(List.of(), ids(search(other, "")));
        String foreign = DevTokens.mint(TestInfrastructure.shared().keys().privateKey(), "tester", Map.of(other, "admin"),
                Duration.ofMinutes(10));
        given().auth().oauth2(foreign).get("/api/v1/workspaces/{ws}/runs", ws).then().statusCode(404)
                .body("error_code", equalTo("WORKSPACE_NOT_FOUND"));
        given().get("/api/v1/workspaces/{ws}/runs", ws).then().statusCode(401);
    }

    @Test
    void badFiltersAndBadTagsAreRefusedWithACodeAndAFix() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "tagged", List.of(), null);
        Map<String, String> tooMany = new LinkedHashMap<>();
        for (int i = 0; i < 21; i++) {
            tooMany.put("k" + i, "v");
        }
        List<Map<String, String>> bad = List.of(tooMany, Map.of("bad key", "v"), Map.of("k:colon", "v"),
                Map.of("k".repeat(64), "v"), Map.of("k", "v".repeat(257)), Map.of("k", "line\nbreak"));
        for (Map<String, String> tags : bad) {
            as(ws, "operator").body(Map.of("tags", tags)).post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, job)
                    .then().statusCode(400).body("error_code", equalTo("VALIDATION_FAILED"))
                    .body("error_msg", notNullValue()).body("solution_msg", notNullValue());
        }
        assertEquals(0, count("select count(*) from api.run where job_id = '" + job + "'"), "nothing written");
        assertEquals(0, count("select count(*) from api.outbox where message_key in (select id::text from api.run where job_id = '"
                + job + "')"));
        Map<String, String> twenty = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            twenty.put("k." + i, "v".repeat(256));
        }
        launch(ws, "tester", job, twenty);
        assertEquals(1, ids(search(ws, "tag=k.7:" + "v".repeat(256))).size());

        Map<String, String> refusals = Map.of("status=DONE", "INVALID_STATUS", "trigger=cron", "INVALID_FILTER",
                "job_id=nope", "INVALID_FILTER", "tag=novalue", "INVALID_FILTER", "label=Upper", "INVALID_FILTER",
                "queued_after=yesterday", "INVALID_TIME", "started_after=2026-01-02T00:00:00Z&started_before=2026-01-01T00:00:00Z",
                "INVALID_RANGE", "limit=501", "INVALID_LIMIT", "cursor=garbage", "INVALID_CURSOR");
        for (var r : refusals.entrySet()) {
            as(ws, "viewer").get("/api/v1/workspaces/" + ws + "/runs?" + r.getKey()).then().statusCode(400)
                    .body("error_code", equalTo(r.getValue())).body("solution_msg", notNullValue());
        }
        // A cursor of another listing is refused too.
        String jobCursor = io.jobplane.api.json.ListingCursor.of("grants", List.of("x", "y"));
        as(ws, "viewer").get("/api/v1/workspaces/" + ws + "/runs?cursor=" + jobCursor).then().statusCode(400)
                .body("error_code", equalTo("INVALID_CURSOR"));
    }

    @Test
    void cursorPagesHoldEveryRunOnceWhileRunsAreBeingLaunched() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "busy", List.of(), null);
        Set<String> before = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            before.add(launch(ws, "tester", job, Map.of("batch", "first")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Response>> launching = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                launching.add(pool.submit(() -> as(ws, "operator").body(Map.of("tags", Map.of("batch", "second")))
                        .post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, job)));
            }
            List<String> seen = new ArrayList<>();
            List<Instant> queued = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Response page = search(ws, "limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
                seen.addAll(ids(page));
                page.jsonPath().<String>getList("runs.queued_at").forEach(t -> queued.add(Instant.parse(t)));
                cursor = page.path("next_cursor");
                pages++;
            } while (cursor != null && pages < 50);
            for (var f : launching) {
                assertEquals(202, f.get().statusCode());
            }
            assertEquals(seen.size(), Set.copyOf(seen).size(), "no run twice: " + seen);
            assertTrue(seen.containsAll(before), "every run launched before paging began is on a page");
            for (int i = 1; i < queued.size(); i++) {
                assertTrue(!queued.get(i).isAfter(queued.get(i - 1)), "newest first");
            }
        } finally {
            pool.shutdownNow();
        }
        // Once the launches are in, pages of 7 hold all 50, and the tag filter pages the same way.
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            Response page = search(ws, "tag=batch:second&limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
            all.addAll(ids(page));
            cursor = page.path("next_cursor");
        } while (cursor != null);
        assertEquals(20, Set.copyOf(all).size());
        assertEquals(20, all.size());
        assertEquals(50, ids(search(ws, "limit=500")).size());
    }

    private static Response search(String ws, String query) {
        Response r = as(ws, "viewer").get("/api/v1/workspaces/" + ws + "/runs" + (query.isEmpty() ? "" : "?" + query));
        assertEquals(200, r.statusCode(), query + ": " + r.asString());
        return r;
    }

    private static List<String> ids(Response page) {
        return page.jsonPath().getList("runs.run_id");
    }

    private static String launch(String ws, String subject, String job, Map<String, String> tags) {
        String token = DevTokens.mint(TestInfrastructure.shared().keys().privateKey(), subject, Map.of(ws, "operator"),
                Duration.ofMinutes(10));
        var request = given().auth().oauth2(token).contentType(ContentType.JSON);
        if (tags != null) {
            request = request.body(Map.of("tags", tags));
        }
        return request.post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, job).then().statusCode(202).extract().path("run_id");
    }

    private static String job(String ws, String name, List<String> labels, Map<String, Object> schedule) {
        String connection = as(ws, "editor").body(postgresConnection(name + "-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE", "labels", labels,
                "destination_connection_id", connection, "tasks", List.of(Map.of("query", "select 1"))));
        if (schedule != null) {
            body.put("schedule", schedule);
        }
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }
}
