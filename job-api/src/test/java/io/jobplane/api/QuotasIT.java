package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.Zips;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Quotas per workspace, against the real database: each workspace here registers tighter quotas
 * of its own than the deployment's, and meets them at launch or at save.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class QuotasIT {

    @Test
    void launchesOverTheWorkspacesRateAreRefused429WithRetryAfterAndMakeNoRun() {
        String ws = register(Map.of("launches_per_minute", 2, "launch_burst", 2));
        String job = job(ws, "limited", List.of("select 1"), null);
        String path = "/api/v1/workspaces/" + ws + "/jobs/" + job + "/runs";
        as(ws, "operator").post(path).then().statusCode(202);
        as(ws, "operator").post(path).then().statusCode(202);
        Response refused = as(ws, "operator").post(path);
        refused.then().statusCode(429).body("error_code", equalTo("RATE_LIMITED"))
                .body("error_msg", containsString("2 runs a minute")).body("solution_msg", containsString("Retry-After"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "two a minute: the next launch is due within 30 s, not " + retryAfter);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs/{id}/status", ws, job).then().statusCode(200)
                .body("active_runs", equalTo(2)).body("queued_runs", equalTo(0));

        String other = uniqueWorkspace();
        String otherJob = job(other, "free", List.of("select 1"), null);
        as(other, "operator").post("/api/v1/workspaces/" + other + "/jobs/" + otherJob + "/runs").then().statusCode(202);
    }

    @Test
    void aJobOverTheTaskQuotaIsRefusedAtSaveAndNothingIsStored() {
        String ws = register(Map.of("max_tasks_per_job", 2));
        Map<String, Object> body = jobBody(ws, "three", List.of("select 1", "select 2", "select 3"), null);
        as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(400)
                .body("error_code", equalTo("TOO_MANY_TASKS")).body("error_msg", containsString("at most 2"))
                .body("solution_msg", not(nullValue()));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200).body("jobs.size()", equalTo(0));

        String job = job(ws, "two", List.of("select 1", "select 2"), null);
        as(ws, "editor").body(Map.of("query", "select 3")).post("/api/v1/workspaces/{ws}/jobs/{id}/tasks", ws, job).then()
                .statusCode(400).body("error_code", equalTo("TOO_MANY_TASKS"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs/{id}/tasks", ws, job).then().body("size()", equalTo(2));
    }

    @Test
    void aScheduleFiringMoreOftenThanTheQuotaIsRefusedAtSave() {
        String ws = register(Map.of("min_schedule_interval_seconds", 3600));
        as(ws, "editor").body(jobBody(ws, "often", List.of("select 1"), Map.of("enabled", true, "cron", "*/5 * * * *")))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(400)
                .body("error_code", equalTo("SCHEDULE_TOO_FREQUENT")).body("error_msg", containsString("300 s"));
        String job = job(ws, "hourly", List.of("select 1"), Map.of("enabled", true, "cron", "0 * * * *"));
        as(ws, "editor").body(Map.of("schedule", Map.of("enabled", true, "cron", "0,30 * * * *")))
                .put("/api/v1/workspaces/{ws}/jobs/{id}", ws, job).then().statusCode(400)
                .body("error_code", equalTo("SCHEDULE_TOO_FREQUENT"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs/{id}", ws, job).then().body("schedule.cron", equalTo("0 * * * *"));
        as(ws, "editor").body(Map.of("description", "unrelated edits pass")).put("/api/v1/workspaces/{ws}/jobs/{id}", ws, job)
                .then().statusCode(200);
    }

    @Test
    void aBackfillOverItsQuotaIsRefusedAndMakesNoRun() {
        String ws = register(Map.of("max_backfill_runs", 3));
        String job = job(ws, "hourly", List.of("select 1"), Map.of("enabled", false, "cron", "0 * * * *"));
        as(ws, "operator").body(Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-01T05:00:00Z"))
                .post("/api/v1/workspaces/{ws}/jobs/{id}/backfill", ws, job).then().statusCode(400)
                .body("error_code", equalTo("BACKFILL_TOO_LARGE")).body("solution_msg", containsString("at most 3"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs/{id}/status", ws, job).then().body("queued_runs", equalTo(0))
                .body("active_runs", equalTo(0));
        as(ws, "operator").body(Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-01T02:00:00Z"))
                .post("/api/v1/workspaces/{ws}/jobs/{id}/backfill", ws, job).then().statusCode(202).body("runs.size()", equalTo(3));
    }

    @Test
    void oldStepPackageVersionsArePrunedButNotOneAnUnfinishedRunUses() {
        String ws = register(Map.of("package_versions_kept", 2));
        String job = as(ws, "editor").body(Map.of("name", "packaged", "type", "STEPS"))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        String sources = "/api/v1/workspaces/" + ws + "/jobs/" + job + "/sources";
        upload(ws, sources, 1);
        as(ws, "operator").post("/api/v1/workspaces/" + ws + "/jobs/" + job + "/runs").then().statusCode(202);
        upload(ws, sources, 2);
        upload(ws, sources, 3);
        upload(ws, sources, 4);
        as(ws, "viewer").get(sources).then().statusCode(200).body("version", equalTo(List.of(4, 3, 1)));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body(containsString("job.sources.pruned"));
    }

    @Test
    void aWorkspaceShowsTheQuotasItSetAndCannotSetNonsense() {
        String ws = register(Map.of("max_tasks_per_job", 5));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}", ws).then().statusCode(200).body("quotas.max_tasks_per_job", equalTo(5));
        as(ws, "admin").body(Map.of("display_name", ws, "quotas", Map.of("launch_burst", 0)))
                .put("/api/v1/workspaces/{ws}", ws).then().statusCode(400).body("error_code", equalTo("VALIDATION_FAILED"));
        as(ws, "editor").body(Map.of("display_name", ws, "quotas", Map.of("launch_burst", 1000)))
                .put("/api/v1/workspaces/{ws}", ws).then().statusCode(403);
    }

    // --- fixtures --------------------------------------------------------------------------------

    private static String register(Map<String, Object> quotas) {
        String ws = uniqueWorkspace();
        as(ws, "admin").body(Map.of("workspace_id", ws, "display_name", ws, "quotas", quotas))
                .post("/api/v1/workspaces").then().statusCode(201);
        return ws;
    }

    private static void upload(String ws, String sources, int n) {
        as(ws, "editor").contentType("application/zip").body(Zips.of(Map.of("0" + n + "_step.sql", "select " + n)))
                .post(sources).then().statusCode(201).body("version", equalTo(n));
    }

    private static Map<String, Object> jobBody(String ws, String name, List<String> queries, Map<String, Object> schedule) {
        String connection = as(ws, "editor").body(ApiTestSupport.postgresConnection(name + "-db-" + System.nanoTime(), "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connection, "tasks", queries.stream().map(q -> Map.of("query", q)).toList()));
        if (schedule != null) {
            body.put("schedule", schedule);
        }
        return body;
    }

    private static String job(String ws, String name, List<String> queries, Map<String, Object> schedule) {
        return as(ws, "editor").body(jobBody(ws, name, queries, schedule)).post("/api/v1/workspaces/{ws}/jobs", ws).then()
                .statusCode(201).extract().path("job_id");
    }
}
