package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.readAll;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.secret.SecretOwner;
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class RunLaunchIT {

    private static final String CANARY = "canary-7f3a9c-secret";

    @Test
    void launchIsQueuedAtOnceAndItsCommandReachesKafkaWithTheSecretSealed() {
        String ws = uniqueWorkspace();
        String jobId = createJob(ws, "nightly", CANARY);

        String runId = as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId)
                .then().statusCode(202)
                .body("status", equalTo("QUEUED"))
                .header("Location", containsString("/runs/"))
                .extract().path("run_id");

        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", ws, runId)
                .then().statusCode(200).body("status", equalTo("QUEUED")).body("job_id", equalTo(jobId));

        ConsumerRecord<String, String> command = await().atMost(Duration.ofSeconds(30))
                .until(() -> findByKey(Topics.COMMANDS, runId), r -> r != null);
        assertFalse(command.value().contains(CANARY), "the password must travel sealed");
        CloudEvent event = EventCodec.decode(command.value());
        assertEquals(EventTypes.LAUNCH, event.type());
        LaunchCommand launch = event.dataAs(LaunchCommand.class);
        assertEquals(jobId, launch.jobId());
        assertEquals(1, launch.tasks().size());
        assertEquals("test-1", launch.destination().password().keyId());
        var keyring = TestInfrastructure.shared().keyring();
        var owner = SecretOwner.connection(launch.workspace(), launch.destination().connectionId());
        assertEquals(CANARY, keyring.open(launch.destination().password(), owner, "password"));
        // Bound to its workspace, connection and field: the same value elsewhere does not open.
        assertThrows(IllegalStateException.class, () -> keyring.open(launch.destination().password(),
                SecretOwner.connection("another-" + launch.workspace(), launch.destination().connectionId()), "password"));
        assertThrows(IllegalStateException.class, () -> keyring.open(launch.destination().password(),
                SecretOwner.connection(launch.workspace(), java.util.UUID.randomUUID()), "password"));
        assertThrows(IllegalStateException.class, () -> keyring.open(launch.destination().password(), owner, "auth_token"));
        assertEquals("application/cloudevents+json",
                new String(command.headers().lastHeader("content-type").value()));

        ConsumerRecord<String, String> queued = await().atMost(Duration.ofSeconds(30))
                .until(() -> findByKey(Topics.RUN_EVENTS, runId), r -> r != null);
        RunQueued payload = EventCodec.decode(queued.value()).dataAs(RunQueued.class);
        assertEquals(ws, payload.workspace());
        assertEquals("nightly", payload.jobName());

        await().atMost(Duration.ofSeconds(10)).until(() -> outboxRows(runId) == 0);
    }

    @Test
    void replicationJobsCarryTheirSourceAndSettingsAndTasksThatCannotRunAreRefused() {
        String ws = uniqueWorkspace();
        String source = connection(ws, "crm-source");
        String destination = connection(ws, "warehouse");
        Map<String, Object> replication = Map.of("destination_schema", "crm", "table_name_prefix", "src_",
                "alter_schema", true, "deletion_behavior", "SOFT_DELETE", "replicate_start_date", "2026-01-01",
                "replicate_interval", 6, "replicate_interval_unit", "HOURS", "batch_size", 5000);
        String jobId = as(ws, "editor").body(Map.of("name", "crm", "type", "STANDARD", "source_connection_id", source,
                        "destination_connection_id", destination, "replication", replication,
                        "tasks", List.of(Map.of("query", "REPLICATE [Accounts] WITH CheckColumn='updated_at'"))))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");

        as(ws, "editor").body(Map.of("query", "DELETE FROM Accounts")).post("/api/v1/workspaces/{ws}/jobs/{job}/tasks", ws, jobId)
                .then().statusCode(400).body("error_code", equalTo("INVALID_TASK"))
                .body("error_msg", containsString("starts with REPLICATE")).body("solution_msg", containsString("REPLICATE [Accounts]"));

        String runId = as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId)
                .then().statusCode(202).extract().path("run_id");
        LaunchCommand launch = EventCodec.decode(await().atMost(Duration.ofSeconds(30))
                .until(() -> findByKey(Topics.COMMANDS, runId), r -> r != null).value()).dataAs(LaunchCommand.class);
        assertEquals("STANDARD", launch.jobType());
        assertEquals(source, launch.source().connectionId());
        assertEquals(destination, launch.destination().connectionId());
        assertEquals(CANARY, TestInfrastructure.shared().keyring().open(launch.source().password(),
                SecretOwner.connection(launch.workspace(), source), "password"));
        ReplicationSpec spec = launch.replication();
        assertEquals("crm", spec.destinationSchema());
        assertEquals("src_", spec.tableNamePrefix());
        assertTrue(spec.alterSchema());
        assertEquals("SOFT_DELETE", spec.deletionBehavior());
        assertEquals(java.time.LocalDate.parse("2026-01-01"), spec.replicateStartDate());
        assertEquals(6, spec.replicateInterval());
        assertEquals("HOURS", spec.replicateIntervalUnit());
        assertEquals(5000, spec.batchSize());

        String history = as(ws, "editor").body(Map.of("name", "with-history", "type", "STANDARD", "source_connection_id", source,
                        "destination_connection_id", destination, "replication", Map.of("history_mode", true),
                        "queries", List.of("REPLICATE [Accounts]")))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, history)
                .then().statusCode(409).body("error_code", equalTo("SETTING_NOT_RUNNABLE"));

        String mysql = as(ws, "editor").body(Map.of("name", "shop-db", "type", "mysql", "jdbc_url", "jdbc:mysql://127.0.0.1:1/shop",
                        "username", "u", "password", CANARY)).post("/api/v1/workspaces/{ws}/connections", ws)
                .then().statusCode(201).extract().path("connection_id");
        String fromMysql = as(ws, "editor").body(Map.of("name", "from-mysql", "type", "STANDARD", "source_connection_id", mysql,
                        "destination_connection_id", destination, "queries", List.of("REPLICATE [orders]")))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, fromMysql).then().statusCode(409)
                .body("error_code", equalTo("CONNECTION_TYPE_NOT_RUNNABLE")).body("solution_msg", containsString("postgresql"));
        String onMysql = as(ws, "editor").body(Map.of("name", "on-mysql", "type", "TABLE_TO_TABLE", "destination_connection_id", mysql,
                        "queries", List.of("update orders set seen = 1")))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, onMysql).then().statusCode(202);

        String everything = as(ws, "editor").body(Map.of("name", "everything", "type", "SYNC_ALL", "source_connection_id", source,
                        "destination_connection_id", destination))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, everything)
                .then().statusCode(202).body("status", equalTo("QUEUED"));
    }

    @Test
    void reverseEtlJobsRunWithTheirHttpDestinationAndTasksInTheirOwnSyntax() {
        String ws = uniqueWorkspace();
        String source = connection(ws, "crm");
        String receiver = as(ws, "editor").body(Map.of("name", "hooks", "type", "http", "base_url", "https://hooks.example.com/v1",
                        "headers", Map.of("X-Tenant", "acme"), "auth_token", CANARY + "-token",
                        "secret_headers", Map.of("X-Api-Key", CANARY + "-key")))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        String jobId = as(ws, "editor").body(Map.of("name", "to-crm", "type", "REVERSE_ETL", "source_connection_id", source,
                        "destination_connection_id", receiver, "replication", Map.of("batch_size", 250),
                        "tasks", List.of(Map.of("query", "REPLICATE [contacts] WITH RateLimit='20', KeyColumn='id'"
                                + " SELECT * FROM [crm_contacts] WHERE active"))))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");

        as(ws, "editor").body(Map.of("query", "REPLICATE [contacts] WITH CheckColumn='updated_at'"))
                .post("/api/v1/workspaces/{ws}/jobs/{job}/tasks", ws, jobId)
                .then().statusCode(400).body("error_code", equalTo("INVALID_TASK"))
                .body("error_msg", containsString("unknown option 'CheckColumn'"))
                .body("error_msg", containsString("RateLimit"))
                .body("solution_msg", containsString("POSTed to under the destination's base_url"));
        as(ws, "editor").body(Map.of("query", "REPLICATE [contacts] WITH RateLimit='fast'"))
                .post("/api/v1/workspaces/{ws}/jobs/{job}/tasks", ws, jobId)
                .then().statusCode(400).body("error_code", equalTo("INVALID_TASK"))
                .body("error_msg", containsString("RateLimit='fast' is not a number of requests a second"));

        String runId = as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId)
                .then().statusCode(202).extract().path("run_id");
        ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(30))
                .until(() -> findByKey(Topics.COMMANDS, runId), r -> r != null);
        assertFalse(record.value().contains(CANARY), "the destination's secrets travel sealed");
        LaunchCommand launch = EventCodec.decode(record.value()).dataAs(LaunchCommand.class);
        assertEquals("REVERSE_ETL", launch.jobType());
        assertEquals(source, launch.source().connectionId());
        assertEquals("https://hooks.example.com/v1", launch.destination().baseUrl());
        assertEquals(Map.of("X-Tenant", "acme"), launch.destination().headers());
        var keyring = TestInfrastructure.shared().keyring();
        var owner = SecretOwner.connection(launch.workspace(), launch.destination().connectionId());
        assertEquals(CANARY + "-token", keyring.open(launch.destination().secret("auth_token"), owner, "auth_token"));
        assertEquals(CANARY + "-key", keyring.open(launch.destination().secret("secret_headers.X-Api-Key"), owner,
                "secret_headers.X-Api-Key"));
        assertEquals(250, launch.replication().batchSize());
        assertEquals(1, launch.tasks().size());
    }

    @Test
    void fileJobsAreCheckedInTheirOwnSyntaxAndCarryTheirFolders() throws Exception {
        String ws = uniqueWorkspace();
        java.nio.file.Path landing = java.nio.file.Files.createTempDirectory(io.jobplane.stack.TestInfrastructure.shared().filesRoot(), "landing");
        java.nio.file.Path archive = java.nio.file.Files.createTempDirectory(io.jobplane.stack.TestInfrastructure.shared().filesRoot(), "archive");
        String folder = as(ws, "editor").body(Map.of("name", "landing", "type", "filesystem", "base_path", landing.toString()))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        String archiveFolder = as(ws, "editor").body(Map.of("name", "archive", "type", "filesystem", "base_path", archive.toString()))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        String warehouse = connection(ws, "warehouse");

        String load = as(ws, "editor").body(Map.of("name", "orders", "type", "LOAD_FOLDER", "source_connection_id", folder,
                        "destination_connection_id", warehouse, "replication", Map.of("destination_schema", "landing"),
                        "tasks", List.of(Map.of("query", "REPLICATE [orders] FROM 'incoming/{{region}}/*.csv' WITH Header='false'"))))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        as(ws, "editor").body(Map.of("query", "REPLICATE [orders] FROM '../etc/*.csv'"))
                .post("/api/v1/workspaces/{ws}/jobs/{job}/tasks", ws, load)
                .then().statusCode(400).body("error_code", equalTo("INVALID_TASK")).body("error_msg", containsString("'..'"))
                .body("solution_msg", containsString("REPLICATE [Table] FROM 'folder/files-*.csv'"));
        as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, load)
                .then().statusCode(400).body("error_code", equalTo("UNKNOWN_TEMPLATE_VALUE")).body("error_msg", containsString("{{region}}"));
        String loadRun = as(ws, "operator").body(Map.of("parameters", Map.of("region", "eu")))
                .post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, load).then().statusCode(202).extract().path("run_id");
        LaunchCommand loadLaunch = EventCodec.decode(await().atMost(Duration.ofSeconds(30))
                .until(() -> findByKey(Topics.COMMANDS, loadRun), r -> r != null).value()).dataAs(LaunchCommand.class);
        assertEquals("LOAD_FOLDER", loadLaunch.jobType());
        assertEquals(landing.toString(), loadLaunch.source().basePath());
        assertEquals(warehouse, loadLaunch.destination().connectionId());
        assertEquals("landing", loadLaunch.replication().destinationSchema());
        assertEquals(Map.of("region", "eu"), loadLaunch.parameters());

        String copy = as(ws, "editor").body(Map.of("name", "stores", "type", "STORAGE_TO_STORAGE", "source_connection_id", folder,
                        "destination_connection_id", archiveFolder,
                        "queries", List.of("COPY 'in/stores-{{FD_DATE}}-{{FD_TIME}}.csv' TO 'archive/{{FD_DATE}}/'")))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        as(ws, "editor").body(Map.of("query", "COPY 'in/*.csv' TO 'out.csv'")).post("/api/v1/workspaces/{ws}/jobs/{job}/tasks", ws, copy)
                .then().statusCode(400).body("error_code", equalTo("INVALID_TASK"))
                .body("error_msg", containsString("TO must be a directory")).body("solution_msg", containsString("COPY 'in/stores-"));
        String copyRun = as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, copy)
                .then().statusCode(202).extract().path("run_id");
        LaunchCommand copyLaunch = EventCodec.decode(await().atMost(Duration.ofSeconds(30))
                .until(() -> findByKey(Topics.COMMANDS, copyRun), r -> r != null).value()).dataAs(LaunchCommand.class);
        assertEquals("STORAGE_TO_STORAGE", copyLaunch.jobType());
        assertEquals(landing.toString(), copyLaunch.source().basePath());
        assertEquals(archive.toString(), copyLaunch.destination().basePath());
        assertEquals(null, copyLaunch.replication(), "file copies take no replication settings");

        as(ws, "editor").body(Map.of("name", "sql", "type", "TABLE_TO_TABLE", "destination_connection_id", warehouse,
                        "queries", List.of("COPY 'in/{{FD_DATE}}.csv' TO 'x/'")))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(400).body("error_code", equalTo("INVALID_TASK"))
                .body("error_msg", containsString("{{FD_DATE}} stands inside a quoted literal"));
    }

    private static String connection(String ws, String name) {
        return as(ws, "editor").body(postgresConnection(name, CANARY)).post("/api/v1/workspaces/{ws}/connections", ws)
                .then().statusCode(201).extract().path("connection_id");
    }

    @Test
    void concurrentLaunchesOfOneJobAllSucceedAndOneKeyMakesOneRun() throws Exception {
        String ws = uniqueWorkspace();
        long vacuumsBefore = outboxVacuums();
        String jobId = createJob(ws, "busy", "pw");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<io.restassured.response.Response>> keyed = new java.util.ArrayList<>();
            List<java.util.concurrent.Future<io.restassured.response.Response>> free = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                keyed.add(pool.submit(() -> as(ws, "operator").header("Idempotency-Key", "same")
                        .post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId)));
            }
            for (int i = 0; i < 40; i++) {
                free.add(pool.submit(() -> as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId)));
            }
            java.util.Set<String> keyedIds = new java.util.HashSet<>();
            for (var f : keyed) {
                var r = f.get();
                assertEquals(202, r.statusCode(), r.asString());
                keyedIds.add(r.path("run_id"));
            }
            java.util.Set<String> freeIds = new java.util.HashSet<>();
            for (var f : free) {
                var r = f.get();
                assertEquals(202, r.statusCode(), r.asString());
                freeIds.add(r.path("run_id"));
            }
            assertEquals(1, keyedIds.size());
            assertEquals(40, freeIds.size());
            assertEquals(41, count("select count(*) from api.run where job_id = '" + jobId + "'"));
            // 82 relayed rows lie dead in the outbox; the relay vacuums it (every 20 under test) instead
            // of waiting for autovacuum (vacuum_count counts explicit vacuums only).
            await().atMost(Duration.ofSeconds(20)).until(() -> outboxVacuums() > vacuumsBefore);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameIdempotencyKeyMakesOneRunNotTwo() throws Exception {
        String ws = uniqueWorkspace();
        String jobId = createJob(ws, "idem", "pw");
        String first = as(ws, "operator").header("Idempotency-Key", "retry-42")
                .post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId)
                .then().statusCode(202).header("Idempotent-Replayed", "false").extract().path("run_id");
        String second = as(ws, "operator").header("Idempotency-Key", "retry-42")
                .post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId)
                .then().statusCode(202).header("Idempotent-Replayed", "true").extract().path("run_id");
        String other = as(ws, "operator").header("Idempotency-Key", "retry-43")
                .post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId)
                .then().statusCode(202).extract().path("run_id");

        assertEquals(first, second);
        assertTrue(!first.equals(other));
        assertEquals(2, count("select count(*) from api.run where workspace = '" + ws + "'"));
    }

    @Test
    void connectionReadsNeverCarryThePassword() {
        String ws = uniqueWorkspace();
        String id = as(ws, "editor").body(postgresConnection("warehouse", CANARY))
                .post("/api/v1/workspaces/{ws}/connections", ws)
                .then().statusCode(201)
                .body(not(containsString(CANARY)))
                .body("password", nullValue())
                .body("secrets_set", hasItem("password"))
                .extract().path("connection_id");
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/connections/{id}", ws, id)
                .then().statusCode(200).body(not(containsString(CANARY))).body("name", equalTo("warehouse"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/connections", ws)
                .then().statusCode(200).body(not(containsString(CANARY))).body("size()", equalTo(1));
    }

    static String createJob(String ws, String name, String password) {
        String connectionId = as(ws, "editor").body(postgresConnection(name + "-db", password))
                .post("/api/v1/workspaces/{ws}/connections", ws)
                .then().statusCode(201).extract().path("connection_id");
        return as(ws, "editor").body(Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connectionId,
                "tasks", List.of(Map.of("query", "select 1"))))
                .post("/api/v1/workspaces/{ws}/jobs", ws)
                .then().statusCode(201).extract().path("job_id");
    }

    static ConsumerRecord<String, String> findByKey(String topic, String key) {
        return readAll(topic, Duration.ofSeconds(5)).stream().filter(r -> key.equals(r.key())).findFirst().orElse(null);
    }

    private static long outboxVacuums() throws Exception {
        return count("select vacuum_count from pg_stat_user_tables where schemaname = 'api' and relname = 'outbox'");
    }

    private static long outboxRows(String runId) throws Exception {
        return count("select count(*) from api.outbox where message_key = '" + runId + "'");
    }

    static long count(String sql) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
