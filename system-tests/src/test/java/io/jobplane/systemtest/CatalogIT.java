package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobplane.stack.Platform;
import io.jobplane.stack.PostgresServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * The catalog end to end, on the four services as real processes over a real Kafka broker and
 * PostgreSQL, driven only through the public APIs: a discovery job's run reads a folder tree through
 * a filesystem connection, execution-worker sends what it found to {@code jobplane.catalog-changes},
 * metadata-harvester materialises it, and job-api's catalog queries answer it; an incremental run reads
 * only the changed files; the same discovery started through LakeFormation's lf-jobs API ends with
 * LakeFormation's statuses; a migration reads a real Hive 4.0.0 metastore schema on PostgreSQL with its
 * password sealed in the job; an ingest imports a Treasure Data account's metadata, then only its new jobs.
 */
@ExtendWith(SharedPlatform.class)
class CatalogIT {

    private static final String WS = "catalog-e2e";
    private static final String CANARY = "catalog-canary-91c2-secret";
    private static Platform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SharedPlatform.platform();
    }


    @Test
    void aDiscoveryRunBuildsTheCatalogAndAnIncrementalRunReadsOnlyWhatChanged() throws Exception {
        String suffix = suffix();
        Path lake = Files.createDirectories(platform.filesRoot().resolve("lake-" + suffix));
        Path orders = Files.createDirectories(lake.resolve("sales/orders"));
        Instant old = Instant.now().minus(Duration.ofHours(1));
        write(orders.resolve("year=2024/month=01/part-0.csv"), "id,amount,note\n1,10,first\n2,12.5,second\n", old);
        write(orders.resolve("year=2024/month=02/part-0.csv"), "id,amount,note\n3,7,third\n", old);
        write(orders.resolve("year=2024/month=02/_SUCCESS"), "", old);
        write(orders.resolve("_temporary/0/part-9.csv"), "garbage,,,\n", old);
        write(lake.resolve("sales/events/day=2024-01-01/events.json"),
                "{\"id\": 1, \"user\": {\"name\": \"ana\", \"tags\": [\"a\", \"b\"]}}\n{\"id\": 2, \"user\": {\"name\": \"bo\", \"tags\": []}}\n",
                old);
        api().body(Map.of("name", "lake-" + suffix, "type", "filesystem", "base_path", lake.toRealPath().toString()))
                .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(201);
        String database = "sales_" + suffix;
        Map<String, Object> discovery = new HashMap<>(Map.of("data_location", "fs://lake-" + suffix + "/sales",
                "target_catalog", "lake", "target_database", database, "conflict_strategy", "UPSERT", "file_discovery_type", "ALL",
                "header", true, "table_depth", 1, "log_location", "fs://lake-" + suffix + "/logs", "instance_id", "e2e"));
        discovery.put("rediscovery_policy", "INCREMENTAL_DISCOVERY");
        String analyst = "analyst-" + suffix;
        discovery.put("principals", List.of(Map.of("principal_type", "USER", "principal_source", "IAM", "principal_name", analyst)));
        discovery.put("give_write", true);
        String jobId = api().body(Map.of("name", "discover_" + suffix, "type", "METADATA_DISCOVERY",
                        "parameter", Map.of("metadata_discovery_parameter", discovery)))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");

        // The first run reads everything: two tables, three partitions.
        String first = launch(jobId);
        awaitTerminal(first).body("status", equalTo("SUCCESS")).body("tasks[0].task_id", equalTo("discover"))
                .body("tasks[0].rows_affected", equalTo(5));
        String tables = "/api/v1/workspaces/{ws}/catalogs/lake/databases/{db}/tables";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> report(first).getBoolean("complete"));
        assertEquals(List.of("events", "orders"), api().get(tables, WS, database).then().statusCode(200).extract().path("tables.name"));
        JsonPath table = api().get(tables + "/{t}", WS, database.toUpperCase(), "ORDERS").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("id", "amount", "note"), table.getList("columns.name"));
        assertEquals(List.of("int", "double", "string"), table.getList("columns.type"));
        assertEquals(List.of("year", "month"), table.getList("partition_keys.name"));
        assertEquals(List.of("int", "string"), table.getList("partition_keys.type"), "zero-padded months stay strings");
        assertEquals("CSV", table.getString("format"));
        assertEquals(1, table.getInt("schema_version"));
        assertEquals("fs://lake-" + suffix + "/sales/orders", table.getString("location"));
        assertEquals(List.of(List.of("2024", "01"), List.of("2024", "02")),
                api().get(tables + "/orders/partitions", WS, database).then().statusCode(200).extract().path("partitions.values"));
        JsonPath events = api().get(tables + "/events", WS, database).then().statusCode(200).extract().jsonPath();
        assertEquals("struct<name:string,tags:array<string>>", events.getString("columns.find { it.name == 'user' }.type"));
        // The discovery's principals are granted read and write on the tables it found (policy-migrator's read model).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> grantsOf(analyst).size() == 4);
        assertEquals(List.of("events:SELECT", "events:UPDATE", "orders:SELECT", "orders:UPDATE"), grantsOf(analyst));
        api().queryParam("principal", analyst).queryParam("privilege", "UPDATE").queryParam("resource", "lake." + database + ".orders")
                .get("/api/v1/workspaces/{ws}/grants/check", WS).then().statusCode(200).body("allowed", equalTo(true));
        JsonPath firstReport = report(first);
        assertEquals(2, firstReport.getInt("kinds.tables.added"), firstReport.prettify());
        assertEquals(3, firstReport.getInt("kinds.partitions.added"), firstReport.prettify());

        // A new month with a new column: the incremental run reads that file only, and widens the table.
        write(orders.resolve("year=2024/month=03/part-0.csv"), "id,amount,note,discount\n4,3,fourth,0.5\n", Instant.now());
        String second = launch(jobId);
        awaitTerminal(second).body("status", equalTo("SUCCESS")).body("tasks[0].rows_affected", equalTo(2));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> report(second).getBoolean("complete"));
        table = api().get(tables + "/orders", WS, database).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("id", "amount", "note", "discount"), table.getList("columns.name"));
        assertEquals(2, table.getInt("schema_version"));
        assertEquals(3, api().get(tables + "/orders/partitions", WS, database).then().extract().jsonPath().getList("partitions").size());
        assertEquals(1, api().get(tables + "/events", WS, database).then().extract().jsonPath().getInt("schema_version"));
        // The incremental run read one table, and the grants on both stay.
        assertEquals(List.of("events:SELECT", "events:UPDATE", "orders:SELECT", "orders:UPDATE"), grantsOf(analyst));
        JsonPath secondReport = report(second);
        assertEquals(1, secondReport.getInt("kinds.tables.changed"), secondReport.prettify());
        assertEquals(1, secondReport.getInt("kinds.partitions.added"), secondReport.prettify());

        // Another workspace sees none of it.
        given().baseUri(platform.apiUrl()).auth().oauth2(platform.mintToken("eve", Map.of("elsewhere", "admin")))
                .get(tables, WS, database).then().statusCode(404);
    }

    @Test
    void aDiscoveryStartedThroughLakeFormationEndsWithLakeFormationStatuses() throws Exception {
        String suffix = suffix();
        Path lake = Files.createDirectories(platform.filesRoot().resolve("obs-" + suffix));
        write(lake.resolve("2023/logs/part-0.json"), "{\"level\": \"INFO\", \"code\": 200}\n", Instant.now());
        String project = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
        String instance = UUID.randomUUID().toString();
        String workspace = project + "." + instance;
        String token = platform.mintToken("lf", Map.of(workspace, "admin"));
        given().baseUri(platform.apiUrl()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "logStore-" + suffix, "type", "filesystem", "base_path", lake.toRealPath().toString()))
                .post("/api/v1/workspaces/{ws}/connections", workspace).then().statusCode(201);
        String jobs = "/v1/" + project + "/instances/" + instance + "/lf-jobs";
        Map<String, Object> parameter = Map.of("metadata_discovery_parameter", Map.of("data_location", "obs://logStore-" + suffix + "/2023",
                "target_catalog", "lake", "target_database", "logs", "conflict_strategy", "UPSERT", "file_discovery_type", "JSON",
                "log_location", "obs://logStore-" + suffix + "/joblogs", "instance_id", instance));
        RequestSpecification lf = given().baseUri(platform.apiUrl()).auth().oauth2(token).contentType(ContentType.JSON);
        String id = lf.body(Map.of("name", "discover_logs", "type", "METADATA_DISCOVERY", "parameter", parameter)).post(jobs)
                .then().statusCode(201).body("status", equalTo("CREATED")).extract().path("id");
        given().baseUri(platform.apiUrl()).auth().oauth2(token).post(jobs + "/" + id + "/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> "SUCCESS".equals(
                given().baseUri(platform.apiUrl()).auth().oauth2(token).get(jobs + "/" + id).then().statusCode(200).extract().path("status")));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> given().baseUri(platform.apiUrl())
                .auth().oauth2(token).get("/api/v1/workspaces/{ws}/catalogs/lake/databases/logs/tables", workspace).then()
                .extract().jsonPath().getList("tables.name").equals(List.of("logs")));
    }

    @Test
    void aMigrationReadsARealHiveMetastoreWithItsPasswordSealed() throws Exception {
        String suffix = suffix();
        PostgresServer tenant = platform.tenant();
        String metastore = "hms_" + suffix;
        // LakeFormation's data-source username is letters and digits only.
        String owner = "hmsowner" + suffix;
        tenant.createDatabase(metastore, owner, CANARY);
        String url = tenant.jdbcUrl(metastore);
        try (Connection c = DriverManager.getConnection(url, owner, CANARY); Statement s = c.createStatement()) {
            s.execute(hiveSchema());
            fill(c);
        }
        Map<String, Object> migration = new HashMap<>(Map.of("datasource_type", "MRS_RDS_FOR_PG",
                "datasource_parameter", Map.of("jdbc_url", url, "username", owner, "password", CANARY),
                "source_catalog", "hive", "target_catalog", "lake_" + suffix, "conflict_strategy", "UPSERT",
                "log_location", "fs://nowhere/logs", "sync_objects", List.of("DATABASE", "TABLE", "PARTITION", "FUNCTION"),
                "locations", List.of(Map.of("key", "hdfs://nn:8020/warehouse", "value", "s3a://lake/warehouse")), "instance_id", "e2e"));
        migration.put("default_owner", "data-platform");
        String jobId = api().body(Map.of("name", "migrate_" + suffix, "type", "METADATA_MIGRATION",
                        "parameter", Map.of("metadata_migration_parameter", migration)))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
        String run = launch(jobId);
        awaitTerminal(run).body("status", equalTo("SUCCESS")).body("tasks[0].task_id", equalTo("migrate"))
                .body("tasks[0].rows_affected", equalTo(1 + 1 + 2 + 1));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> report(run).getBoolean("complete"));
        String base = "/api/v1/workspaces/{ws}/catalogs/{c}/databases/sales";
        JsonPath table = api().get(base + "/tables/orders", WS, "lake_" + suffix).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("id", "items", "total"), table.getList("columns.name"));
        assertEquals(List.of("bigint", "array<struct<sku:string,qty:int>>", "decimal(12,2)"), table.getList("columns.type"));
        assertEquals(List.of("dt"), table.getList("partition_keys.name"));
        assertEquals("s3a://lake/warehouse/sales.db/orders", table.getString("location"));
        assertEquals("PARQUET", table.getString("format"));
        assertEquals("data-platform", table.getString("owner"));
        assertEquals(List.of(List.of("2024-01-01"), List.of("2024-01-02")), api().get(base + "/tables/orders/partitions", WS,
                "lake_" + suffix).then().statusCode(200).extract().path("partitions.values"));
        api().get(base + "/functions/to_cents", WS, "lake_" + suffix).then().statusCode(200)
                .body("class_name", equalTo("com.example.ToCents")).body("resources[0].uri", equalTo("s3a://lake/warehouse/udf.jar"));

        // A metastore URL that leads to the platform's own database is refused by the worker's egress policy.
        Map<String, Object> hostile = new HashMap<>(migration);
        hostile.put("datasource_parameter", Map.of("jdbc_url", platform.postgres().jdbcUrl(), "username", owner, "password", CANARY));
        String hostileJob = api().body(Map.of("name", "migrate_platform_" + suffix, "type", "METADATA_MIGRATION",
                        "parameter", Map.of("metadata_migration_parameter", hostile)))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
        String refused = awaitTerminal(launch(hostileJob)).body("status", equalTo("FAILED")).extract().path("tasks[0].error_message");
        assertTrue(refused.contains("platform's own database or broker"), refused);

        // The password is sealed: not in the job, the run, the logs or any topic.
        String shown = api().get("/api/v1/workspaces/{ws}/jobs/{job}", WS, jobId).then().statusCode(200).extract().asString();
        assertFalse(shown.contains(CANARY), shown);
        assertFalse(api().get("/api/v1/workspaces/{ws}/runs/{run}/logs", WS, run).then().extract().asString().contains(CANARY));
        try (Stream<Path> logs = Files.walk(platform.logDir())) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(log).contains(CANARY), "secret found in " + log.getFileName());
            }
        }
        for (String topic : List.of("jobplane.commands", "jobplane.catalog-changes", "jobplane.run-events")) {
            try (var recorder = io.jobplane.stack.TopicRecorder.record(platform.kafka().access(), topic)) {
                await().atMost(Duration.ofSeconds(30)).until(recorder::caughtUp);
                assertTrue(recorder.records().size() > 0, topic);
                recorder.records().forEach(r -> assertFalse(String.valueOf(r.value()).contains(CANARY), topic));
            }
        }
    }

    /**
     * A Treasure Data account's metadata through a treasure_data connection: a TD-compatible server started
     * here serves TD's response shapes for jobs (newest first, paged by from/to), schedules and result
     * connections. The first run imports them all; after new jobs and changed schedules, the second imports
     * exactly the new jobs (it continues from the highest job id the catalog holds) and replaces schedules
     * and connections.
     */
    @Test
    void anIngestImportsAPlatformsMetadataAndAnIncrementalRunAddsOnlyNewJobs() throws Exception {
        String suffix = suffix();
        String key = "1234/" + CANARY + "-td";
        java.util.concurrent.CopyOnWriteArrayList<Long> jobs = new java.util.concurrent.CopyOnWriteArrayList<>(
                List.of(1001L, 1002L, 1003L, 1004L, 1005L));
        java.util.concurrent.atomic.AtomicReference<List<String>> schedules = new java.util.concurrent.atomic.AtomicReference<>(
                List.of("daily_kpi", "hourly_sync"));
        java.util.concurrent.CopyOnWriteArrayList<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Job 1005 is still running at the first import, and has finished by the second.
        java.util.Set<Long> finished = java.util.concurrent.ConcurrentHashMap.newKeySet();
        finished.addAll(List.of(1001L, 1002L, 1003L, 1004L));
        java.util.concurrent.CopyOnWriteArrayList<Long> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer td = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        td.createContext("/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            String body;
            if (path.equals("/v3/job/list")) {
                Map<String, String> q = new HashMap<>();
                for (String part : query.split("&")) {
                    q.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
                }
                List<Long> newestFirst = jobs.stream().sorted(java.util.Comparator.reverseOrder()).toList();
                int from = Integer.parseInt(q.get("from"));
                int to = Math.min(Integer.parseInt(q.get("to")) + 1, newestFirst.size());
                StringBuilder list = new StringBuilder();
                for (Long id : newestFirst.subList(Math.min(from, to), to)) {
                    list.append(list.length() == 0 ? "" : ",").append(job(id, finished.contains(id)));
                }
                body = "{\"count\": " + jobs.size() + ", \"from\": " + from + ", \"to\": " + (to - 1) + ", \"jobs\": [" + list + "]}";
            } else if (path.startsWith("/v3/job/show/")) {
                long id = Long.parseLong(path.substring("/v3/job/show/".length()));
                shown.add(id);
                body = job(id, finished.contains(id));
            } else if (path.equals("/v3/schedule/list")) {
                body = "{\"schedules\": [" + String.join(",", schedules.get().stream()
                        .map(n -> "{\"name\": \"" + n + "\", \"cron\": \"0 * * * *\", \"query\": \"select 1\"}").toList()) + "]}";
            } else if (path.equals("/v3/result/list")) {
                body = "{\"results\": [{\"name\": \"warehouse\", \"url\": \"postgresql://etl:hunter2@db.example.com/dw\"}]}";
            } else {
                body = "{\"error\": \"not found\"}";
                exchange.sendResponseHeaders(404, 0);
                exchange.getResponseBody().write(body.getBytes(StandardCharsets.UTF_8));
                exchange.close();
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        td.start();
        try {
            String source = api().body(Map.of("name", "td-" + suffix, "type", "treasure_data",
                            "base_url", "http://127.0.0.1:" + td.getAddress().getPort(), "api_key", key))
                    .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(201).extract().path("connection_id");
            String jobId = api().body(Map.of("name", "td_metadata_" + suffix, "type", "METADATA_INGEST", "source_connection_id", source,
                            "parameter", Map.of("metadata_ingest_parameter", Map.of("mode", "INITIAL",
                                    "kinds", List.of("jobs", "schedules", "connections")))))
                    .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");

            String first = launch(jobId);
            awaitTerminal(first).body("status", equalTo("SUCCESS")).body("tasks[0].task_id", equalTo("ingest"))
                    .body("tasks[0].rows_affected", equalTo(5 + 2 + 1));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> report(first).getBoolean("complete"));
            assertEquals(List.of("1001", "1002", "1003", "1004", "1005"), platform("jobs", source).getList("records.id"));
            assertEquals(List.of("daily_kpi", "hourly_sync"), platform("schedules", source).getList("records.id"));
            JsonPath connections = platform("connections", source);
            assertEquals("postgresql://etl:***@db.example.com/dw", connections.getString("records[0].record.url"));

            // New jobs, one schedule dropped: the next run adds exactly the new jobs and replaces the schedules.
            assertEquals("running", platform("jobs", source).getString("records.find { it.id == '1005' }.record.status"));
            jobs.addAll(List.of(1006L, 1007L, 1008L));
            finished.addAll(jobs);
            schedules.set(List.of("daily_kpi"));
            String second = launch(jobId);
            // Three new jobs, job 1005 read again because it was running, one schedule, one connection.
            awaitTerminal(second).body("status", equalTo("SUCCESS")).body("tasks[0].rows_affected", equalTo(3 + 1 + 1 + 1));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> report(second).getBoolean("complete"));
            assertEquals(List.of("1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008"),
                    platform("jobs", source).getList("records.id"));
            assertEquals(List.of("daily_kpi"), platform("schedules", source).getList("records.id"));
            assertEquals(List.of(1005L), shown, "only the job that was running is read again");
            assertEquals("success", platform("jobs", source).getString("records.find { it.id == '1005' }.record.status"));
            assertTrue(authorizations.stream().allMatch(("TD1 " + key)::equals), "every request says TD1 <key>");
        } finally {
            td.stop(0);
        }
    }

    /** A job as TD's job list and job show print it. */
    private static String job(long id, boolean finished) {
        return "{\"job_id\": \"" + id + "\", \"type\": \"presto\", \"status\": \"" + (finished ? "success" : "running")
                + "\", \"query\": \"select " + id + "\"}";
    }

    /** {@code table:privilege} of the principal's grants, sorted. */
    private static List<String> grantsOf(String principal) {
        List<Map<String, Object>> grants = api().queryParam("principal", principal).get("/api/v1/workspaces/{ws}/grants", WS).then()
                .statusCode(200).extract().jsonPath().getList("grants");
        return grants.stream().map(g -> ((Map<?, ?>) g.get("resource")).get("table") + ":" + g.get("privilege")).sorted().toList();
    }

    private static JsonPath platform(String kind, String source) {
        return api().queryParam("source", source).get("/api/v1/workspaces/{ws}/platform/{kind}", WS, kind).then().statusCode(200)
                .extract().jsonPath();
    }

    /** Apache Hive's own 4.0.0 metastore schema for PostgreSQL, unpacked from its release archive by the build. */
    private static String hiveSchema() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("target", "hive-schema"))) {
            Path script = files.filter(p -> p.getFileName().toString().equals("hive-schema-4.0.0.postgres.sql")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the build unpacks the Hive schema into target/hive-schema"));
            return Files.readString(script, StandardCharsets.UTF_8);
        }
    }

    /** One database with a partitioned Parquet table of complex columns, two partitions and a function, laid out as Hive does. */
    private static void fill(Connection c) throws Exception {
        insert(c, "DBS", "DB_ID, \"DESC\", DB_LOCATION_URI, NAME, OWNER_NAME, OWNER_TYPE, CTLG_NAME, CREATE_TIME",
                1, "sales data", "hdfs://nn:8020/warehouse/sales.db", "sales", "hive", "USER", "hive", 1_700_000_000);
        insert(c, "CDS", "CD_ID", 10);
        String[][] columns = { { "id", "bigint" }, { "items", "array<struct<sku:string,qty:int>>" }, { "total", "decimal(12,2)" } };
        for (int i = 0; i < columns.length; i++) {
            insert(c, "COLUMNS_V2", "CD_ID, COLUMN_NAME, TYPE_NAME, INTEGER_IDX", 10, columns[i][0], columns[i][1], i);
        }
        insert(c, "SERDES", "SERDE_ID, SLIB", 20, "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        insert(c, "SDS", "SD_ID, INPUT_FORMAT, IS_COMPRESSED, LOCATION, NUM_BUCKETS, OUTPUT_FORMAT, SERDE_ID, CD_ID, IS_STOREDASSUBDIRECTORIES",
                30, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", false, "hdfs://nn:8020/warehouse/sales.db/orders", -1,
                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat", 20, 10, false);
        insert(c, "TBLS", "TBL_ID, CREATE_TIME, DB_ID, LAST_ACCESS_TIME, OWNER, RETENTION, SD_ID, TBL_NAME, TBL_TYPE",
                40, 1_700_000_000, 1, 0, "", 0, 30, "orders", "EXTERNAL_TABLE");
        insert(c, "PARTITION_KEYS", "TBL_ID, PKEY_NAME, PKEY_TYPE, INTEGER_IDX", 40, "dt", "string", 0);
        for (int day = 1; day <= 2; day++) {
            String dt = "2024-01-0" + day;
            insert(c, "SDS", "SD_ID, INPUT_FORMAT, IS_COMPRESSED, LOCATION, NUM_BUCKETS, SERDE_ID, IS_STOREDASSUBDIRECTORIES",
                    50 + day, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", false,
                    "hdfs://nn:8020/warehouse/sales.db/orders/dt=" + dt, -1, 20, false);
            insert(c, "PARTITIONS", "PART_ID, CREATE_TIME, LAST_ACCESS_TIME, PART_NAME, SD_ID, TBL_ID", 60 + day, 1_700_000_000, 0,
                    "dt=" + dt, 50 + day, 40);
            insert(c, "PARTITION_KEY_VALS", "PART_ID, PART_KEY_VAL, INTEGER_IDX", 60 + day, dt, 0);
        }
        insert(c, "FUNCS", "FUNC_ID, CLASS_NAME, CREATE_TIME, DB_ID, FUNC_NAME, FUNC_TYPE, OWNER_NAME, OWNER_TYPE",
                70, "com.example.ToCents", 1_700_000_000, 1, "to_cents", 1, "hive", "USER");
        insert(c, "FUNC_RU", "FUNC_ID, RESOURCE_TYPE, RESOURCE_URI, INTEGER_IDX", 70, 1, "hdfs://nn:8020/warehouse/udf.jar", 0);
    }

    private static void insert(Connection c, String table, String columns, Object... values) throws Exception {
        StringBuilder quoted = new StringBuilder();
        for (String column : columns.split(",\\s*")) {
            quoted.append(quoted.length() == 0 ? "" : ", ").append(column.startsWith("\"") ? column : "\"" + column + "\"");
        }
        String sql = "insert into \"" + table + "\" (" + quoted + ") values (" + "?, ".repeat(values.length - 1) + "?)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }

    private static void write(Path file, String content, Instant modified) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private static JsonPath report(String runId) {
        return api().get("/api/v1/workspaces/{ws}/runs/{run}/catalog-report", WS, runId).then().statusCode(200).extract().jsonPath();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static RequestSpecification api() {
        return new WorkspaceCalls(platform, WS).api();
    }

    private static String launch(String jobId) {
        return new WorkspaceCalls(platform, WS).launch(jobId);
    }

    private static ValidatableResponse awaitTerminal(String runId) {
        return new WorkspaceCalls(platform, WS).awaitTerminal(runId);
    }
}
