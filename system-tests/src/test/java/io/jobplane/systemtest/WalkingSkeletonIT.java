package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobplane.stack.DevTokens;
import io.jobplane.stack.Platform;
import io.jobplane.stack.Ports;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * The walking skeleton end to end: the four services as real processes on a real Kafka broker
 * and PostgreSQL, driven only through the public REST API.
 */
@ExtendWith(SharedPlatform.class)
class WalkingSkeletonIT {

    private static final String WS = "acme";
    private static final String CANARY = "canary-e2e-4b1d-secret";
    /** The target database's owner, whose password is the canary: jobs log in with a real secret. */
    private static final String TENANT = "e2e_tenant";
    /** A second login whose password is the canary with "-rotated": a connection updated to it keeps working. */
    private static final String ROTATED = "e2e_rotated";
    private static Platform platform;
    private static String targetDb;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SharedPlatform.platform();
        targetDb = "target_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        platform.tenant().createDatabase(targetDb, TENANT, CANARY);
        var pg = platform.tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(targetDb), pg.username(), pg.password())) {
            c.createStatement().execute("create role " + ROTATED + " login password '" + CANARY + "-rotated'");
        }
    }


    @Test
    void aGoodSqlJobRunsToSuccessAndItsEffectIsInTheDatabase() throws Exception {
        String connectionId = createConnection("warehouse");
        String jobId = createJob("load-customers", connectionId, List.of(
                "create table customers (id int primary key, name text)",
                "insert into customers values (1, 'Ada'), (2, 'Grace'), (3, 'Edsger')"));

        String runId = launch(jobId);
        ValidatableResponse done = awaitTerminal(runId);

        done.body("status", equalTo("SUCCESS"))
                .body("started_at", notNullValue())
                .body("finished_at", notNullValue())
                .body("duration_ms", notNullValue())
                .body("tasks", hasSize(2))
                .body("tasks[0].status", equalTo("SUCCESS"))
                .body("tasks[1].status", equalTo("SUCCESS"))
                .body("tasks[1].rows_affected", equalTo(3));
        assertEquals(List.of("Ada", "Grace", "Edsger"), names("select name from customers order by id"));
    }

    @Test
    void aFailingSqlEndsFailedWithTheDatabaseErrorOnTheTask() throws Exception {
        String connectionId = createConnection("broken");
        String jobId = createJob("bad-insert", connectionId, List.of(
                "insert into no_such_table values (1)",
                "create table never_created (id int)"));

        String runId = launch(jobId);
        awaitTerminal(runId)
                .body("status", equalTo("FAILED"))
                .body("tasks[0].status", equalTo("FAILED"))
                .body("tasks[0].error_message", containsString("relation \"no_such_table\" does not exist"))
                .body("tasks[1].status", equalTo("SKIPPED"));
        assertTrue(names("select table_name from information_schema.tables where table_name = 'never_created'").isEmpty());
    }

    @Test
    void aStepsPackageTravelsByHashToTheWorkerWhichFetchesItFromJobApiAndRunsIt() throws Exception {
        String marker = "steps-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String connectionId = createConnection("steps-warehouse");
        String jobId = api().body(Map.of("name", "packaged-steps", "type", "STEPS", "destination_connection_id", connectionId))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
        byte[] zip = io.jobplane.stack.Zips.of(Map.of(
                "my-job/10_hello.sh", "echo \"" + marker + " from $JOBPLANE_STEP\"",
                "my-job/20_table.sql", "create table steps_e2e (note text); insert into steps_e2e values ('" + marker + "');"));
        String sha = api().contentType("application/zip").body(zip)
                .post("/api/v1/workspaces/{ws}/jobs/{job}/sources", WS, jobId).then().statusCode(201).extract().path("sha256");

        String runId = launch(jobId);
        awaitTerminal(runId).body("status", equalTo("SUCCESS"))
                .body("tasks.task_id", equalTo(List.of("step:10_hello.sh", "step:20_table.sql")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> api()
                .get("/api/v1/workspaces/{ws}/runs/{run}/logs", WS, runId).then().statusCode(200).extract()
                .<List<String>>path("lines.message").contains(marker + " from 10_hello.sh"));
        assertEquals(List.of(marker), names("select note from steps_e2e"));

        // The bytes came from job-api's internal endpoint, which no tenant token and no forged package token opens.
        given().baseUri(platform.apiUrl()).auth().oauth2(platform.mintToken("e2e", Map.of(WS, "admin")))
                .get("/internal/v1/step-packages/{sha}", sha)
                .then().statusCode(403).body("error_code", equalTo("PACKAGE_TOKEN_REFUSED"));
        byte[] foreignKey = new byte[32];
        new java.security.SecureRandom().nextBytes(foreignKey);
        String forged = new io.jobplane.events.secret.StepPackageTokens(new io.jobplane.events.secret.SecretKeyring(
                platform.keys().secretKeyId(), Map.of(platform.keys().secretKeyId(),
                        java.util.Base64.getEncoder().encodeToString(foreignKey))))
                .mint(sha, runId, Instant.now().plusSeconds(60));
        given().baseUri(platform.apiUrl()).header("X-Jobplane-Package-Token", forged)
                .get("/internal/v1/step-packages/{sha}", sha)
                .then().statusCode(403).body("error_code", equalTo("PACKAGE_TOKEN_REFUSED"))
                .body("error_msg", containsString("signature does not match"));
    }

    @Test
    void requestsWithoutAValidTokenAreRefused() {
        given().get(platform.apiUrl() + "/api/v1/workspaces/{ws}/jobs", WS)
                .then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"));
        String forged = DevTokens.builder(freshKey()).subject("mallory").workspace(WS, "admin")
                .expiresAt(Instant.now().plusSeconds(600)).sign();
        given().auth().oauth2(forged).get(platform.apiUrl() + "/api/v1/workspaces/{ws}/jobs", WS)
                .then().statusCode(401);
    }

    @Test
    void everyServiceIsHealthy() {
        for (String url : List.of(platform.api().baseUrl(), platform.harvester().baseUrl(), platform.policy().baseUrl(),
                platform.workers().get(0).baseUrl())) {
            given().get(url + "/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        }
    }

    @Test
    void aCanarySecretNeverAppearsInAResponseALogOrAKafkaRecord() throws Exception {
        List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.restassured.filter.Filter record = (request, response, ctx) -> {
            var r = ctx.next(request, response);
            bodies.add(r.asString() + r.getHeaders());
            return r;
        };
        io.restassured.RestAssured.filters(record);
        try {
            // Every path a secret takes: create, update, read, list, audit, a run that uses it, its status.
            String connectionId = createConnection("canary-db", ROTATED);
            api().body(Map.of("password", CANARY + "-rotated")).put("/api/v1/workspaces/{ws}/connections/{id}", WS, connectionId)
                    .then().statusCode(200);
            api().get("/api/v1/workspaces/{ws}/connections/{id}", WS, connectionId).then().statusCode(200);
            api().get("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(200);
            String jobId = createJob("canary-job", connectionId, List.of("select 1"));
            awaitTerminal(launch(jobId)).body("status", equalTo("SUCCESS"));
            // Every other kind of secret: http tokens and secret headers, LakeFormation data-source keys.
            String httpId = api().body(Map.of("name", "canary-http", "type", "http",
                    "base_url", "http://127.0.0.1:" + io.jobplane.stack.Ports.free() + "/hook", "auth_token", CANARY + "-token",
                    "secret_headers", Map.of("X-Api-Key", CANARY + "-header"), "username", "svc", "password", CANARY + "-basic"))
                    .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(201).extract().path("connection_id");
            api().post("/api/v1/workspaces/{ws}/connections/{id}/test", WS, httpId).then().statusCode(200).body("ok", equalTo(false));
            Map<String, Object> datasource = Map.of("jdbc_url", "jdbc:mysql://meta:3306/hive", "username", "hive",
                    "password", CANARY + "-lf", "access_key", CANARY + "-ak", "secret_key", CANARY + "-sk");
            Map<String, Object> parameter = Map.of("metadata_migration_parameter", Map.of("datasource_type", "OPEN_FOR_MYSQL",
                    "datasource_parameter", datasource, "source_catalog", "hive", "target_catalog", "lake",
                    "conflict_strategy", "UPSERT", "log_location", "obs://logs/", "sync_objects", List.of("TABLE"),
                    "locations", List.of(Map.of("key", "hdfs://a", "value", "obs://b")), "instance_id", "i-1"));
            String lfJob = api().body(Map.of("name", "canary_migration", "type", "METADATA_MIGRATION", "parameter", parameter))
                    .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
            api().body(Map.of("parameter", parameter)).put("/api/v1/workspaces/{ws}/jobs/{id}", WS, lfJob).then().statusCode(200);
            api().get("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(200);
            api().get("/api/v1/workspaces/{ws}/audit", WS).then().statusCode(200);
            api().body(Map.of("name", "x", "type", "postgresql", "jdbc_url", "jdbc:postgresql://u:" + CANARY + "@h/db"))
                    .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(400);
        } finally {
            io.restassured.RestAssured.replaceFiltersWith(List.of());
        }
        assertTrue(bodies.size() >= 15, "the responses were recorded");
        for (String body : bodies) {
            assertFalse(body.contains(CANARY), "secret found in a response: " + body);
        }
        try (Stream<Path> logs = Files.walk(platform.logDir())) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(log);
                assertFalse(text.contains(CANARY), "secret found in " + log.getFileName());
                // Each service's Kafka user may do all its work: no refusal by the broker's ACLs.
                assertFalse(text.contains("AuthorizationException"), "refused by Kafka's ACLs in " + log.getFileName());
            }
        }
        List<String> topics = List.of("jobplane.commands", "jobplane.run-events", "jobplane.dead-letter",
                "jobplane.policy-changes", "jobplane.catalog-changes");
        for (String topic : topics) {
            try (var recorder = io.jobplane.stack.TopicRecorder.record(platform.kafka().access(), topic)) {
                await().atMost(Duration.ofSeconds(30)).until(recorder::caughtUp);
                if (topic.equals("jobplane.commands")) {
                    assertTrue(recorder.records().stream().anyMatch(r -> String.valueOf(r.value()).contains("canary-job")),
                            "the canary job's launch command was read");
                }
                for (var r : recorder.records()) {
                    assertFalse(String.valueOf(r.value()).contains(CANARY), "secret found on " + topic + ": " + r.value());
                    r.headers().forEach(h -> assertFalse(new String(h.value()).contains(CANARY), "secret in a header"));
                }
            }
        }
    }

    @Test
    void theTailerWorkflowExampleWordForWord() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String jtLog = "jt_log_" + suffix;
        String jxLog = "jx_log_" + suffix;
        String connection = createConnection("workflow-db-" + suffix);
        String setup = createJob("setup-" + suffix, connection, List.of("create table " + jtLog + " (at timestamptz)",
                "create table " + jxLog + " (at timestamptz)"));
        assertEquals("SUCCESS", awaitTerminal(launch(setup)).extract().path("status"));
        String ja = createJob("JA-" + suffix, connection, List.of("select 1"));
        String jb = createJob("JB-" + suffix, connection, List.of("select 1"));
        String jc = createJob("JC-" + suffix, connection, List.of("select 1 / 0"));
        String jt = createJob("JT-" + suffix, connection, List.of("insert into " + jtLog + " values (now())"));
        String jx = createJob("JX-" + suffix, connection, List.of("insert into " + jxLog + " values (now())"));
        String workflow = workflow("JA-JB-JC-to-JT-" + suffix, List.of(ja, jb, jc), List.of(jt));
        workflow("JT-to-JX-" + suffix, List.of(jt), List.of(jx));
        String cyclic = api().body(Map.of("name", "JX-to-JA-" + suffix, "type", "WORKFLOW"))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
        api().body(Map.of("triggers", List.of(jx), "targets", List.of(ja))).put("/api/v1/workspaces/{ws}/workflows/{id}", WS, cyclic)
                .then().statusCode(400).body("error_code", equalTo("WORKFLOW_CYCLE"))
                .body("error_msg", containsString("JX-" + suffix + " → JA-" + suffix + " → JT-" + suffix + " → JX-" + suffix));

        // JA and JB are OK, but JC is not: JT is not triggered.
        assertEquals("SUCCESS", awaitTerminal(launch(ja)).extract().path("status"));
        assertEquals("SUCCESS", awaitTerminal(launch(jb)).extract().path("status"));
        assertEquals("FAILED", awaitTerminal(launch(jc)).extract().path("status"));
        awaitSatisfied(workflow, Map.of(ja, true, jb, true, jc, false));
        workflowState(workflow).body("fire_count", equalTo(0)).body("ready", equalTo(false));

        // You fix and relaunch JC, which becomes OK, and JT is triggered.
        String jcTask = api().get("/api/v1/workspaces/{ws}/jobs/{job}/tasks", WS, jc).then().extract().path("[0].task_id");
        api().body(Map.of("query", "select 1")).put("/api/v1/workspaces/{ws}/jobs/{job}/tasks/{task}", WS, jc, jcTask)
                .then().statusCode(200);
        assertEquals("SUCCESS", awaitTerminal(launch(jc)).extract().path("status"));
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from " + jtLog) == 1);
        workflowState(workflow).body("fire_count", equalTo(1)).body("triggers.satisfied", equalTo(List.of(false, false, false)));

        // The next morning, you launch JC again: you get JA(0), JB(0) and JC(1).
        assertEquals("SUCCESS", awaitTerminal(launch(jc)).extract().path("status"));
        awaitSatisfied(workflow, Map.of(ja, false, jb, false, jc, true));

        // When JA and JB are started a few hours later, JC is already considered OK: JT runs on an unbalanced state.
        assertEquals("SUCCESS", awaitTerminal(launch(ja)).extract().path("status"));
        assertEquals("SUCCESS", awaitTerminal(launch(jb)).extract().path("status"));
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from " + jtLog) == 2);

        // A reset is necessary: after JC's manual re-run, the reset forgets it, and JA and JB alone trigger nothing.
        assertEquals("SUCCESS", awaitTerminal(launch(jc)).extract().path("status"));
        awaitSatisfied(workflow, Map.of(ja, false, jb, false, jc, true));
        api().post("/api/v1/workspaces/{ws}/workflows/{id}/reset", WS, workflow).then().statusCode(200)
                .body("triggers.satisfied", equalTo(List.of(false, false, false)));
        assertEquals("SUCCESS", awaitTerminal(launch(ja)).extract().path("status"));
        assertEquals("SUCCESS", awaitTerminal(launch(jb)).extract().path("status"));
        awaitSatisfied(workflow, Map.of(ja, true, jb, true, jc, false));
        workflowState(workflow).body("fire_count", equalTo(2)).body("ready", equalTo(false));
        assertEquals(2, count("select count(*) from " + jtLog));

        // Workflows chain: each JT success fired JX once.
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from " + jxLog) == 2);
        api().delete("/api/v1/workspaces/{ws}/jobs/{job}", WS, ja).then().statusCode(409).body("error_code", equalTo("JOB_IN_WORKFLOW"));
    }

    /**
     * One job, four dialects: created through CData Sync's API, given a Tailer identity through the
     * native API, launched through Tailer's, watched through the native API while a worker runs it,
     * and its history (built by metadata-harvester) read through CData's.
     */
    @Test
    void aJobCreatedThroughCDataLaunchedThroughTailerWatchedNativelyHasItsHistoryInCData() throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Path folder = Files.createDirectories(platform.filesRoot().resolve("cdata-" + suffix).resolve("in")).getParent();
        Files.writeString(folder.resolve("in/orders.csv"), "id,item\n1,apple\n2,pear\n");
        api().body(Map.of("name", "landing-" + suffix, "type", "filesystem", "base_path", folder.toRealPath().toString()))
                .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(201);
        createConnection("cdata-warehouse-" + suffix);
        String table = "orders_" + suffix;

        // CData: a LoadFolder job, its connections named by name.
        String jobId = api().body(Map.of("Name", "cdata-orders-" + suffix, "Type", "LoadFolder",
                        "Source-Connection", "landing-" + suffix, "Destination-Connection", Map.of("Name", "cdata-warehouse-" + suffix),
                        "Queries", List.of("REPLICATE [" + table + "] FROM 'in/orders.csv'")))
                .post("/api.rsc/v2/workspaces/{ws}/jobs", WS).then().statusCode(201).body("Type", equalTo("LoadFolder"))
                .extract().path("Id");
        String taskId = api().get("/api.rsc/v2/jobs/{job}/tasks", jobId).then().statusCode(200).extract().path("value[0].Id");

        // Native: the job gets a Tailer identity.
        Map<String, Object> identity = Map.of("account", "000099", "environment", "PROD",
                "configuration_type", "storage-to-tables", "configuration_id", "orders-" + suffix);
        api().body(Map.of("tailer", identity)).put("/api/v1/workspaces/{ws}/jobs/{job}", WS, jobId).then().statusCode(200)
                .body("type", equalTo("LOAD_FOLDER"));

        // Tailer: launch_job.
        Map<String, Object> launch = new java.util.HashMap<>(identity);
        launch.put("action", "launch_job");
        String tailerRunId = api().body(launch).post("/v1/dag/launch").then().statusCode(200).extract().path("run_id");
        String runId = tailerRunId.substring(16);

        // Native: the run is watched to its end, and its rows are in the warehouse.
        awaitTerminal(runId).body("status", equalTo("SUCCESS")).body("job_id", equalTo(jobId)).body("trigger", equalTo("manual"))
                .body("tasks[0].rows_affected", equalTo(2));
        assertEquals(List.of("apple", "pear"), names("select item from " + table + " order by id"));

        // CData: the history, one entry, the task's history, the last run of all tasks and the status.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var history = api().get("/api.rsc/v2/jobs/{job}/history", jobId).then().statusCode(200).extract().jsonPath();
            assertEquals(List.of(runId), history.getList("value.Id"));
            assertEquals(List.of("Success"), history.getList("value.Status"));
            assertEquals(List.of(runId), api().get("/api.rsc/v2/jobs/{job}/tasks/{task}/history", jobId, taskId).then()
                    .statusCode(200).extract().jsonPath().getList("value.History_Id"));
        });
        api().get("/api.rsc/v2/jobs/{job}/history/{run}", jobId, runId).then().statusCode(200)
                .body("Status", equalTo("Success")).body("Trigger", equalTo("manual")).body("Records_Affected", equalTo(2))
                .body("Tasks[0].Task_Id", equalTo(taskId)).body("Tasks[0].Status", equalTo("Success"))
                .body("Run_Start_Date", notNullValue()).body("Run_End_Date", notNullValue());
        api().get("/api.rsc/v2/jobs/{job}/tasks/{task}/history", jobId, taskId).then()
                .body("value[0].Status", equalTo("Success")).body("value[0].Job_Status", equalTo("Success"))
                .body("value[0].Records_Affected", equalTo(2));
        api().get("/api.rsc/v2/jobs/{job}/tasks/last-run", jobId).then().statusCode(200)
                .body("value.Task_Id", equalTo(List.of(taskId))).body("value[0].History_Id", equalTo(runId));
        api().get("/api.rsc/v2/jobs/{job}/status", jobId).then().statusCode(200)
                .body("Status", equalTo("Success")).body("Last_Run.Id", equalTo(runId)).body("Active_Runs", equalTo(0));
        // And Tailer reads the same run.
        Map<String, Object> check = new java.util.HashMap<>(identity);
        check.put("action", "check_run_status");
        check.put("run_id", tailerRunId);
        api().body(check).post("/v1/dag/status").then().statusCode(200).body("results[0].status", equalTo("SUCCESS"));
    }

    private static String workflow(String name, List<String> triggers, List<String> targets) {
        String id = api().body(Map.of("name", name, "type", "WORKFLOW")).post("/api/v1/workspaces/{ws}/jobs", WS)
                .then().statusCode(201).extract().path("job_id");
        api().body(Map.of("triggers", triggers, "targets", targets)).put("/api/v1/workspaces/{ws}/workflows/{id}", WS, id)
                .then().statusCode(200).body("fire_count", equalTo(0));
        return id;
    }

    private static ValidatableResponse workflowState(String workflow) {
        return api().get("/api/v1/workspaces/{ws}/workflows/{id}", WS, workflow).then().statusCode(200);
    }

    /** Waits until the workflow's triggers show exactly these satisfied states (the run supervisor has seen the runs end). */
    private static void awaitSatisfied(String workflow, Map<String, Boolean> expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<Map<String, Object>> triggers = workflowState(workflow).extract().path("triggers");
            Map<String, Boolean> actual = new java.util.HashMap<>();
            triggers.forEach(t -> actual.put((String) t.get("job_id"), (Boolean) t.get("satisfied")));
            assertEquals(expected, actual);
        });
    }


    private static long count(String sql) throws Exception {
        var pg = platform.tenant();
        String jdbcUrl = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + targetDb;
        try (Connection c = DriverManager.getConnection(jdbcUrl, pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static java.security.PrivateKey freshKey() {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestSpecification api() {
        return given().baseUri(platform.apiUrl())
                .auth().oauth2(platform.mintToken("e2e", Map.of(WS, "admin")))
                .contentType(ContentType.JSON);
    }

    private static String createConnection(String name) {
        return createConnection(name, TENANT);
    }

    private static String createConnection(String name, String user) {
        var pg = platform.tenant();
        String jdbcUrl = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + targetDb;
        return api().body(Map.of("name", name, "type", "postgresql", "jdbc_url", jdbcUrl,
                        "username", user, "password", CANARY))
                .post("/api/v1/workspaces/{ws}/connections", WS)
                .then().statusCode(201).body(org.hamcrest.Matchers.not(containsString(CANARY)))
                .extract().path("connection_id");
    }

    private static String createJob(String name, String connectionId, List<String> queries) {
        return api().body(Map.of("name", name, "type", "TABLE_TO_TABLE", "destination_connection_id", connectionId,
                        "tasks", queries.stream().map(q -> Map.of("query", q)).toList()))
                .post("/api/v1/workspaces/{ws}/jobs", WS)
                .then().statusCode(201).extract().path("job_id");
    }

    private static String launch(String jobId) {
        String runId = api().post("/api/v1/workspaces/{ws}/jobs/{job}/runs", WS, jobId)
                .then().statusCode(202).extract().path("run_id");
        // Right after the 202 the run is already visible, at least as QUEUED.
        api().get("/api/v1/workspaces/{ws}/runs/{run}", WS, runId).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.oneOf("QUEUED", "RUNNING", "SUCCESS", "FAILED"));
        return runId;
    }

    private static ValidatableResponse awaitTerminal(String runId) {
        return new WorkspaceCalls(platform, WS).awaitTerminal(runId);
    }

    private static List<String> names(String sql) throws Exception {
        var pg = platform.tenant();
        String jdbcUrl = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + targetDb;
        try (Connection c = DriverManager.getConnection(jdbcUrl, pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
