package io.jobplane.harvester;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.catalog.CatalogChange.Column;
import io.jobplane.events.payload.catalog.CatalogChange.Conflict;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.Ports;
import io.jobplane.stack.Service;
import io.jobplane.stack.ServiceProcess;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The catalog read model on a real broker and PostgreSQL: changes are sent to
 * {@code jobplane.catalog-changes} as the worker sends them and read back from schema {@code catalog}.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class CatalogReadModelIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Column> PARTITION_KEYS = List.of(new Column("year", "string", null), new Column("n", "string", null));
    private static TopicRecorder deadLetters;

    @BeforeAll
    static void record() {
        deadLetters = TopicRecorder.record(bootstrap(), Topics.DEAD_LETTER);
    }

    @AfterAll
    static void stop() {
        deadLetters.close();
    }

    @Test
    void everyEventTypeIsMaterialisedAndTheRunReportCompletes() throws Exception {
        String ws = workspace();
        String run = UUID.randomUUID().toString();
        CatalogStream s = new CatalogStream(ws, run)
                .database(Conflict.UPSERT, "Hive", "Sales", "sales data")
                .table(Conflict.UPSERT, "Hive", "Sales", "Orders", cols("id:bigint", "amount:decimal(10,2)"), PARTITION_KEYS,
                        "s3://lake/orders", false)
                .partitions(Conflict.UPSERT, "Hive", "Sales", "Orders", 0, 700, "")
                .function(Conflict.UPSERT, "Hive", "Sales", "Mask", "com.example.Mask")
                .records("airflow", "Jobs", null, Map.of("j1", "{\"name\":\"nightly\",\"owner\":\"bob\"}", "j2", "{\"name\":\"hourly\"}"))
                .completed();
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, s.events);

        await().atMost(Duration.ofSeconds(60)).until(() -> reportComplete(ws, run));
        assertEquals("hive|sales|Hive|Sales|sales data|s3://lake/Sales|alice|{\"team\": \"sales\"}",
                one("select catalog_key, database_key, catalog_name, database_name, description, location, owner, parameters::text"
                        + " from catalog.catalog_database where workspace = ?", ws));
        assertEquals("orders|Orders|EXTERNAL_TABLE|PARQUET|[{\"name\": \"id\", \"type\": \"bigint\", \"comment\": null}, "
                + "{\"name\": \"amount\", \"type\": \"decimal(10,2)\", \"comment\": null}]|2|1|3000|null|1",
                one("select table_key, table_name, table_type, format, columns::text, jsonb_array_length(partition_keys),"
                        + " schema_version, stat_bytes, stat_rows, (select count(*) from catalog.table_schema_version v"
                        + " where v.workspace = t.workspace and v.table_key = t.table_key)"
                        + " from catalog.catalog_table t where workspace = ?", ws));
        assertEquals("700|{2026,000000}|{2026,000699}", one("select count(*), min(partition_values)::text, max(partition_values)::text"
                + " from catalog.catalog_partition where workspace = ?", ws));
        assertEquals("mask|Mask|com.example.Mask|JAVA|[{\"uri\": \"s3://lake/udfs.jar\", \"type\": \"JAR\"}]",
                one("select function_key, function_name, class_name, function_type, resources::text from catalog.catalog_function"
                        + " where workspace = ?", ws));
        assertEquals("jobs|airflow|j1|bob,jobs|airflow|j2|null", String.join(",", all("select kind, source, record_id, json->>'owner'"
                + " from catalog.platform_record where workspace = ? order by record_id", ws)));
        assertEquals(Map.of("databases", "1/0/0/0", "tables", "1/0/0/0", "columns", "2/0/0/0", "partitions", "700/0/0/0",
                "functions", "1/0/0/0", "platform_records", "2/0/0/0"), report(ws, run));
    }

    @Test
    void conflictStrategiesInsertUpdateAndUpsertMeetTheStoredObjects() throws Exception {
        String ws = workspace();
        String first = UUID.randomUUID().toString();
        CatalogStream a = new CatalogStream(ws, first)
                .database(Conflict.INSERT, "hive", "db", "first")
                .database(Conflict.UPDATE, "hive", "absent", "never created")
                .table(Conflict.UPSERT, "hive", "db", "t", cols("id:int"), PARTITION_KEYS, "s3://lake/t", false)
                .partitions(Conflict.INSERT, "hive", "db", "t", 0, 10, "")
                .partitions(Conflict.UPDATE, "hive", "db", "t", 5, 10, "-moved")
                .partitions(Conflict.UPSERT, "hive", "db", "no_such_table", 0, 3, "")
                .completed();
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, a.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> reportComplete(ws, first));
        assertEquals(List.of("db|first"), all("select database_key, description from catalog.catalog_database where workspace = ?", ws),
                "UPDATE creates nothing");
        assertEquals("10|5", one("select count(*), count(*) filter (where location like '%-moved')"
                + " from catalog.catalog_partition where workspace = ?", ws), "UPDATE changed the 5 stored partitions only");
        assertEquals("1/0/0/1", report(ws, first).get("databases"));
        // 10 inserted; of the 10 updates 5 met stored partitions, 5 were absent; 3 of a table the catalog does not hold.
        assertEquals("10/5/0/8", report(ws, first).get("partitions"));

        String second = UUID.randomUUID().toString();
        CatalogStream b = new CatalogStream(ws, second)
                .database(Conflict.INSERT, "HIVE", "DB", "second")
                .database(Conflict.UPDATE, "hive", "Db", "third")
                .partitions(Conflict.INSERT, "hive", "db", "t", 0, 12, "-inserted")
                .partitions(Conflict.UPSERT, "hive", "db", "t", 0, 2, "-upserted")
                .completed();
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, b.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> reportComplete(ws, second));
        assertEquals(List.of("db|Db|third"), all("select database_key, database_name, description from catalog.catalog_database"
                + " where workspace = ?", ws), "INSERT left the database, UPDATE changed it; the last spelling is kept");
        assertEquals("12|2|2", one("select count(*), count(*) filter (where location like '%-inserted'),"
                + " count(*) filter (where location like '%-upserted') from catalog.catalog_partition where workspace = ?", ws),
                "INSERT added the 2 new partitions and left the 10 stored ones; UPSERT changed 2");
        assertEquals("0/1/1/0", report(ws, second).get("databases"));
        assertEquals("2/2/10/0", report(ws, second).get("partitions"));
    }

    @Test
    void theSameChangesAgainWriteNothingAndARedeliveredEventIsNotCountedTwice() throws Exception {
        String ws = workspace();
        String first = UUID.randomUUID().toString();
        CatalogStream a = everything(new CatalogStream(ws, first), 1200).completed();
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, a.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> reportComplete(ws, first));
        String before = dump(ws, true);
        Map<String, String> reportBefore = report(ws, first);

        // The same events again (a harvester restarted before committing its offsets): nothing applied, nothing counted.
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, a.events);
        // A later run that finds the same state: everything unchanged, no row written.
        String second = UUID.randomUUID().toString();
        CatalogStream b = everything(new CatalogStream(ws, second), 1200).completed();
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, b.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> reportComplete(ws, second));

        assertEquals(before, dump(ws, true), "rows, updated_at and last run are as they were");
        assertEquals(reportBefore, report(ws, first), "the redelivered events were not counted again");
        assertEquals(Map.of("databases", "0/0/1/0", "tables", "0/0/2/0", "columns", "0/0/5/0", "partitions", "0/0/1200/0",
                "functions", "0/0/1/0", "platform_records", "0/0/3/0"), report(ws, second));
        assertTrue(deadLetters.records().stream().noneMatch(r -> r.value().contains(ws)), "nothing was dead-lettered");
    }

    @Test
    void mergeSchemaWidensTheStoredColumnsAndSchemaVersionsFollowColumnChangesOnly() throws Exception {
        String ws = workspace();
        String run = UUID.randomUUID().toString();
        CatalogStream s = new CatalogStream(ws, run)
                .table(Conflict.UPSERT, "hive", "db", "events", cols("id:int", "kind:string", "score:float"), List.of(),
                        "s3://lake/events", false)
                .table(Conflict.UPSERT, "hive", "db", "events", cols("id:int", "kind:string", "score:float"), List.of(),
                        "s3://lake/events-v2", false)
                .table(Conflict.UPSERT, "hive", "db", "EVENTS", cols("ID:bigint", "score:double", "at:timestamp", "kind:int"),
                        List.of(), "s3://lake/events-v2", true)
                .completed();
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, s.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> reportComplete(ws, run));

        assertEquals("EVENTS|id:bigint,kind:string,score:double,at:timestamp|"
                + "[\"column 'kind' is string in some files and int in others: typed string\"]|2",
                one("select table_name, (select string_agg(c->>'name' || ':' || (c->>'type'), ',' order by o)"
                        + " from jsonb_array_elements(columns) with ordinality as x(c, o)), warnings::text, schema_version"
                        + " from catalog.catalog_table where workspace = ?", ws));
        assertEquals(List.of("1|id,kind,score", "2|id,kind,score,at"), all("select version, (select string_agg(c->>'name', ','"
                + " order by o) from jsonb_array_elements(columns) with ordinality as x(c, o)) from catalog.table_schema_version"
                + " where workspace = ? order by version", ws), "a new location alone made no schema version");
        // Columns: 3 added; 3 unchanged (the move); id and score widened, kind kept as string, at added.
        assertEquals("4/2/4/0", report(ws, run).get("columns"));
        assertEquals("1/2/0/0", report(ws, run).get("tables"));
    }

    @Test
    void aPlatformReplaceIsAtomicForReadersEvenWhenItsCommitArrivesBeforeItsRecords() throws Exception {
        String ws = workspace();
        String first = UUID.randomUUID().toString();
        Map<String, String> old = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            old.put("old-" + i, "{\"v\":" + i + "}");
        }
        CatalogStream a = new CatalogStream(ws, first).records("tableau", "users", "g1", part(old, 0, 200))
                .records("tableau", "users", "g1", part(old, 200, 300)).commit("tableau", "users", "g1", 300).completed();
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, a.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> reportComplete(ws, first));
        Set<String> oldIds = ids(ws);
        assertEquals(300, oldIds.size());

        // A reader polls the kind while the next replace arrives, its commit first and its records in events of 200.
        List<Set<String>> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                try {
                    seen.add(ids(ws));
                } catch (Exception e) {
                    seen.add(Set.of("failed: " + e.getMessage()));
                }
            }
        });
        reader.start();
        String second = UUID.randomUUID().toString();
        Map<String, String> fresh = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            fresh.put((i < 150 ? "old-" : "new-") + i, "{\"v\":" + (i < 100 ? i : -i) + "}");
        }
        CatalogStream b = new CatalogStream(ws, second).commit("tableau", "users", "g2", 1000);
        for (int i = 0; i < 1000; i += 200) {
            b.records("tableau", "users", "g2", part(fresh, i, i + 200));
        }
        b.completed();
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, b.events.subList(0, 3));
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, b.events.subList(3, b.events.size()));
        await().atMost(Duration.ofSeconds(60)).until(() -> reportComplete(ws, second));
        reading.set(false);
        reader.join();

        Set<String> newIds = ids(ws);
        assertEquals(new TreeSet<>(fresh.keySet()), newIds);
        assertTrue(seen.size() > 1, "the reader read while the replace came in");
        for (Set<String> snapshot : seen) {
            assertTrue(snapshot.equals(oldIds) || snapshot.equals(newIds),
                    "a reader saw a mix of the two generations: " + snapshot.size() + " records");
        }
        assertEquals("0", one("select count(*) from catalog.platform_staged_record where workspace = ?", ws), "staging is dropped");
        // old-0..old-99 kept their json, old-100..old-149 changed, 850 new, old-150..old-299 removed.
        assertEquals("850/50/100/0/150", reportWithRemoved(ws, second).get("platform_records"));
    }

    @Test
    void aMalformedChangeIsDeadLetteredAndTheOthersAreApplied() throws Exception {
        String ws = workspace();
        String run = UUID.randomUUID().toString();
        CatalogStream s = new CatalogStream(ws, run).database(Conflict.UPSERT, "hive", "good", null)
                .records("src", "jobs", null, Map.of("1", "[\"not an object\"]"))
                .database(Conflict.UPSERT, "hive", "after", null);
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, s.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> all("select database_key from catalog.catalog_database where workspace = ?",
                ws).size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.records().stream()
                .anyMatch(r -> r.value().contains(ws) && r.value().contains("not an object")));
        assertEquals("0", one("select count(*) from catalog.platform_record where workspace = ?", ws));
    }

    /**
     * A harvester killed (SIGKILL) in the middle of a stream of 100,000 partitions and restarted resumes
     * from its committed offsets, applies the events it had applied again without effect, and ends with the
     * same catalog (and report) as one that read the stream in one go.
     */
    @Test
    void aHarvesterKilledMidStreamAndRestartedConvergesToTheSameCatalog() throws Exception {
        int partitions = 100_000;
        String reference = workspace();
        String restarted = workspace();
        String referenceRun = UUID.randomUUID().toString();
        String restartedRun = UUID.randomUUID().toString();

        long started = System.nanoTime();
        CatalogStream.send(bootstrap(), Topics.CATALOG_CHANGES, big(new CatalogStream(reference, referenceRun), partitions).events);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> reportComplete(reference, referenceRun));
        Duration took = CatalogStream.since(started);
        System.out.printf("catalog read model: %,d partitions (and the rest of the stream) sent and applied in %d ms%n",
                partitions, took.toMillis());

        // The same stream on a topic of its own, read by the packaged harvester as a separate process.
        String topic = "catalog-restart-" + UUID.randomUUID();
        String group = "restart-" + UUID.randomUUID();
        CatalogStream.send(bootstrap(), topic, big(new CatalogStream(restarted, restartedRun), partitions).events);
        ServiceProcess first = harvester(topic, group, 1);
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> partitionCount(restarted) > 0);
            first.kill();
        } finally {
            first.kill();
        }
        long atKill = partitionCount(restarted);
        assertTrue(atKill < partitions, "killed mid-stream: " + atKill + " of " + partitions + " partitions were in");
        assertFalse(reportComplete(restarted, restartedRun));
        ServiceProcess second = harvester(topic, group, 2);
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> reportComplete(restarted, restartedRun));
        } finally {
            second.stop();
        }
        System.out.printf("catalog read model: killed with %,d of %,d partitions in, restarted, converged%n", atKill, partitions);
        assertEquals(dump(reference, false), dump(restarted, false));
        assertEquals(reportWithRemoved(reference, referenceRun), reportWithRemoved(restarted, restartedRun));
        assertNotEquals("", dump(reference, false));
    }

    // ---- streams -----------------------------------------------------------------------------------

    /** Two databases, two tables (one partitioned), partitions, a function, platform records and a replace. */
    private static CatalogStream everything(CatalogStream s, int partitions) {
        return s.database(Conflict.UPSERT, "hive", "sales", "sales")
                .table(Conflict.UPSERT, "hive", "sales", "orders", cols("id:bigint", "amount:decimal(10,2)", "day:date"),
                        PARTITION_KEYS, "s3://lake/orders", false)
                .partitions(Conflict.UPSERT, "hive", "sales", "orders", 0, partitions, "")
                .table(Conflict.UPSERT, "hive", "sales", "customers", cols("id:bigint", "name:string"), List.of(),
                        "s3://lake/customers", false)
                .function(Conflict.UPSERT, "hive", "sales", "mask", "com.example.Mask")
                .records("airflow", "jobs", null, Map.of("a", "{\"x\":1}", "b", "{\"x\":2}", "c", "{\"x\":3}"));
    }

    /** {@link #everything} with many partitions, a platform replace whose commit comes first, and the end. */
    private static CatalogStream big(CatalogStream s, int partitions) {
        everything(s, partitions);
        s.commit("tableau", "users", "g1", 450);
        Map<String, String> users = new LinkedHashMap<>();
        for (int i = 0; i < 450; i++) {
            users.put("u" + i, "{\"name\":\"user " + i + "\"}");
        }
        for (int i = 0; i < 450; i += 200) {
            s.records("tableau", "users", "g1", part(users, i, Math.min(450, i + 200)));
        }
        s.table(Conflict.UPSERT, "hive", "sales", "orders", cols("id:bigint", "amount:decimal(12,2)", "day:timestamp"),
                PARTITION_KEYS, "s3://lake/orders", true);
        return s.completed();
    }

    private static Map<String, String> part(Map<String, String> all, int from, int to) {
        Map<String, String> out = new LinkedHashMap<>();
        new ArrayList<>(all.entrySet()).subList(from, to).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static List<Column> cols(String... specs) {
        List<Column> out = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            out.add(new Column(spec.substring(0, colon), spec.substring(colon + 1), null));
        }
        return out;
    }

    // ---- the harvester as a process ----------------------------------------------------------------

    private static ServiceProcess harvester(String topic, String group, int n) {
        TestInfrastructure infra = TestInfrastructure.shared();
        Map<String, String> props = new HashMap<>(Service.METADATA_HARVESTER.properties(bootstrap(), infra.postgres(), infra.keys()));
        props.put("quarkus.datasource.username", infra.postgres().username());
        props.put("quarkus.datasource.password", infra.postgres().password());
        props.put("mp.messaging.incoming.catalog-changes.topic", topic);
        props.put("mp.messaging.incoming.catalog-changes.group.id", group);
        // The killed member leaves the group within seconds, not the default 45.
        props.put("mp.messaging.incoming.catalog-changes.session.timeout.ms", "6000");
        // Its run-events consumer reads a topic of its own, so it takes nothing from this test JVM's harvester.
        props.put("mp.messaging.incoming.run-events.topic", topic + "-runs");
        props.put("mp.messaging.incoming.run-events.group.id", group + "-runs");
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        return ServiceProcess.start("catalog-harvester-" + n, jar, Ports.free(), props,
                Path.of("target/catalog-restart/logs/harvester-" + n + ".log")).awaitHealthy(Duration.ofSeconds(90));
    }

    // ---- reading the read model --------------------------------------------------------------------

    private static String workspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String bootstrap() {
        return TestInfrastructure.shared().kafka().bootstrapServers();
    }

    private static Connection connect() throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }

    static List<String> all(String sql, Object... params) throws Exception {
        try (Connection c = connect(); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        line.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(line.toString());
                }
            }
            return out;
        }
    }

    private static String one(String sql, Object... params) throws Exception {
        List<String> rows = all(sql, params);
        assertEquals(1, rows.size(), "one row of " + sql);
        return rows.get(0);
    }

    private static long partitionCount(String ws) throws Exception {
        return Long.parseLong(one("select count(*) from catalog.catalog_partition where workspace = ?", ws));
    }

    private static Set<String> ids(String ws) throws Exception {
        return new TreeSet<>(all("select record_id from catalog.platform_record where workspace = ? and kind = 'users'", ws));
    }

    /** Complete once the run's completion is in and as many events of each type were applied as it says. */
    @SuppressWarnings("unchecked")
    static boolean reportComplete(String ws, String run) throws Exception {
        List<String> emitted = all("select emitted::text from catalog.run_completion where workspace = ? and run_id = ?", ws, run);
        if (emitted.isEmpty()) {
            return false;
        }
        Map<String, Object> expected = JSON.readValue(emitted.get(0), Map.class);
        Map<String, Long> applied = new HashMap<>();
        for (String line : all("select event_type, applied from catalog.run_report_event where workspace = ? and run_id = ?", ws, run)) {
            String[] f = line.split("\\|");
            applied.put(f[0], Long.parseLong(f[1]));
        }
        return expected.entrySet().stream()
                .allMatch(e -> applied.getOrDefault(e.getKey(), 0L) >= ((Number) e.getValue()).longValue());
    }

    /** kind → added/changed/unchanged/skipped. */
    private static Map<String, String> report(String ws, String run) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : all("select kind, added || '/' || changed || '/' || unchanged || '/' || skipped from catalog.run_report"
                + " where workspace = ? and run_id = ?", ws, run)) {
            out.put(line.substring(0, line.indexOf('|')), line.substring(line.indexOf('|') + 1));
        }
        return out;
    }

    /** kind → added/changed/unchanged/skipped/removed, and event type → applied. */
    private static Map<String, String> reportWithRemoved(String ws, String run) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : all("select kind, added || '/' || changed || '/' || unchanged || '/' || skipped || '/' || removed"
                + " from catalog.run_report where workspace = ? and run_id = ?", ws, run)) {
            out.put(line.substring(0, line.indexOf('|')), line.substring(line.indexOf('|') + 1));
        }
        for (String line : all("select event_type, applied from catalog.run_report_event where workspace = ? and run_id = ?", ws, run)) {
            out.put(line.substring(0, line.indexOf('|')), line.substring(line.indexOf('|') + 1));
        }
        assertTrue(out.containsKey(EventTypes.CATALOG_RUN_COMPLETED), "the run's completion was counted");
        return out;
    }

    /**
     * Every catalog row of the workspace as text, in key order; without the workspace, and with times and
     * run ids only when {@code withTimes} (two workspaces written at different times compare without them).
     */
    private static String dump(String ws, boolean withTimes) throws Exception {
        String times = withTimes ? ", created_at, updated_at, last_run_id" : "";
        StringBuilder out = new StringBuilder();
        for (String sql : List.of(
                "select catalog_key, database_key, catalog_name, database_name, description, location, owner, parameters" + times
                        + " from catalog.catalog_database where workspace = ? order by 1, 2",
                "select catalog_key, database_key, table_key, catalog_name, database_name, table_name, table_type, location, format,"
                        + " input_format, output_format, serde_library, serde_parameters, columns, partition_keys, parameters, owner,"
                        + " stat_files, stat_bytes, stat_rows, warnings, schema_version" + times
                        + " from catalog.catalog_table where workspace = ? order by 1, 2, 3",
                "select catalog_key, database_key, table_key, version, columns, partition_keys"
                        + (withTimes ? ", created_at, run_id" : "")
                        + " from catalog.table_schema_version where workspace = ? order by 1, 2, 3, 4",
                "select catalog_key, database_key, table_key, partition_values, location, parameters, stat_files, stat_bytes,"
                        + " stat_rows" + times + " from catalog.catalog_partition where workspace = ? order by 1, 2, 3, 4",
                "select catalog_key, database_key, function_key, function_name, class_name, owner, function_type, resources" + times
                        + " from catalog.catalog_function where workspace = ? order by 1, 2, 3",
                "select kind, source, record_id, json" + times + " from catalog.platform_record where workspace = ? order by 1, 2, 3",
                "select kind, source, generation, record_id, json from catalog.platform_staged_record where workspace = ?"
                        + " order by 1, 2, 3, 4",
                "select kind, source, generation, expected_records, swapped_at is not null, superseded"
                        + " from catalog.platform_generation where workspace = ? order by 1, 2, 3")) {
            out.append(String.join("\n", all(sql, ws))).append("\n--\n");
        }
        return out.toString();
    }
}
