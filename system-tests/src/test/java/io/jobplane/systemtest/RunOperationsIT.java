package io.jobplane.systemtest;

import static io.jobplane.systemtest.WorkspaceCalls.expectError;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobplane.stack.Platform;
import io.restassured.response.Response;

/**
 * Run operations through the whole platform (job-api, a real worker, the harvester's read model):
 * rerun an ended run from its failure, all of it or the tasks named; mark an ended run's status
 * (audited, a SUCCESS fires the workflow its job triggers, once); skip a task of a queued run.
 */
@ExtendWith(SharedPlatform.class)
class RunOperationsIT {

    private static final String WS = "ops";
    private static final String OWNER = "ops_tenant";
    private static final String PASSWORD = "ops-owner-pw-" + UUID.randomUUID().toString().substring(0, 8);
    private static Platform platform;
    private static WorkspaceCalls calls;
    private static String database;
    private static String connectionId;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SharedPlatform.platform();
        calls = new WorkspaceCalls(platform, WS);
        database = "ops_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        platform.tenant().createDatabase(database, OWNER, PASSWORD);
        sql("create table ran (task text)", "create table skiplog (task text)", "create table downlog (task text)");
        connectionId = calls.createPostgresConnection("warehouse", database, OWNER, PASSWORD);
    }


    @Test
    void aFailedRunIsRerunFromItsFailureWholeOrByTaskAndBothRunsShowTheLink() throws Exception {
        String job = calls.createSqlJob("three-steps", connectionId, List.of(
                "insert into ran values ('one')", "insert into gate values ('two')", "insert into ran values ('three')"));
        String original = calls.launch(job);
        List<String> tasks = calls.awaitTerminal(original).body("status", equalTo("FAILED"))
                .body("tasks.status", equalTo(List.of("SUCCESS", "FAILED", "SKIPPED"))).extract().path("tasks.task_id");
        assertEquals(List.of("one"), rows("select task from ran"));

        // The cause is fixed; rerunning from the failure runs the 2nd and 3rd tasks only.
        sql("create table gate (task text)");
        Response rerun = rerun(original, Map.of("from", "FAILED"));
        rerun.then().statusCode(202).header("Location", notNullValue());
        String fromFailure = rerun.path("run_id");
        calls.awaitTerminal(fromFailure).body("status", equalTo("SUCCESS")).body("trigger", equalTo("rerun"))
                .body("rerun_of", equalTo(original)).body("tasks.task_id", equalTo(tasks.subList(1, 3)))
                .body("tasks.status", equalTo(List.of("SUCCESS", "SUCCESS")));
        assertEquals(List.of("one", "three"), rows("select task from ran"));
        assertEquals(List.of("two"), rows("select task from gate"));
        status(original).then().body("reruns", equalTo(List.of(fromFailure))).body("status", equalTo("FAILED"));

        // ALL runs every task the original ran; the idempotency key gives the same rerun again.
        Response all = calls.api().header("Idempotency-Key", "rerun-all-" + original).body(Map.of("from", "ALL"))
                .post("/api/v1/workspaces/{ws}/runs/{run}/rerun", WS, original);
        all.then().statusCode(202).header("Idempotent-Replayed", "false");
        String whole = all.path("run_id");
        calls.api().header("Idempotency-Key", "rerun-all-" + original).body(Map.of("from", "ALL"))
                .post("/api/v1/workspaces/{ws}/runs/{run}/rerun", WS, original)
                .then().statusCode(202).header("Idempotent-Replayed", "true").body("run_id", equalTo(whole));
        calls.awaitTerminal(whole).body("status", equalTo("SUCCESS")).body("tasks.task_id", equalTo(tasks));

        // A list names the tasks; new parameters may be given.
        String listed = rerun(original, Map.of("from", List.of(tasks.get(0)), "parameters", Map.of("note", "by hand")))
                .then().statusCode(202).extract().path("run_id");
        calls.awaitTerminal(listed).body("status", equalTo("SUCCESS")).body("tasks.task_id", equalTo(tasks.subList(0, 1)));
        status(original).then().body("reruns", equalTo(List.of(fromFailure, whole, listed)));

        expectError(rerun(fromFailure, Map.of("from", "FAILED")), 409, "NOTHING_TO_RERUN");
        expectError(rerun(original, Map.of("from", "SOME")), 400, "INVALID_RERUN_FROM");
        expectError(rerun(UUID.randomUUID().toString(), Map.of()), 404, "RUN_NOT_FOUND");
        WorkspaceCalls other = new WorkspaceCalls(platform, "ops-other");
        expectError(other.api().body(Map.of("from", "ALL"))
                .post("/api/v1/workspaces/{ws}/runs/{run}/rerun", "ops-other", original), 404, "RUN_NOT_FOUND");
        expectError(other.api().body(Map.of("status", "SUCCESS", "reason", "not mine"))
                .post("/api/v1/workspaces/{ws}/runs/{run}/mark", "ops-other", original), 404, "RUN_NOT_FOUND");
        expectError(other.api().post("/api/v1/workspaces/{ws}/runs/{run}/tasks/{task}/skip", "ops-other", original, tasks.get(0)),
                404, "RUN_NOT_FOUND");
    }

    @Test
    void aFailedRunMarkedSuccessFiresTheWorkflowItTriggersOnceAndIsAudited() {
        String upstream = calls.createSqlJob("upstream", connectionId, List.of("insert into nowhere values (1)"));
        String downstream = calls.createSqlJob("downstream", connectionId, List.of("insert into downlog values ('downstream')"));
        String flow = calls.api().body(Map.of("name", "flow", "type", "WORKFLOW")).post("/api/v1/workspaces/{ws}/jobs", WS)
                .then().statusCode(201).extract().path("job_id");
        calls.api().body(Map.of("triggers", List.of(upstream), "targets", List.of(downstream)))
                .put("/api/v1/workspaces/{ws}/workflows/{id}", WS, flow).then().statusCode(200);
        String failed = calls.launch(upstream);
        calls.awaitTerminal(failed).body("status", equalTo("FAILED"));
        workflow(flow).then().body("fire_count", equalTo(0));

        expectError(mark(failed, Map.of("status", "SUCCESS")), 400, "VALIDATION_FAILED");
        expectError(mark(failed, Map.of("status", "SUCCESS", "reason", "x".repeat(1001))), 400, "VALIDATION_FAILED");
        expectError(mark(failed, Map.of("status", "STOPPED", "reason", "no")), 400, "VALIDATION_FAILED");

        mark(failed, Map.of("status", "SUCCESS", "reason", "loaded by hand from the backup")).then().statusCode(200)
                .body("status", equalTo("SUCCESS")).body("reason", equalTo("loaded by hand from the backup"))
                .body("by", notNullValue()).body("at", notNullValue());
        status(failed).then().body("status", equalTo("SUCCESS")).body("marked.status", equalTo("SUCCESS"))
                .body("marked.reason", equalTo("loaded by hand from the backup"));
        // The mark evaluated the workflow before it answered: it fired once, and marking again fires nothing more.
        workflow(flow).then().body("fire_count", equalTo(1));
        mark(failed, Map.of("status", "SUCCESS", "reason", "said twice")).then().statusCode(200);
        workflow(flow).then().body("fire_count", equalTo(1));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> calls.api()
                .get("/api/v1/workspaces/{ws}/jobs/{job}/runs", WS, downstream).then().statusCode(200).extract()
                .<List<String>>path("runs.status").equals(List.of("SUCCESS")));
        calls.api().get("/api/v1/workspaces/{ws}/jobs/{job}/runs", WS, downstream).then()
                .body("runs[0].trigger", equalTo("workflow"));

        // The read model takes the mark: history and the last status agree with the run's read.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> calls.api()
                .get("/api/v1/workspaces/{ws}/jobs/{job}/last-status", WS, upstream).then().statusCode(200).extract()
                .<List<String>>path("status").equals(List.of("SUCCESS")));
        calls.api().get("/api/v1/workspaces/{ws}/audit", WS).then().statusCode(200).body("action", hasItem("run.marked"));

        mark(failed, Map.of("status", "FAILED", "reason", "the backup was stale")).then().statusCode(200);
        status(failed).then().body("status", equalTo("FAILED")).body("marked.reason", equalTo("the backup was stale"));
        workflow(flow).then().body("fire_count", equalTo(1));
        // Marked SUCCESS again, the run still counts once in its life: the workflow does not fire again.
        mark(failed, Map.of("status", "SUCCESS", "reason", "reloaded")).then().statusCode(200);
        workflow(flow).then().body("fire_count", equalTo(1));
    }

    @Test
    void aRunningRunIsNeitherRerunNorMarkedAndATaskOfAQueuedRunIsSkipped() throws Exception {
        String slow = calls.api().body(Map.of("name", "slow", "type", "TABLE_TO_TABLE", "destination_connection_id", connectionId,
                        "execution", Map.of("max_active_runs", 1),
                        "tasks", List.of(Map.of("query", "select pg_sleep(6)"),
                                Map.of("query", "insert into skiplog values ('skipped')"),
                                Map.of("query", "insert into skiplog values ('kept')"))))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
        List<String> tasks = calls.api().get("/api/v1/workspaces/{ws}/jobs/{job}/tasks", WS, slow).then().statusCode(200)
                .extract().path("task_id");
        String first = calls.launch(slow);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> "RUNNING".equals(status(first).path("status")));
        // The job's cap of one active run holds the second run QUEUED.
        String second = calls.launch(slow);
        status(second).then().body("status", equalTo("QUEUED"));

        expectError(rerun(first, Map.of("from", "ALL")), 409, "RUN_NOT_ENDED");
        expectError(mark(first, Map.of("status", "FAILED", "reason", "too slow")), 409, "RUN_NOT_ENDED");
        expectError(skip(first, tasks.get(1)), 409, "RUN_NOT_QUEUED");
        expectError(skip(second, UUID.randomUUID().toString()), 404, "TASK_NOT_FOUND");

        skip(second, tasks.get(1)).then().statusCode(200).body("task_id", equalTo(tasks.get(1))).body("status", equalTo("SKIPPED"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "SKIPPED".equals(status(second).path("tasks[1].status")));

        calls.api().post("/api/v1/workspaces/{ws}/runs/{run}/cancel", WS, first).then().statusCode(202);
        calls.awaitTerminal(second).body("status", equalTo("SUCCESS"))
                .body("tasks.status", equalTo(List.of("SUCCESS", "SKIPPED", "SUCCESS")));
        assertEquals(List.of("kept"), rows("select task from skiplog"));
        expectError(skip(second, tasks.get(2)), 409, "RUN_NOT_QUEUED");
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static Response rerun(String run, Map<String, ?> body) {
        return calls.api().body(body).post("/api/v1/workspaces/{ws}/runs/{run}/rerun", WS, run);
    }

    private static Response mark(String run, Map<String, ?> body) {
        return calls.api().body(body).post("/api/v1/workspaces/{ws}/runs/{run}/mark", WS, run);
    }

    private static Response skip(String run, String task) {
        return calls.api().post("/api/v1/workspaces/{ws}/runs/{run}/tasks/{task}/skip", WS, run, task);
    }

    private static Response status(String run) {
        Response r = calls.api().get("/api/v1/workspaces/{ws}/runs/{run}", WS, run);
        r.then().statusCode(200);
        return r;
    }

    private static Response workflow(String flow) {
        Response r = calls.api().get("/api/v1/workspaces/{ws}/workflows/{id}", WS, flow);
        r.then().statusCode(200);
        return r;
    }

    /** Statements run as the database's owner, the login the jobs use. */
    private static void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(platform.tenant().jdbcUrl(database), OWNER, PASSWORD);
                var st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static List<String> rows(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(platform.tenant().jdbcUrl(database), OWNER, PASSWORD);
                ResultSet rs = c.createStatement().executeQuery(query + " order by 1")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
