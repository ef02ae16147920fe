package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.token;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Tailer's DAG API against the real broker and database: every curl call of Tailer's reference, as
 * printed (host swapped, over HTTP/2 on cleartext as curl --http2 asks), on jobs whose Tailer
 * identity was set through the native API; the test plays the worker by sending run events.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class TailerApiIT {

    private static final String SEED_HOST = "https://tailer-api-nqonovswsq-ew.a.run.app";
    private static final String RUN_ID = "\\d{8}-\\d{6}-[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final List<String> RESULT_FIELDS = List.of("account", "configuration_id", "configuration_type", "duration",
            "environment", "job_id", "last_update_date", "run_id", "start_execution_date", "status");
    private static final String PREPARE = "000099_iowa_liquor_prepare_pda";
    private static final String TRAFFIC = "000099_Load_PDA_f_traffic_ma";
    private static final String S2S = "000099-jarvis-demo-iowa-liquor-storage-to-storage";
    private static final String WORKFLOW = "000099-iowa-liquor-load-pda";

    /** The seed's jobs in a fresh workspace: job ids by configuration id. */
    private record Seeded(String ws, Map<String, String> jobs) {
    }

    @Test
    void everyCurlOfTheReferenceWorksAsPrinted() throws Exception {
        Seeded s = seed();
        String jwt = token(s.ws(), "editor");
        List<String> curls = seedCurls();
        assertEquals(9, curls.size());

        // launch_job: {"run_id": ...}, a run of the native job, visible in the native API.
        Curl launch = curl(curls.get(0), jwt);
        assertEquals(200, launch.status(), launch.body());
        assertEquals("2", launch.httpVersion(), "curl --http2 on cleartext is upgraded to HTTP/2 (h2c)");
        assertEquals(List.of("run_id"), new ArrayList<>(launch.json().getMap("$").keySet()));
        String runId = launch.json().getString("run_id");
        assertTrue(runId.matches(RUN_ID), runId);
        String nativeRun = runId.substring(16);
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", s.ws(), nativeRun).then().statusCode(200)
                .body("job_id", equalTo(s.jobs().get(PREPARE))).body("status", equalTo("QUEUED"))
                .body("trigger", equalTo("manual"));

        // check_run_status as printed names a run of Tailer's own: not one of this configuration's.
        Curl printed = curl(curls.get(1), jwt);
        assertKo(printed, 404, "RUN_NOT_FOUND");
        Curl check = curl(curls.get(1).replace("20201230-112837-0a795c70-2557-4a60-ba16-788aa2bea179", runId), jwt);
        assertEquals(200, check.status(), check.body());
        assertEquals(List.of("results"), new ArrayList<>(check.json().getMap("$").keySet()));
        Map<String, Object> row = check.json().getMap("results[0]");
        assertEquals(RESULT_FIELDS, new ArrayList<>(row.keySet()), "exactly Tailer's fields, in its order");
        assertEquals("000099", row.get("account"));
        assertEquals("DEV", row.get("environment"));
        assertEquals("table-to-table", row.get("configuration_type"));
        assertEquals(PREPARE + "_DEV", row.get("configuration_id"));
        assertEquals("gbq-to-gbq|" + PREPARE + "_DEV", row.get("job_id"));
        assertEquals(runId, row.get("run_id"));
        assertEquals("WAITING", row.get("status"));
        assertTrue(((String) row.get("duration")).matches("\\d+:\\d{2}:\\d{2}\\.\\d{6}"), (String) row.get("duration"));
        assertTrue(((String) row.get("last_update_date")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00"),
                (String) row.get("last_update_date"));

        // get_last_status: the job, the configuration, the configuration with filters.
        for (int i = 2; i <= 4; i++) {
            Curl last = curl(curls.get(i), jwt);
            assertEquals(200, last.status(), last.body());
            assertEquals(List.of("results"), new ArrayList<>(last.json().getMap("$").keySet()));
            List<Map<String, Object>> results = last.json().getList("results");
            for (Map<String, Object> r : results) {
                assertEquals(RESULT_FIELDS, new ArrayList<>(r.keySet()));
            }
        }

        // reset_workflow_status: the native workflow's trigger successes are forgotten.
        String workflowPath = "/api/v1/workspaces/" + s.ws() + "/workflows/" + s.jobs().get(WORKFLOW);
        workerRuns(nativeRun, RunStatus.SUCCESS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(s.ws(), "viewer").get(workflowPath).then()
                .body("triggers.find { it.job_id == '" + s.jobs().get(PREPARE) + "' }.satisfied", equalTo(true)));
        Curl reset = curl(curls.get(5), jwt);
        assertEquals(200, reset.status(), reset.body());
        assertEquals("{\"code\":200,\"data\":{},\"message\":\"ok\"}", reset.body().replace(" ", ""));
        as(s.ws(), "viewer").get(workflowPath).then().statusCode(200)
                .body("triggers.find { it.job_id == '" + s.jobs().get(PREPARE) + "' }.satisfied", equalTo(false));

        // set_configuration_status: disable, enable, archive map onto the job's native status.
        String traffic = "/api/v1/workspaces/" + s.ws() + "/jobs/" + s.jobs().get(TRAFFIC);
        for (int[] step : new int[][] { { 6 }, { 7 }, { 8 } }) {
            Curl set = curl(curls.get(step[0]), jwt);
            assertEquals(200, set.status(), set.body());
            assertEquals("{\"code\":200,\"data\":{},\"message\":\"ok\"}", set.body().replace(" ", ""));
            String expected = switch (step[0]) {
                case 6 -> "DISABLED";
                case 7 -> "ACTIVE";
                default -> "ARCHIVED";
            };
            as(s.ws(), "viewer").get(traffic).then().statusCode(200).body("status", equalTo(expected));
        }
        // An archived configuration does not launch: the native rule, in Tailer's KO form.
        JsonPath refused = tailer(jwt, "/v1/dag/launch", identity("launch_job", "table-to-table", TRAFFIC + "_DEV"))
                .then().statusCode(409).extract().jsonPath();
        assertEquals(409, refused.getInt("code"));
        assertEquals("JOB_NOT_ACTIVE", refused.getString("data.error_code"));
        // The same curls speak HTTP/2 with prior knowledge too.
        Curl prior = curl(curls.get(2).replace("--http2", "--http2-prior-knowledge"), jwt);
        assertEquals(200, prior.status(), prior.body());
        assertEquals("2", prior.httpVersion());
    }

    @Test
    void aTailerRunFollowsTheNativeRunAndTheOtherWayRound() {
        Seeded s = seed();
        String jwt = token(s.ws(), "operator");
        Map<String, Object> launch = identity("launch_job", "table-to-table", PREPARE + "_DEV");
        launch.put("execution_date", "2026-11-01");
        String runId = tailer(jwt, "/v1/dag/launch", launch).then().statusCode(200).extract().path("run_id");
        String nativeRun = runId.substring(16);
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", s.ws(), nativeRun).then().statusCode(200)
                .body("execution_date", equalTo("2026-11-01T00:00:00Z"));
        assertEquals("WAITING", tailerStatus(jwt, runId));

        heartbeat(nativeRun, "ACCEPTED");
        send(nativeRun, EventTypes.RUN_STARTED, new RunStarted(nativeRun, 1, s.ws(), s.jobs().get(PREPARE), "w1", Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(tailerStatus(jwt, runId)));
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", s.ws(), nativeRun).then().body("status", equalTo("RUNNING"));
        send(nativeRun, EventTypes.RUN_FINISHED, new RunFinished(nativeRun, 1, s.ws(), s.jobs().get(PREPARE), RunStatus.SUCCESS,
                null, Instant.now(), null, "w1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(tailerStatus(jwt, runId)));
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", s.ws(), nativeRun).then().body("status", equalTo("SUCCESS"));

        // A run launched natively is the configuration's run in Tailer's words.
        String other = as(s.ws(), "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", s.ws(), s.jobs().get(PREPARE))
                .then().statusCode(202).extract().path("run_id");
        workerRuns(other, RunStatus.FAILED);
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(tailerStatus(jwt, other)));
        String prefixed = tailer(jwt, "/v1/dag/status", checkRun(other)).then().statusCode(200).extract().path("results[0].run_id");
        assertTrue(prefixed.matches(RUN_ID) && prefixed.endsWith(other), prefixed);
        // A run of another configuration is not this one's.
        Map<String, Object> wrongJob = identity("check_run_status", "table-to-table", TRAFFIC + "_DEV");
        wrongJob.put("run_id", runId);
        assertKo(tailer(jwt, "/v1/dag/status", wrongJob).then().extract().jsonPath(), 404, "RUN_NOT_FOUND");
    }

    @Test
    void otherWorkspacesAreNotFoundAndRolesAreTheNativeOnes() {
        Seeded s = seed();
        String foreign = token(uniqueWorkspace(), "admin");
        Map<String, Map<String, Object>> bodies = bodies(s);
        bodies.forEach((path, body) -> {
            JsonPath ko = tailer(foreign, path, body).then().statusCode(404).extract().jsonPath();
            assertKo(ko, 404, "CONFIGURATION_NOT_FOUND");
            assertTrue(!ko.prettify().contains(s.ws()), "the answer names no other workspace");
        });
        // viewer reads only; operator launches and resets (as natively); editor changes the configuration.
        Map<String, String> least = Map.of("/v1/dag/launch", "operator", "/v1/dag/status", "viewer",
                "/v1/workflow/status", "operator", "/v1/configuration/status", "editor");
        List<String> roles = List.of("viewer", "operator", "editor");
        bodies.forEach((path, body) -> {
            int needed = roles.indexOf(least.get(path));
            for (int i = 0; i < needed; i++) {
                assertKo(tailer(token(s.ws(), roles.get(i)), path, body).then().statusCode(403).extract().jsonPath(), 403,
                        "INSUFFICIENT_ROLE");
            }
            tailer(token(s.ws(), least.get(path)), path, body).then().statusCode(200);
        });
        // No token: 401 in the same form.
        JsonPath unauthenticated = given().contentType(ContentType.JSON).body(bodies.get("/v1/dag/status"))
                .post("/v1/dag/status").then().statusCode(401).extract().jsonPath();
        assertKo(unauthenticated, 401, "UNAUTHENTICATED");
    }

    @Test
    void badRequestsGetTailersErrorAndChangeNothing() throws Exception {
        Seeded s = seed();
        String jwt = token(s.ws(), "admin");
        String prepare = s.jobs().get(PREPARE);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"action\": \"launch_job\", \"account\": ", "MALFORMED_JSON");
        cases.put("", "MISSING_BODY");
        cases.put("[\"launch_job\"]", "INVALID_FIELD_TYPE");
        cases.put("{\"action\": \"drop_configuration\", \"account\": \"000099\", \"environment\": \"DEV\", "
                + "\"configuration_type\": \"table-to-table\", \"configuration_id\": \"" + PREPARE + "_DEV\"}", "UNKNOWN_ACTION");
        cases.put("{\"action\": \"launch_job\", \"account\": \"000099\", \"environment\": \"DEV\", "
                + "\"configuration_id\": \"" + PREPARE + "_DEV\"}", "MISSING_FIELD");
        cases.put("{\"action\": \"launch_job\", \"account\": \"000099\", \"environment\": \"DEV\", "
                + "\"configuration_type\": \"table-to-table\", \"configuration_id\": \"" + PREPARE + "\"}", "ENVIRONMENT_SUFFIX_MISSING");
        cases.put("{\"action\": \"launch_job\", \"account\": \"000099\", \"environment\": \"DEV\", \"priority\": 1, "
                + "\"configuration_type\": \"table-to-table\", \"configuration_id\": \"" + PREPARE + "_DEV\"}", "UNKNOWN_FIELD");
        cases.put("{\"action\": \"launch_job\", \"account\": \"000099\", \"environment\": \"DEV\", \"execution_date\": \"soon\", "
                + "\"configuration_type\": \"table-to-table\", \"configuration_id\": \"" + PREPARE + "_DEV\"}", "INVALID_EXECUTION_DATE");
        cases.put("{\"action\": \"launch_job\", \"account\": \"000099\", \"environment\": \"DEV\", \"padding\": \""
                + "x".repeat(70_000) + "\", \"configuration_type\": \"table-to-table\", \"configuration_id\": \"" + PREPARE + "_DEV\"}",
                "BODY_TOO_LARGE");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            JsonPath ko = given().auth().oauth2(jwt).contentType(ContentType.JSON).body(c.getKey()).post("/v1/dag/launch")
                    .then().extract().jsonPath();
            assertKo(ko, c.getValue().equals("BODY_TOO_LARGE") ? 413 : 400, c.getValue());
        }
        Map<String, Object> both = identity("set_configuration_status", "table-to-table", PREPARE + "_DEV");
        both.put("activated", true);
        both.put("archived", true);
        assertKo(tailer(jwt, "/v1/configuration/status", both).then().extract().jsonPath(), 400, "INVALID_CONFIGURATION_STATUS");
        Map<String, Object> missing = identity("set_configuration_status", "table-to-table", PREPARE + "_DEV");
        missing.put("activated", false);
        assertKo(tailer(jwt, "/v1/configuration/status", missing).then().extract().jsonPath(), 400, "MISSING_FIELD");
        assertKo(given().auth().oauth2(jwt).contentType(ContentType.JSON).body("{\"action\": \"reset_workflow_status\"}}")
                .post("/v1/workflow/status").then().extract().jsonPath(), 400, "MALFORMED_JSON");
        assertKo(given().auth().oauth2(jwt).contentType(ContentType.TEXT).body("action=launch_job")
                .post("/v1/dag/launch").then().extract().jsonPath(), 415, "UNSUPPORTED_MEDIA_TYPE");

        assertEquals("0", ApiTestSupport.storedValue("select count(*) from api.run where job_id = ?::uuid", prepare),
                "no bad request launched a run");
        as(s.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", s.ws(), prepare).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void theTailerEndpointsHaveTheirOwnTagInTheOpenApiDocument() {
        JsonPath doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertTrue(doc.getList("tags.name").contains("Tailer"));
        for (String path : List.of("/v1/dag/launch", "/v1/dag/status", "/v1/workflow/status", "/v1/configuration/status")) {
            assertEquals(List.of("Tailer"), doc.getList("paths.'" + path + "'.post.tags"), path);
        }
    }

    // --- the seed's configurations, set up through the native API --------------------------------

    private static Seeded seed() {
        String ws = uniqueWorkspace();
        String db = as(ws, "editor").body(postgresConnection("warehouse", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        Map<String, String> jobs = new HashMap<>();
        jobs.put(PREPARE, job(ws, Map.of("name", "prepare-pda", "type", "TABLE_TO_TABLE", "destination_connection_id", db,
                "queries", List.of("select 1"), "tailer", tailerIdentity("table-to-table", PREPARE))));
        jobs.put(TRAFFIC, job(ws, Map.of("name", "traffic", "type", "TABLE_TO_TABLE", "destination_connection_id", db,
                "queries", List.of("select 2"), "tailer", tailerIdentity("table-to-table", TRAFFIC))));
        String landing = filesystem(ws, "landing");
        String archive = filesystem(ws, "archive");
        jobs.put(S2S, job(ws, Map.of("name", "s2s", "type", "STORAGE_TO_STORAGE", "source_connection_id", landing,
                "destination_connection_id", archive, "queries", List.of("COPY 'in/stores-{{FD_DATE}}-{{FD_TIME}}.csv' TO 'out/'"),
                "tailer", tailerIdentity("storage-to-storage", S2S))));
        String workflow = job(ws, Map.of("name", "load-pda", "type", "WORKFLOW"));
        // The identity is set after creation too: PUT with "tailer".
        as(ws, "editor").body(Map.of("tailer", tailerIdentity("workflow", WORKFLOW)))
                .put("/api/v1/workspaces/{ws}/jobs/{job}", ws, workflow).then().statusCode(200)
                .body("tailer.configuration_id", equalTo(WORKFLOW));
        jobs.put(WORKFLOW, workflow);
        as(ws, "editor").body(Map.of("triggers", List.of(jobs.get(PREPARE), jobs.get(S2S)), "targets", List.of(jobs.get(TRAFFIC))))
                .put("/api/v1/workspaces/{ws}/workflows/{id}", ws, workflow).then().statusCode(200);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}", ws, jobs.get(PREPARE)).then().statusCode(200)
                .body("tailer.account", equalTo("000099")).body("tailer.environment", equalTo("DEV"))
                .body("tailer.configuration_type", equalTo("table-to-table")).body("tailer.configuration_id", equalTo(PREPARE));
        // One job per configuration in a workspace; an identity must fit the job type.
        as(ws, "editor").body(Map.of("tailer", tailerIdentity("table-to-table", PREPARE)))
                .put("/api/v1/workspaces/{ws}/jobs/{job}", ws, jobs.get(TRAFFIC)).then().statusCode(409)
                .body("error_code", equalTo("TAILER_IDENTITY_TAKEN"));
        as(ws, "editor").body(Map.of("tailer", tailerIdentity("workflow", "w2")))
                .put("/api/v1/workspaces/{ws}/jobs/{job}", ws, jobs.get(TRAFFIC)).then().statusCode(400)
                .body("error_code", equalTo("INVALID_TAILER_IDENTITY"));
        return new Seeded(ws, jobs);
    }

    private static Map<String, Object> tailerIdentity(String type, String id) {
        return Map.of("account", "000099", "environment", "DEV", "configuration_type", type, "configuration_id", id);
    }

    private static String job(String ws, Map<String, Object> body) {
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }

    private static String filesystem(String ws, String name) {
        try {
            Path dir = Files.createTempDirectory(TestInfrastructure.shared().filesRoot(), name);
            return as(ws, "editor").body(Map.of("name", name, "type", "filesystem", "base_path", dir.toString()))
                    .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One body per Tailer endpoint, each valid for the seeded workspace. */
    private static Map<String, Map<String, Object>> bodies(Seeded s) {
        Map<String, Object> set = identity("set_configuration_status", "table-to-table", TRAFFIC + "_DEV");
        set.put("activated", true);
        set.put("archived", false);
        return Map.of("/v1/dag/launch", identity("launch_job", "table-to-table", PREPARE + "_DEV"),
                "/v1/dag/status", identity("get_last_status", "table-to-table", PREPARE + "_DEV"),
                "/v1/workflow/status", identity("reset_workflow_status", "workflow", WORKFLOW),
                "/v1/configuration/status", set);
    }

    private static Map<String, Object> identity(String action, String type, String configurationId) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("action", action);
        body.put("account", "000099");
        body.put("environment", "DEV");
        body.put("configuration_type", type);
        body.put("configuration_id", configurationId);
        return body;
    }

    private static Map<String, Object> checkRun(String runId) {
        Map<String, Object> body = identity("check_run_status", "table-to-table", PREPARE + "_DEV");
        body.put("job_id", "gbq-to-gbq|" + PREPARE + "_DEV");
        body.put("run_id", runId);
        return body;
    }

    private static String tailerStatus(String jwt, String runId) {
        return tailer(jwt, "/v1/dag/status", checkRun(runId)).then().statusCode(200).extract().path("results[0].status");
    }

    private static io.restassured.response.Response tailer(String jwt, String path, Map<String, Object> body) {
        return given().auth().oauth2(jwt).contentType(ContentType.JSON).body(body).post(path);
    }

    private static void assertKo(JsonPath ko, int status, String code) {
        assertEquals(List.of("code", "data", "message"), new ArrayList<>(ko.getMap("$").keySet()), ko.prettify());
        assertEquals(status, ko.getInt("code"), ko.prettify());
        assertEquals(code, ko.getString("data.error_code"), ko.prettify());
        assertTrue(!ko.getString("message").isBlank());
        assertTrue(!ko.prettify().contains("Exception") && !ko.prettify().contains("\tat "), "no stack trace");
    }

    private static void assertKo(Curl curl, int status, String code) {
        assertEquals(status, curl.status(), curl.body());
        assertKo(curl.json(), status, code);
    }

    // --- curl, as printed ------------------------------------------------------------------------

    private record Curl(int status, String httpVersion, String body) {
        JsonPath json() {
            return new JsonPath(body);
        }
    }

    private static List<String> seedCurls() throws IOException {
        try (InputStream in = TailerApiIT.class.getResourceAsStream("/tailer/seed-curls.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            for (String block : text.replaceAll("(?m)^#.*\\n", "").split("\\n----\\n")) {
                out.add(block.strip());
            }
            return out;
        }
    }

    /** Runs a printed curl call with bash, against this service instead of Tailer's host. */
    private static Curl curl(String printed, String jwt) throws Exception {
        String command = printed.replace(SEED_HOST, "http://localhost:" + RestAssured.port)
                + " --silent --show-error --max-time 30 --write-out '\\n%{http_code} %{http_version}'";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        pb.environment().put("TAILER_API_JWT", jwt);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(40, TimeUnit.SECONDS), "curl ended");
        assertEquals(0, p.exitValue(), out);
        int cut = out.lastIndexOf('\n');
        String[] tail = out.substring(cut + 1).trim().split(" ");
        return new Curl(Integer.parseInt(tail[0]), tail[1], out.substring(0, cut));
    }

    // --- the worker, played -----------------------------------------------------------------------

    private static void workerRuns(String run, RunStatus end) {
        heartbeat(run, "ACCEPTED");
        send(run, EventTypes.RUN_STARTED, new RunStarted(run, 1, "ws", "job", "w1", Instant.now()));
        send(run, EventTypes.RUN_FINISHED, new RunFinished(run, 1, "ws", "job", end,
                end == RunStatus.SUCCESS ? null : "it ended " + end, Instant.now(), end == RunStatus.SUCCESS ? null : end.name(), "w1"));
    }

    private static void heartbeat(String run, String state) {
        send(run, EventTypes.RUN_HEARTBEAT, new RunHeartbeat(run, 1, "ws", "job", "w1", state, Instant.now()));
    }

    private static void send(String run, String type, Object payload) {
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, run,
                EventCodec.encode(CloudEvent.of("/test/worker", type, run, payload)));
    }
}
