package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.token;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * CData Sync's job management API v2 against the real broker and database: the reference's example
 * payloads as printed, every one of the 17 operations with CData's answer shapes, the job seen through
 * the native API, other workspaces 404 and native roles 403 on every endpoint, bad bodies answered in
 * CData's error shape and changing nothing. The test plays the worker by sending run events.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class CDataApiIT {

    private static final String SEED_CREATE = """
            {
            "name": "ReverseETLJob",
            "type": "ReverseETL",
            "source_connection_id": "550e8400-e29b-41d4-a716-446655440000",
            "destination_connection_id": "550e8400-e29b-41d4-a716-446655440220"
            }""";
    /** The reference's Update example, as printed: its outer brace is never closed. */
    private static final String SEED_UPDATE = """
            {
            "name": "reverseETLJob",
            "schedule": {
            "enabled": false,
            "cron": ""
            }""";
    private static final String SEED_EXECUTE = """
            {
            tasks:[
            "870237973789151200",
            "870875808946851841",
            "870875808946851842"
            ]
            }""";
    private static final String SEED_ADD_TASK = """
            {
            "query": "REPLICATE [Accounts] SELECT * FROM [Accounts]",
            "is_active": true
            }""";
    private static final String SEED_UPDATE_TASK = """
            {
            "query": "REPLICATE [Accounts] SELECT * FROM [Accounts]",
            "is_active": true,
            "index": 1
            }""";
    private static final String SEED_MOVE_TASK = """
            {
            "from_index": 0,
            "to_index": 1
            }""";
    private static final List<String> HISTORY_FIELDS = List.of("Id", "Job_Id", "Job_Name", "Status", "Attempt", "Trigger",
            "Execution_Date", "Queued_Date", "Run_Start_Date", "Run_End_Date", "Duration_Ms", "Records_Affected", "Error_Code",
            "Error_Message");

    private record Seeded(String ws, String warehouse, String receiver) {
    }

    @Test
    void everyOperationWithTheReferencesPayloadsAsPrinted() throws Exception {
        Seeded s = seed();
        String editor = token(s.ws(), "editor");

        // Create, as printed: its connection ids are CData's example's, not this workspace's.
        assertError(cdata(editor, "POST", "/api.rsc/v2/workspaces/" + s.ws() + "/jobs", SEED_CREATE), 400, "UNKNOWN_CONNECTION");
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs", s.ws()).then().statusCode(200).body("jobs.size()", equalTo(0));
        // The same payload naming this workspace's connections.
        String body = SEED_CREATE.replace("550e8400-e29b-41d4-a716-446655440000", s.warehouse())
                .replace("550e8400-e29b-41d4-a716-446655440220", s.receiver());
        Response created = cdata(editor, "POST", "/api.rsc/v2/workspaces/" + s.ws() + "/jobs", body);
        assertEquals(201, created.statusCode(), created.asString());
        JsonPath job = created.jsonPath();
        String jobId = job.getString("Id");
        assertEquals("ReverseETLJob", job.getString("Name"));
        assertEquals("ReverseETL", job.getString("Type"));
        assertEquals(s.ws(), job.getString("Workspace_Id"));
        assertEquals(Map.of("Id", s.warehouse(), "Name", "warehouse"), job.getMap("'Source-Connection'"));
        assertEquals(Map.of("Id", s.receiver(), "Name", "receiver"), job.getMap("'Destination-Connection'"));
        assertEquals(Map.of("Enabled", false, "Cron", ""), job.getMap("Schedule"));
        assertTrue(!created.asString().contains("password"), "no secret in the answer");
        // The job is a native job.
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), jobId).then().statusCode(200)
                .body("type", equalTo("REVERSE_ETL")).body("name", equalTo("ReverseETLJob"))
                .body("source_connection_id", equalTo(s.warehouse())).body("destination_connection_id", equalTo(s.receiver()));

        // Create with CData's documented names: connections by name, schedule, labels, pipeline id, queries.
        Map<String, Object> documented = new LinkedHashMap<>();
        documented.put("Name", "nightly-accounts");
        documented.put("Type", "Standard");
        documented.put("Source-Connection", "warehouse");
        documented.put("Destination-Connection", Map.of("Id", s.warehouse(), "Name", "warehouse"));
        documented.put("Schedule", Map.of("Enabled", true));
        documented.put("Cron", "0 2 * * *");
        documented.put("Send_Email", false);
        documented.put("Verbosity", 3);
        documented.put("Table_Name_Prefix", "crm_");
        documented.put("Deletion_Behavior", "SoftDelete");
        documented.put("Labels", List.of("nightly", "crm"));
        documented.put("Pipeline Id", "pipeline-7");
        documented.put("Queries", List.of("REPLICATE [Accounts]", "REPLICATE [Contacts]"));
        Response standard = cdata(editor, "POST", "/api.rsc/v2/workspaces/" + s.ws() + "/jobs", documented);
        assertEquals(201, standard.statusCode(), standard.asString());
        String standardId = standard.jsonPath().getString("Id");
        assertEquals(List.of("REPLICATE [Accounts]", "REPLICATE [Contacts]"), standard.jsonPath().getList("Queries"));
        assertEquals("pipeline-7", standard.jsonPath().getString("'Pipeline Id'"));
        assertEquals("SoftDelete", standard.jsonPath().getString("Deletion_Behavior"));
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), standardId).then().statusCode(200)
                .body("type", equalTo("STANDARD")).body("schedule.enabled", equalTo(true)).body("schedule.cron", equalTo("0 2 * * *"))
                .body("labels", equalTo(List.of("nightly", "crm"))).body("pipeline_id", equalTo("pipeline-7"))
                .body("execution.verbosity", equalTo(3)).body("replication.table_name_prefix", equalTo("crm_"))
                .body("replication.deletion_behavior", equalTo("SOFT_DELETE")).body("tasks.size()", equalTo(2));

        // List all jobs in the workspace.
        JsonPath list = ok(cdata(token(s.ws(), "viewer"), "GET", "/api.rsc/v2/workspaces/" + s.ws() + "/jobs", null));
        assertEquals(List.of("value"), new ArrayList<>(list.getMap("$").keySet()));
        assertEquals(java.util.Set.of("ReverseETLJob", "nightly-accounts"), java.util.Set.copyOf(list.getList("value.Name")));

        // Tasks: add (as printed) twice, list, get, update (as printed: to index 1), move (as printed).
        String jobPath = "/api.rsc/v2/jobs/" + jobId;
        Response added = cdata(editor, "POST", jobPath + "/tasks", SEED_ADD_TASK);
        assertEquals(201, added.statusCode(), added.asString());
        assertEquals(List.of("Id", "Index", "Query", "Is_Active"), new ArrayList<>(added.jsonPath().getMap("$").keySet()));
        String first = added.jsonPath().getString("Id");
        assertEquals(0, added.jsonPath().getInt("Index"));
        assertEquals(true, added.jsonPath().getBoolean("Is_Active"));
        String second = cdata(editor, "POST", jobPath + "/tasks",
                Map.of("Query", "REPLICATE [Contacts] SELECT * FROM [Contacts]", "Is_Active", false))
                .then().statusCode(201).extract().path("Id");
        JsonPath tasks = ok(cdata(token(s.ws(), "viewer"), "GET", jobPath + "/tasks", null));
        assertEquals(List.of(first, second), tasks.getList("value.Id"));
        assertEquals(List.of(true, false), tasks.getList("value.Is_Active"));
        JsonPath one = ok(cdata(token(s.ws(), "viewer"), "GET", jobPath + "/tasks/" + second, null));
        assertEquals("REPLICATE [Contacts] SELECT * FROM [Contacts]", one.getString("Query"));
        JsonPath updated = ok(cdata(editor, "PUT", jobPath + "/tasks/" + first, SEED_UPDATE_TASK));
        assertEquals(1, updated.getInt("Index"));
        JsonPath moved = ok(cdata(editor, "POST", jobPath + "/tasks/" + second + "/move", SEED_MOVE_TASK));
        assertEquals(List.of(first, second), moved.getList("value.Id"), "the task at index 0 moved to index 1");
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}/tasks", s.ws(), jobId).then()
                .body("task_id", equalTo(List.of(first, second)));

        // Update, as printed: the outer brace is not closed, so it is refused and nothing changes.
        assertError(cdata(editor, "PUT", jobPath, SEED_UPDATE), 400, "MALFORMED_JSON");
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), jobId).then().body("name", equalTo("ReverseETLJob"));
        JsonPath renamed = ok(cdata(editor, "PUT", jobPath, SEED_UPDATE + "\n}"));
        assertEquals("reverseETLJob", renamed.getString("Name"));
        assertEquals(Map.of("Enabled", false, "Cron", ""), renamed.getMap("Schedule"));
        // The documented names too: one execution parameter keeps the others.
        JsonPath verbose = ok(cdata(editor, "PUT", jobPath, Map.of("Verbosity", 5, "Labels", List.of("rev"))));
        assertEquals(5, verbose.getInt("Verbosity"));
        assertEquals(List.of("rev"), verbose.getList("Labels"));
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), jobId).then().body("name", equalTo("reverseETLJob"))
                .body("execution.verbosity", equalTo(5)).body("execution.worker_pool", equalTo(1));

        // Status before any run.
        JsonPath never = ok(cdata(token(s.ws(), "viewer"), "GET", jobPath + "/status", null));
        assertEquals(List.of("Job_Id", "Status", "Active_Runs", "Queued_Runs", "Last_Run"), new ArrayList<>(never.getMap("$").keySet()));
        assertEquals("Never Run", never.getString("Status"));

        // Execute, as printed: its task ids are CData's example's, so nothing is launched.
        String operator = token(s.ws(), "operator");
        assertError(cdata(operator, "POST", jobPath + "/execute", SEED_EXECUTE), 400, "UNKNOWN_TASK");
        assertEquals("0", ApiTestSupport.storedValue("select count(*) from api.run where job_id = ?::uuid", jobId));
        // The same payload naming this job's tasks: the inactive second one runs too, as CData's Execute does.
        Response executed = cdata(operator, "POST", jobPath + "/execute", SEED_EXECUTE.replace("\"870237973789151200\",", "")
                .replace("\"870875808946851841\"", "\"" + first + "\"").replace("\"870875808946851842\"", "\"" + second + "\""));
        assertEquals(202, executed.statusCode(), executed.asString());
        JsonPath run = executed.jsonPath();
        assertEquals(List.of("Job_Id", "History_Id", "Status", "Attempt", "Trigger", "Queued_Date"),
                new ArrayList<>(run.getMap("$").keySet()));
        assertEquals("Queued", run.getString("Status"));
        String runId = run.getString("History_Id");
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", s.ws(), runId).then().statusCode(200)
                .body("job_id", equalTo(jobId)).body("trigger", equalTo("manual"));

        // A running job cannot be updated or deleted (the native rule).
        assertError(cdata(editor, "PUT", jobPath, Map.of("Name", "renamed-while-running")), 409, "JOB_RUNNING");
        assertError(cdata(editor, "DELETE", jobPath, null), 409, "JOB_RUNNING");
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), jobId).then().statusCode(200)
                .body("name", equalTo("reverseETLJob"));

        // The worker starts it; status and one history entry follow the native run.
        heartbeat(runId);
        send(runId, EventTypes.RUN_STARTED, new RunStarted(runId, 1, s.ws(), jobId, "w1", Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> "Running".equals(
                cdata(token(s.ws(), "viewer"), "GET", jobPath + "/history/" + runId, null).jsonPath().getString("Status")));
        JsonPath entry = ok(cdata(token(s.ws(), "viewer"), "GET", jobPath + "/history/" + runId, null));
        for (String field : HISTORY_FIELDS) {
            assertTrue(entry.getMap("$").containsKey(field), field + " in " + entry.prettify());
        }
        assertEquals(runId, entry.getString("Id"));
        assertEquals(jobId, entry.getString("Job_Id"));
        JsonPath status = ok(cdata(token(s.ws(), "viewer"), "GET", jobPath + "/status", null));
        assertEquals(1, status.getInt("Active_Runs"));
        assertError(cdata(token(s.ws(), "viewer"), "GET", jobPath + "/history/" + UUID.randomUUID(), null), 404, "HISTORY_NOT_FOUND");
        assertError(cdata(token(s.ws(), "viewer"), "GET", jobPath + "/history/870237973789151200", null), 404, "HISTORY_NOT_FOUND");

        // Cancel: the native cancel of its running run; then the worker stops it.
        Response cancelled = cdata(operator, "POST", jobPath + "/cancel", null);
        assertEquals(202, cancelled.statusCode(), cancelled.asString());
        assertEquals(List.of(runId), cancelled.jsonPath().getList("value.History_Id"));
        assertEquals(List.of("Cancelling"), cancelled.jsonPath().getList("value.Status"));
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", s.ws(), runId).then().body("status", equalTo("CANCELLING"));
        send(runId, EventTypes.RUN_FINISHED, new RunFinished(runId, 1, s.ws(), jobId, RunStatus.STOPPED, "cancelled",
                Instant.now(), "CANCELLED", "w1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "Cancelled".equals(
                cdata(token(s.ws(), "viewer"), "GET", jobPath + "/history/" + runId, null).jsonPath().getString("Status")));
        assertError(cdata(operator, "POST", jobPath + "/cancel", null), 409, "JOB_NOT_RUNNING");

        // History, last run of all tasks, task history: lists of the run read model (built by metadata-harvester,
        // which this test does not run: their entries are checked end to end in system-tests' WalkingSkeletonIT).
        for (String path : List.of("/history", "/tasks/last-run", "/tasks/" + first + "/history")) {
            JsonPath page = ok(cdata(token(s.ws(), "viewer"), "GET", jobPath + path, null));
            assertEquals(List.of("value"), new ArrayList<>(page.getMap("$").keySet()), path);
            assertNotNull(page.getList("value"), path);
        }
        assertError(cdata(token(s.ws(), "viewer"), "GET", jobPath + "/tasks/" + UUID.randomUUID() + "/history", null), 404,
                "TASK_NOT_FOUND");

        // Delete a task, then the job; the run's history stays natively.
        assertEquals(204, cdata(editor, "DELETE", jobPath + "/tasks/" + second, null).statusCode());
        assertEquals(List.of(first), ok(cdata(editor, "GET", jobPath + "/tasks", null)).getList("value.Id"));
        assertEquals(204, cdata(editor, "DELETE", jobPath, null).statusCode());
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), jobId).then().statusCode(404);
        assertError(cdata(editor, "GET", jobPath + "/tasks", null), 404, "JOB_NOT_FOUND");
    }

    /**
     * A CData client sends its credential in {@code x-cdata-authtoken} or as Basic auth: an API token
     * (and the platform's JWT) works there, on CData's paths, with the token's workspace and role; a
     * revoked token is refused in CData's error shape.
     */
    @Test
    void cdataClientsAuthenticateWithAnApiTokenInTheirOwnHeaders() {
        Seeded s = seed();
        String jobs = "/api.rsc/v2/workspaces/" + s.ws() + "/jobs";
        Response created = as(s.ws(), "admin").body(Map.of("name", "cdata-script", "role", "viewer",
                "expires_at", Instant.now().plus(Duration.ofDays(1)).toString()))
                .post("/api/v1/workspaces/{ws}/api-tokens", s.ws());
        created.then().statusCode(201);
        String apiToken = created.jsonPath().getString("token");
        String tokenId = created.jsonPath().getString("token_id");
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + apiToken)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (var request : List.of(given().header("x-cdata-authtoken", apiToken), given().header("Authorization", basic),
                given().header("x-cdata-authtoken", token(s.ws(), "viewer")))) {
            request.get(jobs).then().statusCode(200).body("value", org.hamcrest.Matchers.notNullValue());
        }
        assertError(given().header("x-cdata-authtoken", apiToken).contentType(ContentType.JSON)
                .body(Map.of("Name", "viewer-cannot", "Type", "Standard")).post(jobs), 403, "INSUFFICIENT_ROLE");
        as(s.ws(), "admin").delete("/api/v1/workspaces/{ws}/api-tokens/{id}", s.ws(), tokenId).then().statusCode(204);
        assertError(given().header("x-cdata-authtoken", apiToken).get(jobs), 401, "UNAUTHENTICATED");
    }

    @Test
    void otherWorkspacesAreNotFoundAndRolesAreTheNativeOnesOnEveryEndpoint() {
        Seeded s = seed();
        String job = createJob(s, "roles");
        String spare = createJob(s, "spare");
        String task = cdata(token(s.ws(), "editor"), "POST", "/api.rsc/v2/jobs/" + job + "/tasks", SEED_ADD_TASK)
                .then().statusCode(201).extract().path("Id");
        String other = cdata(token(s.ws(), "editor"), "POST", "/api.rsc/v2/jobs/" + job + "/tasks", SEED_ADD_TASK)
                .then().statusCode(201).extract().path("Id");
        String jobs = "/api.rsc/v2/workspaces/" + s.ws() + "/jobs";
        String j = "/api.rsc/v2/jobs/" + job;
        Map<String, Object> newJob = Map.of("Name", "made-by-role", "Type", "ReverseETL", "Source-Connection", "warehouse",
                "Destination-Connection", "receiver");
        // Method, path, least role, body; in an order in which every call can succeed once allowed.
        List<Object[]> endpoints = List.of(
                new Object[] { "GET", jobs, "viewer", null },
                new Object[] { "POST", jobs, "editor", newJob },
                new Object[] { "GET", j + "/tasks", "viewer", null },
                new Object[] { "GET", j + "/tasks/" + task, "viewer", null },
                new Object[] { "POST", j + "/tasks", "editor", SEED_ADD_TASK },
                new Object[] { "PUT", j + "/tasks/" + task, "editor", SEED_UPDATE_TASK },
                // The update above moved the task to index 1.
                new Object[] { "POST", j + "/tasks/" + task + "/move", "editor", "{\"from_index\": 1, \"to_index\": 0}" },
                new Object[] { "DELETE", j + "/tasks/" + other, "editor", null },
                new Object[] { "PUT", j, "editor", SEED_UPDATE + "}" },
                new Object[] { "GET", j + "/status", "viewer", null },
                new Object[] { "POST", j + "/execute", "operator", null },
                new Object[] { "GET", j + "/history", "viewer", null },
                new Object[] { "GET", j + "/history/" + UUID.randomUUID(), "viewer", null },
                new Object[] { "GET", j + "/tasks/last-run", "viewer", null },
                new Object[] { "GET", j + "/tasks/" + task + "/history", "viewer", null },
                new Object[] { "POST", j + "/cancel", "operator", null },
                new Object[] { "DELETE", "/api.rsc/v2/jobs/" + spare, "editor", null });
        assertEquals(17, endpoints.size(), "the reference's 17 operations");
        String foreign = token(uniqueWorkspace(), "admin");
        List<String> roles = List.of("viewer", "operator", "editor", "admin");
        for (Object[] e : endpoints) {
            String method = (String) e[0];
            String path = (String) e[1];
            String least = (String) e[2];
            Object body = e[3];
            assertError(cdata(null, method, path, body), 401, "UNAUTHENTICATED");
            Response outsider = cdata(foreign, method, path, body);
            assertError(outsider, 404, path.startsWith(jobs) ? "WORKSPACE_NOT_FOUND" : "JOB_NOT_FOUND");
            assertTrue(!outsider.asString().contains(s.ws()) || path.startsWith(jobs), "the answer names no other workspace");
            for (String role : roles.subList(0, roles.indexOf(least))) {
                assertError(cdata(token(s.ws(), role), method, path, body), 403, "INSUFFICIENT_ROLE");
            }
        }
        // Nothing the refused calls asked for happened: the job keeps its query and the two tasks added above.
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}/tasks", s.ws(), job).then().body("size()", equalTo(3));
        assertEquals(2, as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs", s.ws()).then().extract().jsonPath()
                .getList("jobs").size(), "the roles and spare jobs only");
        // With the least role each passes authorisation and does its work.
        for (Object[] e : endpoints) {
            Response r = cdata(token(s.ws(), (String) e[2]), (String) e[0], (String) e[1], e[3]);
            String code = r.statusCode() >= 400 ? r.jsonPath().getString("error.code") : null;
            if (((String) e[1]).contains("/history/")) {
                assertError(r, 404, "HISTORY_NOT_FOUND");
            } else {
                assertTrue(r.statusCode() < 300, e[0] + " " + e[1] + ": " + r.statusCode() + " " + code + " " + r.asString());
            }
        }
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), spare).then().statusCode(404);
    }

    @Test
    void badBodiesGetCDatasErrorAndChangeNothing() throws Exception {
        Seeded s = seed();
        String job = createJob(s, "steady");
        String editor = token(s.ws(), "editor");
        String jobs = "/api.rsc/v2/workspaces/" + s.ws() + "/jobs";
        String before = ok(cdata(editor, "GET", "/api.rsc/v2/jobs/" + job + "/tasks", null)).prettify();
        int version = as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), job).then().extract().path("version");

        Map<String, String> creates = new LinkedHashMap<>();
        creates.put("{\"Name\": \"x\", \"Type\": ", "MALFORMED_JSON");
        creates.put("", "MISSING_BODY");
        creates.put("[\"Name\"]", "INVALID_FIELD_TYPE");
        creates.put("{\"Name\": \"x\", \"Type\": \"ReverseETL\", \"Priority\": 1}", "UNKNOWN_FIELD");
        creates.put("{\"Name\": \"x\", \"Type\": \"Mirror\"}", "INVALID_ENUM_VALUE");
        creates.put("{\"Name\": \"x\"}", "MISSING_FIELD");
        creates.put("{\"Name\": \"has spaces\", \"Type\": \"ReverseETL\", \"Source-Connection\": \"warehouse\", "
                + "\"Destination-Connection\": \"receiver\"}", "VALIDATION_FAILED");
        creates.put("{\"Name\": \"x\", \"Type\": \"ReverseETL\", \"Source-Connection\": \"warehouse\", "
                + "\"Destination-Connection\": \"receiver\", \"Schedule\": {\"Enabled\": true}, \"Cron\": \"every day\"}", "INVALID_CRON");
        creates.put("{\"Name\": \"x\", \"Type\": \"ReverseETL\", \"Source-Connection\": \"nowhere\", "
                + "\"Destination-Connection\": \"receiver\"}", "UNKNOWN_CONNECTION");
        creates.put("{\"Name\": \"x\", \"Type\": \"ReverseETL\", \"Source-Connection\": \"warehouse\", "
                + "\"Destination-Connection\": \"warehouse\"}", "CONNECTION_TYPE_MISMATCH");
        creates.put("{\"Name\": \"x\", \"Type\": \"ReverseETL\", \"Source-Connection\": \"warehouse\", "
                + "\"Destination-Connection\": \"receiver\", \"Queries\": [\"drop table accounts\"]}", "INVALID_TASK");
        creates.put("{\"Name\": \"x\", \"Type\": \"ReverseETL\", \"Queries\": [\"" + "x".repeat(1_100_000) + "\"]}", "BODY_TOO_LARGE");
        for (var c : creates.entrySet()) {
            Response r = cdata(editor, "POST", jobs, c.getKey());
            assertError(r, c.getValue().equals("BODY_TOO_LARGE") ? 413 : 400, c.getValue());
        }
        assertError(given().auth().oauth2(editor).contentType(ContentType.TEXT).body("Name=x").post(jobs), 415,
                "UNSUPPORTED_MEDIA_TYPE");

        String j = "/api.rsc/v2/jobs/" + job;
        assertError(cdata(editor, "PUT", j, SEED_UPDATE), 400, "MALFORMED_JSON");
        assertError(cdata(editor, "PUT", j, "{\"Type\": \"Standard\"}"), 400, "UNKNOWN_FIELD");
        assertError(cdata(editor, "PUT", j, "{\"Verbosity\": 4}"), 400, "INVALID_ENUM_VALUE");
        assertError(cdata(editor, "PUT", j, "{\"Send_Email\": true}"), 400, "INVALID_SETTING");
        assertError(cdata(editor, "PUT", j, "{\"Worker_Pool\": 500}"), 400, "VALIDATION_FAILED");
        assertError(cdata(editor, "PUT", j, "{\"Name\": \"" + "n".repeat(1_100_000) + "\"}"), 413, "BODY_TOO_LARGE");
        assertError(cdata(editor, "POST", j + "/tasks", "{\"is_active\": true}"), 400, "MISSING_FIELD");
        assertError(cdata(editor, "POST", j + "/tasks", "{\"query\": \"select 1\"}"), 400, "INVALID_TASK");
        assertError(cdata(editor, "POST", j + "/tasks", "{\"query\": \"" + "q".repeat(1_100_000) + "\"}"), 413, "BODY_TOO_LARGE");
        String task = ok(cdata(editor, "GET", j + "/tasks", null)).getString("value[0].Id");
        assertError(cdata(editor, "POST", j + "/tasks/" + task + "/move", "{\"from_index\": 3, \"to_index\": 0}"), 409, "TASK_MOVED");
        assertError(cdata(editor, "POST", j + "/tasks/" + task + "/move", "{\"from_index\": \"first\"}"), 400, "INVALID_FIELD_TYPE");
        assertError(cdata(editor, "PUT", j + "/tasks/" + task, "{\"index\": 9}"), 400, "INDEX_OUT_OF_RANGE");
        assertError(cdata(editor, "GET", j + "/tasks/not-a-task", null), 404, "TASK_NOT_FOUND");
        assertError(cdata(editor, "GET", "/api.rsc/v2/jobs/not-a-job/tasks", null), 404, "JOB_NOT_FOUND");
        assertError(cdata(token(s.ws(), "operator"), "POST", j + "/execute", "{\"tasks\": \"all\"}"), 400, "INVALID_FIELD_TYPE");
        assertError(cdata(token(s.ws(), "operator"), "POST", j + "/execute", "{\"tasks\": [\"" + UUID.randomUUID() + "\"]}"), 400,
                "UNKNOWN_TASK");

        assertEquals(List.of("steady"), as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs", s.ws()).then().extract()
                .jsonPath().getList("jobs.name"), "no bad body created a job");
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), job).then().body("version", equalTo(version))
                .body("name", equalTo("steady"));
        assertEquals(before, ok(cdata(editor, "GET", j + "/tasks", null)).prettify(), "the tasks are as they were");
        assertEquals("0", ApiTestSupport.storedValue("select count(*) from api.run where job_id = ?::uuid", job),
                "no bad request launched a run");
    }

    @Test
    void theCDataEndpointsHaveTheirOwnTagInTheOpenApiDocument() {
        JsonPath doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertTrue(doc.getList("tags.name").contains("CData Sync"));
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        int operations = 0;
        for (var p : paths.entrySet()) {
            if (p.getKey().startsWith("/api.rsc/v2/")) {
                for (String method : p.getValue().keySet()) {
                    assertEquals(List.of("CData Sync"), doc.getList("paths.'" + p.getKey() + "'." + method + ".tags"), p.getKey());
                    operations++;
                }
            }
        }
        assertEquals(17, operations);
    }

    // --- set-up ------------------------------------------------------------------------------------

    private static Seeded seed() {
        String ws = uniqueWorkspace();
        String warehouse = as(ws, "editor").body(postgresConnection("warehouse", "pw-" + UUID.randomUUID()))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        String receiver = as(ws, "editor").body(Map.of("name", "receiver", "type", "http", "base_url", "https://crm.example.com/v2"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        return new Seeded(ws, warehouse, receiver);
    }

    /** A reverse ETL job with one task, made through CData. */
    private static String createJob(Seeded s, String name) {
        return cdata(token(s.ws(), "editor"), "POST", "/api.rsc/v2/workspaces/" + s.ws() + "/jobs",
                Map.of("Name", name, "Type", "ReverseETL", "Source-Connection", "warehouse", "Destination-Connection", "receiver",
                        "Queries", List.of("REPLICATE [Accounts]")))
                .then().statusCode(201).extract().path("Id");
    }

    private static Response cdata(String jwt, String method, String path, Object body) {
        var spec = given();
        if (jwt != null) {
            spec = spec.auth().oauth2(jwt);
        }
        if (body != null) {
            spec = spec.contentType(ContentType.JSON).body(body);
        }
        return spec.request(method, path);
    }

    private static JsonPath ok(Response r) {
        assertTrue(r.statusCode() == 200, r.statusCode() + " " + r.asString());
        return r.jsonPath();
    }

    private static void assertError(Response r, int status, String code) {
        assertEquals(status, r.statusCode(), r.asString());
        JsonPath e = r.jsonPath();
        assertEquals(List.of("error"), new ArrayList<>(e.getMap("$").keySet()), e.prettify());
        assertEquals(List.of("code", "message", "solution", "request_id"), new ArrayList<>(e.getMap("error").keySet()));
        assertEquals(code, e.getString("error.code"), e.prettify());
        assertTrue(!e.getString("error.message").isBlank());
        assertTrue(!r.asString().contains("Exception") && !r.asString().contains("\tat "), "no stack trace");
    }

    // --- the worker, played ------------------------------------------------------------------------

    private static void heartbeat(String run) {
        send(run, EventTypes.RUN_HEARTBEAT, new RunHeartbeat(run, 1, "ws", "job", "w1", "ACCEPTED", Instant.now()));
    }

    private static void send(String run, String type, Object payload) {
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, run,
                EventCodec.encode(CloudEvent.of("/test/worker", type, run, payload)));
    }
}
