package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.jobplane.stack.Platform;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Calls of the native API as an admin of one workspace: requests, launches, and waiting for a run's end. */
public record WorkspaceCalls(Platform platform, String workspace) {

    /** A JSON request with an admin token of the workspace. */
    public RequestSpecification api() {
        return given().baseUri(platform.apiUrl())
                .auth().oauth2(platform.mintToken("e2e", Map.of(workspace, "admin")))
                .contentType(ContentType.JSON);
    }

    /** A PostgreSQL connection to {@code database} on the platform's tenant server; its id. */
    public String createPostgresConnection(String name, String database, String user, String password) {
        var pg = platform.tenant();
        return api().body(Map.of("name", name, "type", "postgresql",
                        "jdbc_url", pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + database,
                        "username", user, "password", password))
                .post("/api/v1/workspaces/{ws}/connections", workspace).then().statusCode(201).extract().path("connection_id");
    }

    /** A SQL job ({@code TABLE_TO_TABLE}) of these queries, one task each, on the connection; its id. */
    public String createSqlJob(String name, String connectionId, List<String> queries) {
        return api().body(Map.of("name", name, "type", "TABLE_TO_TABLE", "destination_connection_id", connectionId,
                        "tasks", queries.stream().map(q -> Map.of("query", q)).toList()))
                .post("/api/v1/workspaces/{ws}/jobs", workspace).then().statusCode(201).extract().path("job_id");
    }

    /** Launches the job; its run id. */
    public String launch(String jobId) {
        return api().post("/api/v1/workspaces/{ws}/jobs/{job}/runs", workspace, jobId).then().statusCode(202).extract().path("run_id");
    }

    /**
     * The run once it has ended (SUCCESS, FAILED or STOPPED) and its tasks' detail has caught up, within 90 s.
     * The status is the API's own; the task detail comes from the read model an instant later, so a task
     * still shown PENDING or RUNNING beside an ended run has not been folded in yet.
     */
    public ValidatableResponse awaitTerminal(String runId) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response run = api().get("/api/v1/workspaces/{ws}/runs/{run}", workspace, runId);
            run.then().statusCode(200);
            // The status is the launch record's; the end time and the task detail come from the read
            // model a moment later, the run's end applied together with its tasks' ends.
            List<String> taskStatuses = run.path("tasks.status");
            return List.of("SUCCESS", "FAILED", "STOPPED").contains(run.<String>path("status"))
                    && run.path("finished_at") != null
                    && (taskStatuses == null || taskStatuses.stream().noneMatch(s -> "PENDING".equals(s) || "RUNNING".equals(s)));
        });
        return api().get("/api/v1/workspaces/{ws}/runs/{run}", workspace, runId).then().statusCode(200);
    }

    /** A refusal in the project's error shape: the status, the machine-readable code, a message and how to fix it. */
    public static void expectError(Response r, int status, String code) {
        r.then().statusCode(status).body("error_code", equalTo(code));
        assertFalse(String.valueOf((Object) r.path("error_msg")).isBlank());
        assertFalse(String.valueOf((Object) r.path("solution_msg")).isBlank());
    }
}
