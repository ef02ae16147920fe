package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.JobplaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class JobDefinitionsIT {

    @Test
    void aStaleIfMatchIsRefusedWith412AndChangesNothing() {
        String ws = uniqueWorkspace();
        String job = createJob(ws, "etl", List.of("select 1"), List.of());
        String etag = as(ws, "viewer").get(jobPath(ws, job)).then().statusCode(200).extract().header("ETag");
        assertEquals("\"0\"", etag);

        as(ws, "editor").header("If-Match", etag).body(Map.of("description", "first"))
                .put(jobPath(ws, job)).then().statusCode(200).header("ETag", "\"1\"").body("version", equalTo(1));
        as(ws, "editor").header("If-Match", etag).body(Map.of("description", "second"))
                .put(jobPath(ws, job)).then().statusCode(412).body("error_code", equalTo("VERSION_MISMATCH"));

        as(ws, "viewer").get(jobPath(ws, job)).then().body("description", equalTo("first"));
    }

    @Test
    void aRunningJobCannotBeChangedOrDeletedButCanBeDisabled() {
        String ws = uniqueWorkspace();
        String job = createJob(ws, "busy", List.of("select 1"), List.of());
        as(ws, "operator").post(jobPath(ws, job) + "/runs").then().statusCode(202);

        as(ws, "editor").body(Map.of("name", "renamed")).put(jobPath(ws, job))
                .then().statusCode(409).body("error_code", equalTo("JOB_RUNNING"));
        as(ws, "editor").delete(jobPath(ws, job)).then().statusCode(409).body("error_code", equalTo("JOB_RUNNING"));
        as(ws, "editor").body(Map.of("status", "DISABLED")).put(jobPath(ws, job))
                .then().statusCode(200).body("status", equalTo("DISABLED"));
        as(ws, "operator").post(jobPath(ws, job) + "/runs").then().statusCode(409)
                .body("error_code", equalTo("JOB_NOT_ACTIVE"));
    }

    @Test
    void anArchivedJobIsReadOnlyAndHiddenFromListsUnlessAskedFor() {
        String ws = uniqueWorkspace();
        String job = createJob(ws, "old", List.of("select 1"), List.of());
        createJob(ws, "current", List.of("select 1"), List.of());
        as(ws, "editor").body(Map.of("status", "ARCHIVED")).put(jobPath(ws, job)).then().statusCode(200);

        assertEquals(List.of("current"), names(as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs", ws)));
        assertEquals(List.of("current", "old"),
                names(as(ws, "viewer").queryParam("include_archived", true).get("/api/v1/workspaces/{ws}/jobs", ws)));
        as(ws, "editor").body(Map.of("description", "x")).put(jobPath(ws, job))
                .then().statusCode(409).body("error_code", equalTo("JOB_ARCHIVED"));
        as(ws, "editor").body(Map.of("query", "select 2")).post(jobPath(ws, job) + "/tasks")
                .then().statusCode(409).body("error_code", equalTo("JOB_ARCHIVED"));
        as(ws, "operator").post(jobPath(ws, job) + "/runs").then().statusCode(409);
    }

    @Test
    void tasksAddMoveAndDeleteKeepDenseIndices() {
        String ws = uniqueWorkspace();
        String job = createJob(ws, "ordered", List.of("select 'a'", "select 'b'"), List.of());
        String c = as(ws, "editor").body(Map.of("query", "select 'c'")).post(jobPath(ws, job) + "/tasks")
                .then().statusCode(201).body("index", equalTo(2)).extract().path("task_id");
        as(ws, "editor").body(Map.of("query", "select 'first'", "index", 0)).post(jobPath(ws, job) + "/tasks")
                .then().statusCode(201).body("index", equalTo(0));
        assertEquals(List.of("select 'first'", "select 'a'", "select 'b'", "select 'c'"), queries(ws, job));

        as(ws, "editor").body(Map.of("from_index", 3, "to_index", 1)).post(jobPath(ws, job) + "/tasks/" + c + "/move")
                .then().statusCode(200).body("[1].query", equalTo("select 'c'"));
        as(ws, "editor").body(Map.of("from_index", 3, "to_index", 0)).post(jobPath(ws, job) + "/tasks/" + c + "/move")
                .then().statusCode(409).body("error_code", equalTo("TASK_MOVED"));
        as(ws, "editor").body(Map.of("from_index", 1, "to_index", 9)).post(jobPath(ws, job) + "/tasks/" + c + "/move")
                .then().statusCode(400).body("error_code", equalTo("INDEX_OUT_OF_RANGE"));
        as(ws, "editor").delete(jobPath(ws, job) + "/tasks/" + c).then().statusCode(204);

        assertEquals(List.of("select 'first'", "select 'a'", "select 'b'"), queries(ws, job));
        assertEquals(List.of(0, 1, 2), as(ws, "viewer").get(jobPath(ws, job) + "/tasks").then().extract().path("index"));
        as(ws, "viewer").get(jobPath(ws, job)).then().body("version", equalTo(4));
    }

    @Test
    void concurrentMovesNeverBreakTheOrder() {
        String ws = uniqueWorkspace();
        List<String> queries = IntStream.range(0, 6).mapToObj(i -> "select " + i).toList();
        String job = createJob(ws, "contended", queries, List.of());
        List<String> ids = as(ws, "viewer").get(jobPath(ws, job) + "/tasks").then().extract().path("task_id");

        List<CompletableFuture<Integer>> moves = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            moves.add(CompletableFuture.supplyAsync(() -> as(ws, "editor")
                    .body(Map.of("is_active", true, "index", (n * 5) % 6))
                    .put(jobPath(ws, job) + "/tasks/" + ids.get(n % 6)).statusCode()));
        }
        moves.forEach(m -> assertEquals(200, m.join()));

        List<Integer> indices = as(ws, "viewer").get(jobPath(ws, job) + "/tasks").then().extract().path("index");
        assertEquals(List.of(0, 1, 2, 3, 4, 5), indices);
        assertEquals(new HashSet<>(queries), new HashSet<>(queries(ws, job)));
    }

    /**
     * Jobs created at the same moment with the same name: the name check passes for each, the unique
     * index takes one; the others get a 409 JSON error, never a 500.
     */
    @Test
    void concurrentCreatesOfOneNameMakeOneJobAndConflictsForTheRest() {
        String ws = uniqueWorkspace();
        String connectionId = as(ws, "editor").body(postgresConnection("race-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        List<CompletableFuture<io.restassured.response.Response>> creates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            creates.add(CompletableFuture.supplyAsync(() -> as(ws, "editor").body(Map.of("name", "raced", "type",
                    "TABLE_TO_TABLE", "destination_connection_id", connectionId, "tasks", List.of(Map.of("query", "select 1"))))
                    .post("/api/v1/workspaces/{ws}/jobs", ws)));
        }
        List<Integer> statuses = creates.stream().map(c -> c.join().statusCode()).sorted().toList();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one job made: " + statuses);
        assertEquals(7, statuses.stream().filter(s -> s == 409).count(), "the rest conflict: " + statuses);
        creates.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 409).forEach(r -> assertTrue(
                List.of("JOB_NAME_TAKEN", "ALREADY_EXISTS").contains(r.jsonPath().getString("error_code")), r.asString()));
        List<String> names = as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs", ws).then().extract().path("jobs.name");
        assertEquals(List.of("raced"), names);
    }

    @Test
    void listingsFilterSortAndPageWithoutRepeatsOrGaps() {
        String ws = uniqueWorkspace();
        for (int i = 0; i < 7; i++) {
            createJob(ws, "job-" + i, List.of("select 1"), i % 2 == 0 ? List.of("nightly") : List.of("hourly"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(ws, "viewer").queryParam("limit", 3);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response page = request.get("/api/v1/workspaces/{ws}/jobs", ws);
            page.then().statusCode(200);
            seen.addAll(names(page));
            cursor = page.path("next_cursor");
            pages++;
            if (pages == 1) {
                createJob(ws, "job-00", List.of("select 1"), List.of());
            }
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(List.of("job-0", "job-1", "job-2", "job-3", "job-4", "job-5", "job-6"), seen);

        assertEquals(List.of("job-0", "job-2", "job-4", "job-6"),
                names(as(ws, "viewer").queryParam("label", "nightly").get("/api/v1/workspaces/{ws}/jobs", ws)));
        assertEquals(List.of("job-6", "job-5"), names(as(ws, "viewer").queryParam("sort", "-created_at")
                .queryParam("limit", 3).queryParam("name_prefix", "job-").queryParam("label", "").get("/api/v1/workspaces/{ws}/jobs", ws))
                .subList(1, 3));
        assertEquals(List.of("job-0", "job-00"),
                names(as(ws, "viewer").queryParam("name_prefix", "job-0").get("/api/v1/workspaces/{ws}/jobs", ws)));
        as(ws, "viewer").queryParam("sort", "colour").get("/api/v1/workspaces/{ws}/jobs", ws)
                .then().statusCode(400).body("error_code", equalTo("INVALID_SORT"));
        as(ws, "viewer").queryParam("cursor", "garbage").get("/api/v1/workspaces/{ws}/jobs", ws)
                .then().statusCode(400).body("error_code", equalTo("INVALID_CURSOR"));
    }

    @Test
    void connectionUpdatesKeepAnEmptyPasswordAndTheAuditTrailNeverShowsOne() throws Exception {
        String ws = uniqueWorkspace();
        String canary = "canary-audit-91x";
        String id = as(ws, "editor").body(postgresConnection("wh", canary)).post("/api/v1/workspaces/{ws}/connections", ws)
                .then().statusCode(201).extract().path("connection_id");
        String sealed = sealedPassword(id);

        as(ws, "editor").body(Map.of("username", "other", "password", "")).put("/api/v1/workspaces/{ws}/connections/{id}", ws, id)
                .then().statusCode(200).body("secrets_set", hasItem("password")).body("username", equalTo("other"));
        assertEquals(sealed, sealedPassword(id), "an empty password keeps the stored one");
        as(ws, "editor").body(Map.of("password", canary + "-2")).put("/api/v1/workspaces/{ws}/connections/{id}", ws, id)
                .then().statusCode(200);
        assertFalse(sealed.equals(sealedPassword(id)));

        String job = createJobOn(ws, "uses-wh", id);
        as(ws, "editor").delete("/api/v1/workspaces/{ws}/connections/{id}", ws, id)
                .then().statusCode(409).body("error_code", equalTo("CONNECTION_IN_USE"));
        as(ws, "editor").body(Map.of("status", "DISABLED")).put(jobPath(ws, job)).then().statusCode(200);

        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body(not(containsString(canary)))
                .body("action", org.hamcrest.Matchers.hasItems("connection.created", "connection.updated", "job.created",
                        "job.updated"))
                .body("find { it.action == 'connection.updated' && it.details.password != null }.details.password",
                        equalTo("(changed)"))
                .body("[0].actor", equalTo("tester"));
    }

    @Test
    void workspaceAdminsRegisterTheirWorkspaceAndTokensListWhatTheyMayUse() {
        String ws = uniqueWorkspace();
        as(ws, "editor").body(Map.of("workspace_id", ws, "display_name", "Finance")).post("/api/v1/workspaces")
                .then().statusCode(403).body("error_code", equalTo("INSUFFICIENT_ROLE"));
        as(ws, "admin").body(Map.of("workspace_id", ws, "display_name", "Finance", "description", "month end"))
                .post("/api/v1/workspaces").then().statusCode(201).body("registered", equalTo(true));
        as(ws, "admin").body(Map.of("workspace_id", ws, "display_name", "Again")).post("/api/v1/workspaces")
                .then().statusCode(409).body("error_code", equalTo("WORKSPACE_EXISTS"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}", ws).then().statusCode(200)
                .body("display_name", equalTo("Finance")).body("role", equalTo("viewer"));
        as(ws, "viewer").get("/api/v1/workspaces").then().statusCode(200)
                .body("workspace_id", equalTo(List.of(ws))).body("[0].registered", equalTo(true));
        as(uniqueWorkspace(), "admin").get("/api/v1/workspaces/{ws}", ws).then().statusCode(404)
                .body("error_code", equalTo("WORKSPACE_NOT_FOUND"));
    }

    @Test
    void aConnectionTestReallyConnects() {
        String ws = uniqueWorkspace();
        String good = as(ws, "editor").body(postgresConnection("reachable", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        as(ws, "editor").post("/api/v1/workspaces/{ws}/connections/{id}/test", ws, good).then().statusCode(200)
                .body("ok", equalTo(true))
                .body("server_version", containsString("PostgreSQL"));

        int closed = io.jobplane.stack.Ports.free();
        String bad = as(ws, "editor").body(Map.of("name", "unreachable", "type", "postgresql",
                "jdbc_url", "jdbc:postgresql://127.0.0.1:" + closed + "/nowhere", "username", "u", "password", "canary-test-77"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        as(ws, "editor").post("/api/v1/workspaces/{ws}/connections/{id}/test", ws, bad).then().statusCode(200)
                .body("ok", equalTo(false))
                .body("code", equalTo("CONNECTION_REFUSED"))
                .body("error", containsString("refused"))
                .body(not(containsString("canary-test-77")));
        as(ws, "viewer").post("/api/v1/workspaces/{ws}/connections/{id}/test", ws, bad).then().statusCode(403);
    }

    private static String sealedPassword(String id) throws Exception {
        return ApiTestSupport.storedValue("select secrets from api.connection where id = ?::uuid", id);
    }

    private static List<String> names(Response listing) {
        return listing.then().statusCode(200).extract().path("jobs.name");
    }

    private static List<String> queries(String ws, String job) {
        return as(ws, "viewer").get(jobPath(ws, job) + "/tasks").then().statusCode(200).extract().path("query");
    }

    @Test
    void templatedTasksAreCheckedWhenSavedAndTheirValuesWhenLaunched() {
        String ws = uniqueWorkspace();
        String connectionId = as(ws, "editor").body(postgresConnection("tpl-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        as(ws, "editor").body(Map.of("name", "quoted", "type", "TABLE_TO_TABLE", "destination_connection_id", connectionId,
                "queries", List.of("select 'stores-{{FD_DATE}}.csv'")))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(400)
                .body("error_code", equalTo("VALIDATION_FAILED"))
                .body("error_msg", containsString("{{FD_DATE}} stands inside a quoted literal"))
                .body("error_msg", containsString("'stores-' || {{FD_DATE}}"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200).body("jobs.size()", equalTo(0));

        String job = createJob(ws, "templated", List.of("select {{FD_DATE}}::date, {{region}}"), List.of());
        String task = as(ws, "viewer").get(jobPath(ws, job) + "/tasks").then().statusCode(200).extract().path("[0].task_id");
        as(ws, "editor").body(Map.of("query", "select \"{{region}}\" from t"))
                .put(jobPath(ws, job) + "/tasks/" + task).then().statusCode(400)
                .body("error_msg", containsString("{{region}} stands inside a quoted identifier"));
        as(ws, "operator").post(jobPath(ws, job) + "/runs").then().statusCode(400)
                .body("error_code", equalTo("UNKNOWN_TEMPLATE_VALUE"))
                .body("error_msg", containsString("{{region}}"))
                .body("solution_msg", containsString("\"parameters\": {\"region\""));
        as(ws, "operator").body(Map.of("parameters", Map.of("region", "eu", "FD_DATE", "19990101")))
                .post(jobPath(ws, job) + "/runs").then().statusCode(400).body("error_code", equalTo("RESERVED_PARAMETER"));
        as(ws, "operator").body(Map.of("parameters", Map.of("region", "eu"))).post(jobPath(ws, job) + "/runs")
                .then().statusCode(202);
    }

    private static String jobPath(String ws, String job) {
        return "/api/v1/workspaces/" + ws + "/jobs/" + job;
    }

    private static String createJob(String ws, String name, List<String> queries, List<String> labels) {
        String connectionId = as(ws, "editor").body(postgresConnection(name + "-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        return as(ws, "editor").body(Map.of("name", name, "type", "TABLE_TO_TABLE", "destination_connection_id",
                connectionId, "labels", labels, "tasks", queries.stream().map(q -> Map.of("query", q)).toList()))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }

    private static String createJobOn(String ws, String name, String connectionId) {
        return as(ws, "editor").body(Map.of("name", name, "type", "TABLE_TO_TABLE", "destination_connection_id",
                connectionId, "tasks", List.of(Map.of("query", "select 1"))))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }
}
