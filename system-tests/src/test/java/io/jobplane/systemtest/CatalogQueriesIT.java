package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogChange.Column;
import io.jobplane.events.payload.catalog.CatalogChange.Conflict;
import io.jobplane.stack.KafkaAcls;
import io.jobplane.stack.Platform;
import io.jobplane.stack.TopicRecorder;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The catalog end to end: catalog changes sent to {@code jobplane.catalog-changes} as the worker sends
 * them (its own Kafka login, under the broker's ACLs), materialised by metadata-harvester, and read
 * through job-api's catalog queries over HTTP with real JWTs — the four services as processes on a real
 * Kafka broker and PostgreSQL.
 */
@ExtendWith(SharedPlatform.class)
class CatalogQueriesIT {

    private static final String WS = "catalog-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER = "other-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int ORDER_PARTITIONS = 1_250;
    private static final String BASE = "/api/v1/workspaces/{ws}";
    private static Platform platform;
    private static String run;

    @BeforeAll
    static void startPlatformAndSendARunsChanges() throws Exception {
        platform = SharedPlatform.platform();

        run = UUID.randomUUID().toString();
        Changes c = new Changes(WS, run);
        c.database("Hive", "Sales", "what we sold");
        c.table("Hive", "Sales", "Orders", cols("id:bigint", "amount:decimal(10,2)", "code:int"), cols("day:string"), false);
        c.partitions("Hive", "Sales", "Orders", ORDER_PARTITIONS);
        c.table("Hive", "Sales", "OrderItems", cols("order_id:bigint", "sku:string"), List.of(), false);
        c.table("Hive", "Sales", "Customers", cols("id:bigint", "name:string"), List.of(), false);
        c.table("hive", "sales", "orders", cols("id:bigint", "amount:decimal(12,2)", "code:string", "channel:string"),
                cols("day:string"), true);
        c.function("Hive", "Sales", "Mask", "com.example.udf.Mask");
        c.records("airflow", "Jobs", null, Map.of("nightly", "{\"dag_id\":\"nightly\",\"schedule\":\"@daily\"}",
                "hourly", "{\"dag_id\":\"hourly\",\"schedule\":\"@hourly\"}"));
        c.commit("tableau", "users", "g1", 3);
        c.records("tableau", "users", "g1", Map.of("u1", "{\"name\":\"Ada\"}", "u2", "{\"name\":\"Grace\"}"));
        c.records("tableau", "users", "g1", Map.of("u3", "{\"name\":\"Edsger\"}"));
        c.completed();
        c.send();
    }


    @Test
    void theRunsChangesAreQueriedOverHttp() {
        awaitComplete(run);
        Response report = viewer(WS).get(BASE + "/runs/{run}/catalog-report", WS, run);
        report.then().statusCode(200).body("complete", equalTo(true)).body("attempt", equalTo(1))
                .body("kinds.databases.added", equalTo(1))
                .body("kinds.tables.added", equalTo(3)).body("kinds.tables.changed", equalTo(1))
                .body("kinds.partitions.added", equalTo(ORDER_PARTITIONS))
                // 3 + 2 + 2 added, then channel; amount widened, code became string.
                .body("kinds.columns.added", equalTo(8)).body("kinds.columns.changed", equalTo(2))
                .body("kinds.columns.unchanged", equalTo(1))
                .body("kinds.functions.added", equalTo(1))
                .body("kinds.platform_records.added", equalTo(5))
                .body("events.'jobplane.catalog.partitions.upserted'.emitted", equalTo(3))
                .body("events.'jobplane.catalog.partitions.upserted'.applied", equalTo(3));

        viewer(WS).get(BASE + "/catalogs", WS).then().statusCode(200)
                .body("catalogs", hasSize(1)).body("catalogs[0].name", equalTo("Hive"))
                .body("catalogs[0].databases", equalTo(1)).body("catalogs[0].tables", equalTo(3))
                .body("catalogs[0].functions", equalTo(1));
        viewer(WS).get(BASE + "/catalogs/hive/databases", WS).then().statusCode(200)
                .body("databases", hasSize(1)).body("databases[0].name", equalTo("Sales"))
                .body("databases[0].description", equalTo("what we sold")).body("databases[0].tables", equalTo(3))
                .body("next_cursor", nullValue());

        // Tables by name; a name prefix ignoring case; paging by a cursor.
        assertEquals(List.of("Customers", "OrderItems", "orders"), viewer(WS)
                .get(BASE + "/catalogs/HIVE/databases/sales/tables", WS).then().statusCode(200).extract().path("tables.name"));
        assertEquals(List.of("OrderItems", "orders"), viewer(WS).queryParam("prefix", "ORD")
                .get(BASE + "/catalogs/hive/databases/Sales/tables", WS).then().statusCode(200).extract().path("tables.name"));
        Response firstPage = viewer(WS).queryParam("limit", 2).get(BASE + "/catalogs/hive/databases/sales/tables", WS);
        firstPage.then().statusCode(200).body("tables.name", equalTo(List.of("Customers", "OrderItems")));
        viewer(WS).queryParam("limit", 2).queryParam("cursor", firstPage.path("next_cursor").toString())
                .get(BASE + "/catalogs/hive/databases/sales/tables", WS).then().statusCode(200)
                .body("tables.name", equalTo(List.of("orders"))).body("next_cursor", nullValue());

        // One table, looked up in any case: the merged schema, its warning and both versions.
        viewer(WS).get(BASE + "/catalogs/HIVE/databases/SALES/tables/ORDERS", WS).then().statusCode(200)
                .body("name", equalTo("orders")).body("catalog", equalTo("hive")).body("table_type", equalTo("EXTERNAL_TABLE"))
                .body("format", equalTo("PARQUET")).body("location", equalTo("s3://lake/orders"))
                .body("serde.library", equalTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"))
                .body("columns.name", equalTo(List.of("id", "amount", "code", "channel")))
                .body("columns.type", equalTo(List.of("bigint", "decimal(12,2)", "string", "string")))
                .body("partition_keys.name", equalTo(List.of("day")))
                .body("parameters.EXTERNAL", equalTo("TRUE")).body("owner", equalTo("alice"))
                .body("statistics.files", equalTo(3)).body("statistics.rows", nullValue())
                .body("warnings", equalTo(List.of("column 'code' is int in some files and string in others: typed string")))
                .body("schema_version", equalTo(2)).body("partition_count", equalTo(ORDER_PARTITIONS))
                .body("schema_versions.version", equalTo(List.of(2, 1)))
                .body("schema_versions[1].columns.name", equalTo(List.of("id", "amount", "code")));
        viewer(WS).queryParam("limit", 1).get(BASE + "/catalogs/hive/databases/sales/tables/orders/schema-versions", WS)
                .then().statusCode(200).body("schema_versions.version", equalTo(List.of(2)));

        // Every partition, paging with a cursor through more than a page holds.
        List<String> days = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification page = viewer(WS).queryParam("limit", 500);
            if (cursor != null) {
                page.queryParam("cursor", cursor);
            }
            Response r = page.get(BASE + "/catalogs/hive/databases/sales/tables/Orders/partitions", WS);
            r.then().statusCode(200);
            days.addAll(r.path("partitions.spec.day"));
            cursor = r.path("next_cursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(ORDER_PARTITIONS, days.size());
        assertEquals(new TreeSet<>(days).size(), days.size(), "no partition twice");
        assertEquals(new ArrayList<>(new TreeSet<>(days)), days, "in the order of their values");
        viewer(WS).queryParam("limit", 1).get(BASE + "/catalogs/hive/databases/sales/tables/orders/partitions", WS).then()
                .statusCode(200).body("partitions[0].values", equalTo(List.of("d00000")))
                .body("partitions[0].location", equalTo("s3://lake/orders/day=d00000"))
                .body("partitions[0].statistics.bytes", equalTo(0));

        viewer(WS).get(BASE + "/catalogs/hive/databases/sales/functions", WS).then().statusCode(200)
                .body("functions.name", equalTo(List.of("Mask")));
        viewer(WS).get(BASE + "/catalogs/hive/databases/sales/functions/MASK", WS).then().statusCode(200)
                .body("class_name", equalTo("com.example.udf.Mask")).body("resources[0].type", equalTo("JAR"));

        viewer(WS).get(BASE + "/platform/jobs", WS).then().statusCode(200)
                .body("records.id", equalTo(List.of("hourly", "nightly"))).body("records[1].source", equalTo("airflow"))
                .body("records[1].record.schedule", equalTo("@daily"));
        viewer(WS).get(BASE + "/platform/jobs/nightly", WS).then().statusCode(200).body("record.dag_id", equalTo("nightly"));
        viewer(WS).queryParam("source", "tableau").get(BASE + "/platform/users", WS).then().statusCode(200)
                .body("records.id", equalTo(List.of("u1", "u2", "u3")));
    }

    @Test
    void unknownNamesAndBadParametersAnswerTheProjectsErrors() {
        awaitComplete(run);
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/catalogs/glue/databases", WS), 404, "CATALOG_NOT_FOUND");
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/catalogs/hive/databases/nope/tables", WS), 404, "DATABASE_NOT_FOUND");
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/catalogs/hive/databases/sales/tables/nope", WS), 404, "TABLE_NOT_FOUND");
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/catalogs/hive/databases/sales/tables/nope/partitions", WS), 404, "TABLE_NOT_FOUND");
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/catalogs/hive/databases/sales/functions/nope", WS), 404, "FUNCTION_NOT_FOUND");
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/platform/jobs/nope", WS), 404, "PLATFORM_RECORD_NOT_FOUND");
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/runs/{run}/catalog-report", WS, UUID.randomUUID()), 404, "RUN_NOT_FOUND");
        WorkspaceCalls.expectError(viewer(WS).queryParam("limit", 0).get(BASE + "/catalogs/hive/databases", WS), 400, "INVALID_LIMIT");
        WorkspaceCalls.expectError(viewer(WS).queryParam("limit", "many").get(BASE + "/catalogs/hive/databases/sales/tables", WS), 400,
                "INVALID_LIMIT");
        WorkspaceCalls.expectError(viewer(WS).queryParam("limit", 1001).get(BASE + "/platform/jobs", WS), 400, "INVALID_LIMIT");
        WorkspaceCalls.expectError(viewer(WS).queryParam("cursor", "not-a-cursor").get(BASE + "/catalogs/hive/databases/sales/tables", WS),
                400, "INVALID_CURSOR");
        String tablesCursor = viewer(WS).queryParam("limit", 1).get(BASE + "/catalogs/hive/databases/sales/tables", WS)
                .then().extract().path("next_cursor");
        WorkspaceCalls.expectError(viewer(WS).queryParam("cursor", tablesCursor).get(BASE + "/catalogs/hive/databases/sales/tables/orders/partitions",
                WS), 400, "INVALID_CURSOR");
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/platform/secrets", WS), 400, "INVALID_KIND");
    }

    @Test
    void anotherWorkspacesTokenSeesNothingOfIt() {
        awaitComplete(run);
        String outsider = platform.mintToken("outsider", Map.of(OTHER, "admin"));
        for (String path : List.of("/catalogs", "/catalogs/hive/databases", "/catalogs/hive/databases/sales/tables",
                "/catalogs/hive/databases/sales/tables/orders", "/catalogs/hive/databases/sales/tables/orders/partitions",
                "/catalogs/hive/databases/sales/functions", "/platform/jobs", "/platform/jobs/nightly",
                "/runs/" + run + "/catalog-report")) {
            WorkspaceCalls.expectError(given().baseUri(platform.apiUrl()).auth().oauth2(outsider).get(BASE + path, WS), 404, "WORKSPACE_NOT_FOUND");
        }
        // In its own workspace the outsider finds an empty catalog.
        given().baseUri(platform.apiUrl()).auth().oauth2(outsider).get(BASE + "/catalogs", OTHER).then().statusCode(200)
                .body("catalogs", hasSize(0));
        WorkspaceCalls.expectError(given().baseUri(platform.apiUrl()).auth().oauth2(outsider).get(BASE + "/catalogs/hive/databases", OTHER), 404,
                "CATALOG_NOT_FOUND");
        given().baseUri(platform.apiUrl()).auth().oauth2(outsider).get(BASE + "/platform/jobs", OTHER).then().statusCode(200)
                .body("records", hasSize(0));
        WorkspaceCalls.expectError(given().baseUri(platform.apiUrl()).get(BASE + "/catalogs", WS), 401, "UNAUTHENTICATED");
    }

    @Test
    void aPlatformReplaceIsSeenWholeOverHttp() throws Exception {
        String first = UUID.randomUUID().toString();
        Changes a = new Changes(WS, first);
        a.records("looker", "users", "g1", Map.of("u1", "{\"name\":\"Ada\"}", "u2", "{\"name\":\"Grace\"}",
                "u3", "{\"name\":\"Edsger\"}"));
        a.commit("looker", "users", "g1", 3);
        a.completed();
        a.send();
        awaitComplete(first);
        Set<String> before = userIds("looker");
        assertEquals(Set.of("u1", "u2", "u3"), before);

        String second = UUID.randomUUID().toString();
        Changes c = new Changes(WS, second);
        c.commit("looker", "users", "g2", 600);
        Map<String, String> users = new TreeMap<>();
        for (int i = 0; i < 600; i++) {
            users.put(String.format("v%03d", i), "{\"name\":\"user " + i + "\"}");
        }
        List<String> ids = new ArrayList<>(users.keySet());
        for (int i = 0; i < 600; i += 200) {
            Map<String, String> part = new TreeMap<>();
            ids.subList(i, i + 200).forEach(id -> part.put(id, users.get(id)));
            c.records("looker", "users", "g2", part);
        }
        c.completed();

        List<Set<String>> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                seen.add(userIds("looker"));
            }
        });
        reader.start();
        try {
            c.send();
            awaitComplete(second);
        } finally {
            reading.set(false);
            reader.join();
        }
        Set<String> after = userIds("looker");
        assertEquals(users.keySet(), after);
        assertTrue(seen.size() > 1, "the reader read while the replace came in");
        for (Set<String> s : seen) {
            assertTrue(s.equals(before) || s.equals(after), "a reader saw " + s.size() + " users: a mix of the two generations");
        }
        viewer(WS).get(BASE + "/runs/{run}/catalog-report", WS, second).then().statusCode(200)
                .body("complete", equalTo(true)).body("kinds.platform_records.added", equalTo(600))
                .body("kinds.platform_records.removed", equalTo(3));
    }

    @Test
    void theHarvesterReadsAndTheWorkerWritesCatalogChangesUnderTheBrokersAcls() throws Exception {
        awaitComplete(run);
        try (var logs = Files.walk(platform.logDir())) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(log).contains("AuthorizationException"), "refused by Kafka's ACLs in " + log.getFileName());
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Set<String> userIds(String source) {
        Response r = viewer(WS).queryParam("source", source).queryParam("limit", 1000).get(BASE + "/platform/users", WS);
        assertEquals(200, r.statusCode(), r.asString());
        assertFalse(r.path("next_cursor") != null, "one page holds them all");
        return new TreeSet<>(r.<List<String>>path("records.id"));
    }

    private static void awaitComplete(String runId) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Response r = viewer(WS).get(BASE + "/runs/{run}/catalog-report", WS, runId);
            return r.statusCode() == 200 && Boolean.TRUE.equals(r.path("complete"));
        });
    }

    private static RequestSpecification viewer(String ws) {
        return given().baseUri(platform.apiUrl()).auth().oauth2(platform.mintToken("catalog-reader", Map.of(ws, "viewer")));
    }

    private static List<Column> cols(String... specs) {
        List<Column> out = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            out.add(new Column(spec.substring(0, colon), spec.substring(colon + 1), null));
        }
        return out;
    }

    /** One run's catalog changes, sent as the worker sends them: CloudEvents keyed by CatalogChange.key. */
    private static final class Changes {
        private final CatalogChange.Origin origin;
        private final List<String[]> events = new ArrayList<>();
        private final Map<String, Long> emitted = new TreeMap<>();

        Changes(String workspace, String runId) {
            origin = new CatalogChange.Origin(workspace, UUID.randomUUID().toString(), runId, 1, Instant.now());
        }

        void database(String catalog, String database, String description) {
            add(EventTypes.CATALOG_DATABASE, CatalogChange.key(origin.workspace(), catalog, database, null),
                    new CatalogChange.Database(origin, Conflict.UPSERT, catalog, database, description, "s3://lake", "alice",
                            Map.of()));
        }

        void table(String catalog, String database, String table, List<Column> columns, List<Column> partitionKeys,
                boolean merge) {
            add(EventTypes.CATALOG_TABLE, CatalogChange.key(origin.workspace(), catalog, database, table),
                    new CatalogChange.Table(origin, Conflict.UPSERT, catalog, database, table, "EXTERNAL_TABLE",
                            "s3://lake/" + table.toLowerCase(), "PARQUET",
                            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Map.of(), columns, partitionKeys,
                            Map.of("EXTERNAL", "TRUE"), "alice", new CatalogChange.Statistics(3L, 4096L, null), List.of(), merge));
        }

        void partitions(String catalog, String database, String table, int count) {
            List<CatalogChange.Partition> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String day = String.format("d%05d", i);
                batch.add(new CatalogChange.Partition(List.of(day), "s3://lake/orders/day=" + day, Map.of(),
                        new CatalogChange.Statistics(1L, (long) i, null)));
                if (batch.size() == CatalogChange.MAX_PARTITIONS_PER_EVENT || i == count - 1) {
                    add(EventTypes.CATALOG_PARTITIONS, CatalogChange.key(origin.workspace(), catalog, database, table),
                            new CatalogChange.Partitions(origin, Conflict.UPSERT, catalog, database, table, List.copyOf(batch)));
                    batch.clear();
                }
            }
        }

        void function(String catalog, String database, String function, String className) {
            add(EventTypes.CATALOG_FUNCTION, CatalogChange.key(origin.workspace(), catalog, database, null),
                    new CatalogChange.Function(origin, Conflict.UPSERT, catalog, database, function, className, "alice", "JAVA",
                            List.of(new CatalogChange.FunctionResource("JAR", "s3://lake/udf.jar"))));
        }

        void records(String source, String kind, String generation, Map<String, String> records) {
            List<CatalogChange.PlatformRecord> list = new ArrayList<>();
            records.forEach((id, json) -> list.add(new CatalogChange.PlatformRecord(id, json)));
            add(EventTypes.CATALOG_PLATFORM_RECORDS, CatalogChange.key(origin.workspace(), source, kind, null),
                    new CatalogChange.PlatformRecords(origin, source, kind, generation, list));
        }

        void commit(String source, String kind, String generation, long expected) {
            add(EventTypes.CATALOG_PLATFORM_COMMITTED, CatalogChange.key(origin.workspace(), source, kind, null),
                    new CatalogChange.PlatformCommitted(origin, source, kind, generation, expected));
        }

        void completed() {
            add(EventTypes.CATALOG_RUN_COMPLETED, CatalogChange.key(origin.workspace(), "run", origin.runId(), null),
                    new CatalogChange.RunCompleted(origin, Map.copyOf(emitted)));
        }

        private void add(String type, String key, Object payload) {
            events.add(new String[] { key, EventCodec.encode(CloudEvent.of("/jobplane/execution-worker/test", type, key, payload)) });
            emitted.merge(type, 1L, Long::sum);
        }

        /** Sends them logged in as the worker's Kafka user, in order, awaiting every acknowledgement. */
        void send() {
            TopicRecorder.sendEvents(platform.kafka().access(), KafkaAcls.WORKER, Topics.CATALOG_CHANGES,
                    events.stream().map(e -> Map.entry(e[0], e[1])).toList());
        }
    }
}
