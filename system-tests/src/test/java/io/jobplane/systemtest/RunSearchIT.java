package io.jobplane.systemtest;

import static io.jobplane.systemtest.WorkspaceCalls.expectError;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobplane.stack.Platform;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code GET …/runs} through the whole platform: runs launched with tags by different users, run by a
 * real worker, folded into the run read model by metadata-harvester from their queued events, then
 * found by each filter alone and combined, newest first, paged by a cursor without a duplicate or a
 * gap while runs are launched, and never across workspaces.
 */
@ExtendWith(SharedPlatform.class)
class RunSearchIT {

    private static final String WS = "search";
    private static final String OTHER = "search-other";
    private static final String OWNER = "search_tenant";
    private static final String PASSWORD = "search-owner-pw-" + UUID.randomUUID().toString().substring(0, 8);
    private static Platform platform;
    private static WorkspaceCalls calls;
    private static String connectionId;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SharedPlatform.platform();
        calls = new WorkspaceCalls(platform, WS);
        String database = "search_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        platform.tenant().createDatabase(database, OWNER, PASSWORD);
        connectionId = calls.createPostgresConnection("warehouse", database, OWNER, PASSWORD);
    }

    @Test
    void everyFilterFindsExactlyTheRunsItNamesNewestFirstPagedWithoutGapsAndOnlyInItsWorkspace() {
        String alpha = job(calls, connectionId, "alpha", List.of("finance", "nightly"), "select 1");
        String beta = job(calls, connectionId, "beta", List.of("finance"), "select 1");
        String broken = job(calls, connectionId, "broken", List.of(), "select * from no_such_table");

        // One after the other, each to its end: queued, started and finished times are all in launch order.
        String a1 = launchToEnd("alice", alpha, Map.of("team", "data", "ticket", "OPS-1"));
        String a2 = launchToEnd("bob", alpha, Map.of("team", "data"));
        String b1 = launchToEnd("alice", beta, null);
        String f1 = launchToEnd("bob", broken, Map.of("team", "ops"));
        // The job's labels change; its next run is found by the labels it had at launch.
        calls.api().body(Map.of("labels", List.of("other"))).put("/api/v1/workspaces/{ws}/jobs/{job}", WS, alpha)
                .then().statusCode(200);
        String a3 = launchToEnd("alice", alpha, null);
        List<String> all = List.of(a3, f1, b1, a2, a1);

        // The read model follows the events: each run appears once its queued event has been applied.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> ids(search(WS, "")).equals(all));
        JsonPath page = search(WS, "");
        Map<String, Object> first = page.getMap("runs[4]");
        assertEquals(a1, first.get("run_id"));
        assertEquals(Map.of("team", "data", "ticket", "OPS-1"), first.get("tags"));
        assertEquals("alice", first.get("requested_by"));
        assertEquals(List.of("finance", "nightly"), first.get("job_labels"));
        assertEquals("SUCCESS", first.get("status"));
        assertEquals("manual", first.get("trigger"));
        assertEquals("alpha", first.get("job_name"));
        assertEquals("FAILED", page.getString("runs[1].status"));
        assertNull(page.get("next_cursor"));

        assertEquals(List.of(a3, a2, a1), ids(search(WS, "job_id=" + alpha)));
        assertEquals(List.of(a3, b1, a2, a1), ids(search(WS, "job_id=" + alpha + "&job_id=" + beta)));
        assertEquals(List.of(f1), ids(search(WS, "status=FAILED")));
        assertEquals(List.of(a3, b1, a2, a1), ids(search(WS, "status=SUCCESS")));
        assertEquals(all, ids(search(WS, "status=failed&status=SUCCESS")));
        assertEquals(List.of(), ids(search(WS, "status=QUEUED&status=RUNNING")));
        assertEquals(all, ids(search(WS, "trigger=manual")));
        assertEquals(List.of(), ids(search(WS, "trigger=backfill")));
        assertEquals(List.of(b1, a2, a1), ids(search(WS, "label=finance")));
        assertEquals(List.of(a2, a1), ids(search(WS, "label=finance&label=nightly")));
        assertEquals(List.of(a3), ids(search(WS, "label=other")));
        assertEquals(List.of(a2, a1), ids(search(WS, "tag=team:data")));
        assertEquals(List.of(a1), ids(search(WS, "tag=team:data&tag=ticket:OPS-1")));
        assertEquals(List.of(f1), ids(search(WS, "tag=team:ops")));
        assertEquals(List.of(), ids(search(WS, "tag=team:nobody")));
        assertEquals(List.of(a3, b1, a1), ids(search(WS, "requested_by=alice")));
        assertEquals(all, ids(search(WS, "requested_by=alice&requested_by=bob")));
        assertEquals(List.of(a1), ids(search(WS, "job_id=" + alpha + "&requested_by=alice&tag=team:data&status=SUCCESS")));
        assertEquals(List.of(a2), ids(search(WS, "requested_by=bob&label=finance&status=SUCCESS&status=FAILED&trigger=manual")));

        // Time ranges: _after inclusive, _before exclusive, on each of the three times.
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        search(WS, "").getList("runs", Map.class).forEach(r -> byId.put((String) r.get("run_id"), r));
        for (String time : List.of("queued", "started", "finished")) {
            String b1At = (String) byId.get(b1).get(time + "_at");
            assertNotNull(b1At, time);
            assertEquals(List.of(a3, f1, b1), ids(search(WS, time + "_after=" + b1At)), time);
            assertEquals(List.of(a2, a1), ids(search(WS, time + "_before=" + b1At)), time);
            String a2At = (String) byId.get(a2).get(time + "_at");
            assertEquals(List.of(b1, a2), ids(search(WS, time + "_after=" + a2At + "&" + time + "_before=" + byId.get(f1).get(time + "_at"))),
                    time);
            assertEquals(List.of(a2), ids(search(WS, time + "_after=" + a2At + "&" + time + "_before="
                    + byId.get(b1).get(time + "_at") + "&job_id=" + alpha)), time);
        }

        // Pages of two: every run once, in order, while another run is launched between the pages.
        List<String> paged = new ArrayList<>();
        JsonPath p = search(WS, "limit=2");
        paged.addAll(ids(p));
        String a4 = launch("alice", alpha, Map.of("team", "data"));
        while (p.getString("next_cursor") != null) {
            p = search(WS, "limit=2&cursor=" + p.getString("next_cursor"));
            assertTrue(ids(p).size() <= 2);
            paged.addAll(ids(p));
        }
        assertEquals(all, paged);
        assertEquals(new HashSet<>(all).size(), new HashSet<>(paged).size());
        // A filtered listing pages the same way, one run at a time.
        List<String> alices = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath one = search(WS, "requested_by=alice&limit=1" + (cursor == null ? "" : "&cursor=" + cursor));
            alices.addAll(ids(one));
            cursor = one.getString("next_cursor");
        } while (cursor != null);
        assertTrue(alices.containsAll(List.of(a3, b1, a1)), alices.toString());
        calls.awaitTerminal(a4);
        await().atMost(Duration.ofSeconds(30)).until(() -> ids(search(WS, "tag=team:data")).equals(List.of(a4, a2, a1)));

        // Another workspace sees only its own runs; this workspace's token does not reach it.
        WorkspaceCalls other = new WorkspaceCalls(platform, OTHER);
        String otherConnection = other.createPostgresConnection("warehouse", "postgres", OWNER, PASSWORD);
        String otherJob = job(other, otherConnection, "alpha", List.of("finance"), "select 1");
        String o1 = other.launch(otherJob);
        other.awaitTerminal(o1);
        await().atMost(Duration.ofSeconds(30)).until(() -> ids(search(OTHER, "")).equals(List.of(o1)));
        assertEquals(List.of(o1), ids(search(OTHER, "label=finance")));
        assertEquals(List.of(b1, a2, a1), ids(search(WS, "label=finance")));
        calls.api().get("/api/v1/workspaces/{ws}/runs", OTHER).then().statusCode(404);
        given().baseUri(platform.apiUrl()).get("/api/v1/workspaces/{ws}/runs", WS).then().statusCode(401);

        // Bad input: 400 in the project's error shape, nothing found.
        expectError(calls.api().get("/api/v1/workspaces/{ws}/runs?status=DONE", WS), 400, "INVALID_STATUS");
        expectError(calls.api().get("/api/v1/workspaces/{ws}/runs?finished_after=yesterday", WS), 400, "INVALID_TIME");
        expectError(calls.api().get("/api/v1/workspaces/{ws}/runs?queued_after=2026-02-01T00:00:00Z&queued_before=2026-01-01T00:00:00Z", WS),
                400, "INVALID_RANGE");
        expectError(calls.api().get("/api/v1/workspaces/{ws}/runs?limit=501", WS), 400, "INVALID_LIMIT");
        expectError(calls.api().get("/api/v1/workspaces/{ws}/runs?cursor=garbage", WS), 400, "INVALID_CURSOR");
        expectError(calls.api().get("/api/v1/workspaces/{ws}/runs?tag=novalue", WS), 400, "INVALID_FILTER");
        expectError(calls.api().get("/api/v1/workspaces/{ws}/runs?job_id=nope", WS), 400, "INVALID_FILTER");
        expectError(calls.api().get("/api/v1/workspaces/{ws}/runs?trigger=cron", WS), 400, "INVALID_FILTER");
        // Tags are checked at launch: a bad key is refused and nothing is launched.
        expectError(as("alice").body(Map.of("tags", Map.of("bad key", "v"))).post("/api/v1/workspaces/{ws}/jobs/{job}/runs", WS, beta),
                400, "VALIDATION_FAILED");
        assertEquals(List.of(b1), ids(search(WS, "job_id=" + beta)));
    }

    /** A SQL job of one task with these labels; its id. */
    private static String job(WorkspaceCalls ws, String connection, String name, List<String> labels, String query) {
        return ws.api().body(Map.of("name", name, "type", "TABLE_TO_TABLE", "destination_connection_id", connection,
                        "labels", labels, "tasks", List.of(Map.of("query", query))))
                .post("/api/v1/workspaces/{ws}/jobs", ws.workspace()).then().statusCode(201).extract().path("job_id");
    }

    /** An operator of the workspace with this subject. */
    private static io.restassured.specification.RequestSpecification as(String subject) {
        return given().baseUri(platform.apiUrl()).auth().oauth2(platform.mintToken(subject, Map.of(WS, "operator")))
                .contentType(ContentType.JSON);
    }

    private static String launch(String subject, String jobId, Map<String, String> tags) {
        Map<String, Object> body = tags == null ? Map.of() : Map.of("tags", tags);
        return as(subject).body(body).post("/api/v1/workspaces/{ws}/jobs/{job}/runs", WS, jobId)
                .then().statusCode(202).extract().path("run_id");
    }

    private static String launchToEnd(String subject, String jobId, Map<String, String> tags) {
        String runId = launch(subject, jobId, tags);
        calls.awaitTerminal(runId);
        return runId;
    }

    private static JsonPath search(String workspace, String query) {
        Response r = given().baseUri(platform.apiUrl())
                .auth().oauth2(platform.mintToken("reader", Map.of(workspace, "viewer")))
                .get("/api/v1/workspaces/" + workspace + "/runs" + (query.isEmpty() ? "" : "?" + query));
        r.then().statusCode(200);
        return r.jsonPath();
    }

    private static List<String> ids(JsonPath page) {
        return page.getList("runs.run_id", String.class);
    }
}
