package io.jobplane.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskProgress;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.events.Topics;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Replication between two real PostgreSQL databases, driven through the worker's command topic. */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class ReplicationIT {

    private static final String SOURCE = "repl_source";
    private static final String DESTINATION = "repl_destination";
    /** Every row of a table as text, in key order: equal checksums mean equal content. */
    private static final String CHECKSUM = "select count(*), md5(coalesce(string_agg(t::text, '|' order by id), '')) from %s t";
    private static final String COLUMNS = """
            select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end, ', ' order by a.attnum)
              from pg_attribute a where a.attrelid = '%s'::regclass and a.attnum > 0 and not a.attisdropped""";
    private static final String KEY = """
            select string_agg(a.attname, ',') from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
             where i.indrelid = '%s'::regclass and i.indisprimary""";
    private static WorkerRuns runs;

    @BeforeAll
    static void databases() {
        TestInfrastructure.shared().tenant().createDatabase(SOURCE);
        TestInfrastructure.shared().tenant().createDatabase(DESTINATION);
        runs = new WorkerRuns();
    }

    @AfterAll
    static void stop() {
        runs.close();
    }

    @Test
    void everyTypeArrivesIntactAndARerunChangesNothing() throws Exception {
        String table = "accounts_" + shortId();
        sql(SOURCE, "create table " + table + " (id bigint primary key, amount numeric(12,3) not null, name text,"
                + " at timestamptz, day date, ok boolean, doc jsonb, blob bytea, tags text[], score double precision, note varchar(40))");
        sql(SOURCE, "insert into " + table + " select g, g * 1.5, 'name ' || g || ' ünïcødé 漢字 \t tab \\ back\nline',"
                + " timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute', date '2026-01-01' + g, g % 2 = 0,"
                + " jsonb_build_object('g', g, 'q', 'it''s'), decode(md5(g::text), 'hex'), array['a' || g, null, 'c,d'],"
                + " g / 3.0, case when g % 5 = 0 then null else 'n' || g end from generate_series(1, 2000) g");
        sql(SOURCE, "insert into " + table + " (id, amount) values (0, 0)");

        RunResult first = replicate(List.of("REPLICATE [" + table + "]"), ReplicationSpec.DEFAULT);
        assertEquals(RunStatus.SUCCESS, first.finished.status(), first.finished.errorMessage());
        assertEquals(query(SOURCE, CHECKSUM.formatted(table)), query(DESTINATION, CHECKSUM.formatted(table)));
        assertEquals(query(SOURCE, COLUMNS.formatted(table)), query(DESTINATION, COLUMNS.formatted(table)),
                "types and NOT NULL come from the source's metadata");
        assertEquals("id", query(DESTINATION, KEY.formatted(table)));
        assertEquals(2001L, first.tasks.get(0).rowsAffected());
        TaskProgress last = first.progress.get(first.progress.size() - 1);
        assertEquals(2001L, last.rowsProcessed());
        assertTrue(last.bytesProcessed() > 2001L * 100, "bytes are counted: " + last.bytesProcessed());

        String versions = "select sum(xmin::text::bigint) from " + table;
        String before = query(DESTINATION, versions);
        RunResult again = replicate(List.of("REPLICATE [" + table + "]"), ReplicationSpec.DEFAULT);
        assertEquals(RunStatus.SUCCESS, again.finished.status(), again.finished.errorMessage());
        assertEquals(0L, again.tasks.get(0).rowsAffected(), "nothing changed at the source, nothing is written");
        assertEquals(before, query(DESTINATION, versions), "not one destination row was rewritten");

        sql(SOURCE, "update " + table + " set name = 'changed' where id = 7");
        sql(SOURCE, "delete from " + table + " where id = 8");
        sql(SOURCE, "insert into " + table + " (id, amount) values (5000, 1)");
        RunResult changed = replicate(List.of("REPLICATE [" + table + "]"), ReplicationSpec.DEFAULT);
        assertEquals(RunStatus.SUCCESS, changed.finished.status(), changed.finished.errorMessage());
        assertEquals(3L, changed.tasks.get(0).rowsAffected(), "one insert, one update, one delete");
        assertEquals(query(SOURCE, CHECKSUM.formatted(table)), query(DESTINATION, CHECKSUM.formatted(table)));
    }

    @Test
    void incrementalRunsBringOnlyNewRowsAndAlterSchemaAddsASourceColumn() throws Exception {
        String table = "events_" + shortId();
        sql(SOURCE, "create table " + table + " (id int primary key, updated_at timestamptz not null, v text)");
        sql(SOURCE, "insert into " + table + " select g, timestamptz '2025-12-01 00:00:00+00' + g * interval '1 day', 'v' || g"
                + " from generate_series(1, 100) g");
        ReplicationSpec spec = new ReplicationSpec(null, "", false, false, true, false, "HARD_DELETE",
                LocalDate.parse("2026-01-01"), 30, "DAYS", 1000, true);
        String task = "REPLICATE [" + table + "] WITH CheckColumn='updated_at'";

        RunResult first = replicate(List.of(task), spec);
        assertEquals(RunStatus.SUCCESS, first.finished.status(), first.finished.errorMessage());
        assertEquals(query(SOURCE, "select count(*) from " + table + " where updated_at >= '2026-01-01'"),
                query(DESTINATION, "select count(*) from " + table), "rows before replicate_start_date stay behind");
        assertEquals("0", query(DESTINATION, "select count(*) from " + table + " where updated_at < '2026-01-01'"));
        assertTrue(first.logs.stream().anyMatch(l -> l.startsWith("slice ")), "replicate_interval slices the work: " + first.logs);

        sql(SOURCE, "alter table " + table + " add column extra int");
        sql(SOURCE, "insert into " + table + " select g, timestamptz '2026-06-01 00:00:00+00' + g * interval '1 hour', 'new', g"
                + " from generate_series(101, 110) g");
        RunResult second = replicate(List.of(task), spec);
        assertEquals(RunStatus.SUCCESS, second.finished.status(), second.finished.errorMessage());
        assertEquals("10", query(DESTINATION, "select count(*) from " + table + " where extra is not null"));
        long read = second.progress.get(second.progress.size() - 1).rowsProcessed();
        assertEquals(11L, read, "only rows from the highest replicated value on are read (that row again, and the 10 new)");
        assertEquals(query(SOURCE, "select count(*), md5(string_agg(t::text, '|' order by id)) from " + table
                + " t where updated_at >= '2026-01-01'"), query(DESTINATION, CHECKSUM.formatted(table)));
    }

    @Test
    void queryFormGoesToTheConfiguredSchemaAndPrefixAndSoftDeletesMarkRows() throws Exception {
        String table = "orders_" + shortId();
        sql(SOURCE, "create table " + table + " (id int primary key, amount int not null, label varchar(20))");
        sql(SOURCE, "insert into " + table + " select g, g, 'label of ' || g from generate_series(1, 50) g");
        ReplicationSpec spec = new ReplicationSpec("mirror", "x_", false, false, false, false, "SOFT_DELETE",
                null, null, null, 10, false);
        List<String> tasks = List.of("REPLICATE [big] SELECT [id], [label] FROM [" + table + "] WHERE amount > 40");
        RunResult first = replicate(tasks, spec);
        assertEquals(RunStatus.SUCCESS, first.finished.status(), first.finished.errorMessage());
        assertEquals("10", query(DESTINATION, "select count(*) from mirror.x_big where not jobplane_deleted"));
        assertEquals("id", query(DESTINATION, KEY.formatted("mirror.x_big")), "the key carries over where the query keeps it");
        assertTrue(first.progress.size() >= 1, "a table that is done reports its progress");

        sql(SOURCE, "delete from " + table + " where id = 45");
        RunResult second = replicate(tasks, spec);
        assertEquals(RunStatus.SUCCESS, second.finished.status(), second.finished.errorMessage());
        assertEquals("45", query(DESTINATION, "select string_agg(id::text, ',') from mirror.x_big where jobplane_deleted"));
        assertEquals("10", query(DESTINATION, "select count(*) from mirror.x_big"), "soft-deleted rows stay");
    }

    @Test
    void aMissingColumnFailsWithTheFixAndSyncAllCopiesEveryTable() throws Exception {
        String table = "wide_" + shortId();
        sql(SOURCE, "create table " + table + " (id int primary key, a text)");
        sql(SOURCE, "insert into " + table + " values (1, 'x')");
        assertEquals(RunStatus.SUCCESS, replicate(List.of("REPLICATE [" + table + "]"), ReplicationSpec.DEFAULT).finished.status());
        sql(SOURCE, "alter table " + table + " add column b text");
        RunResult refused = replicate(List.of("REPLICATE [" + table + "]"), ReplicationSpec.DEFAULT);
        assertEquals(RunStatus.FAILED, refused.finished.status());
        assertTrue(refused.tasks.get(0).errorMessage().contains("lacks the source's column(s) [b]")
                && refused.tasks.get(0).errorMessage().contains("alter_schema"), refused.tasks.get(0).errorMessage());

        String database = "repl_sync_" + shortId();
        TestInfrastructure.shared().tenant().createDatabase(database);
        sql(database, "create table one (id int primary key); insert into one values (1), (2)");
        sql(database, "create table two (k text primary key, v jsonb); insert into two values ('a', '{\"x\": [1, 2]}')");
        LaunchCommand launch = command("SYNC_ALL", database, List.of(), ReplicationSpec.DEFAULT, RunSettings.DEFAULT);
        RunResult all = run(launch);
        assertEquals(RunStatus.SUCCESS, all.finished.status(), all.finished.errorMessage());
        assertEquals(List.of("table:one", "table:two"), all.tasks.stream().map(TaskFinished::taskId).toList());
        assertEquals("2", query(DESTINATION, "select count(*) from one"));
        assertEquals("{\"x\": [1, 2]}", query(DESTINATION, "select v::text from two"));
    }

    @Test
    void aCancelStopsTheCopyAndLeavesNothingHalfDone() throws Exception {
        String target = "endless_" + shortId();
        LaunchCommand launch = command("STANDARD", SOURCE,
                List.of("REPLICATE [" + target + "] SELECT generate_series(1, 200000000) AS id, repeat('x', 200) AS pad"),
                ReplicationSpec.DEFAULT, RunSettings.DEFAULT);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        await().atMost(Duration.ofSeconds(60)).until(() -> !progressOf(launch.runId()).isEmpty());
        WorkerRuns.send(Topics.CONTROL, EventTypes.CANCEL, launch.runId(),
                new CancelCommand(launch.runId(), "ws", Instant.now(), 1, "tester", null));
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.STOPPED, finished.status());
        assertEquals(TaskStatus.STOPPED, runs.tasksOf(launch.runId()).get(0).status());
        assertEquals("f", query(DESTINATION, "select (to_regclass('" + target + "') is not null)::text").substring(0, 1),
                "the table made for this run was rolled back with it");
        await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(query(SOURCE,
                "select count(*) from pg_stat_activity where application_name = 'jobplane run " + launch.runId() + "' and state = 'active'")));
    }

    private record RunResult(RunFinished finished, List<TaskFinished> tasks, List<TaskProgress> progress, List<String> logs) {
    }

    private static RunResult replicate(List<String> tasks, ReplicationSpec spec) {
        return run(command("STANDARD", SOURCE, tasks, spec, new RunSettings(false, 1, null, 1, 1, 3)));
    }

    private static RunResult run(LaunchCommand launch) {
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        return new RunResult(finished, runs.tasksOf(launch.runId()), progressOf(launch.runId()),
                runs.logOf(launch.runId()).stream().map(l -> l.message()).toList());
    }

    private static List<TaskProgress> progressOf(String runId) {
        return runs.eventsOf(runId).stream().filter(e -> e.type().equals(EventTypes.TASK_PROGRESS))
                .map(e -> e.dataAs(TaskProgress.class)).toList();
    }

    private static LaunchCommand command(String type, String sourceDatabase, List<String> queries, ReplicationSpec spec,
            RunSettings settings) {
        var pg = TestInfrastructure.shared().tenant();
        var password = WorkerRuns.keyring().seal("unused-with-trust-auth");
        ConnectionSpec source = new ConnectionSpec("src", "postgresql", pg.jdbcUrl(sourceDatabase), pg.username(), password);
        ConnectionSpec destination = new ConnectionSpec("dst", "postgresql", pg.jdbcUrl(DESTINATION), pg.username(), password);
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            tasks.add(new TaskSpec("task-" + i, i, queries.get(i)));
        }
        return LaunchCommand.builder().run(UUID.randomUUID().toString(), 1, "ws").job("job-r", "replication", type, false)
                .launch("manual", Instant.now(), Instant.now(), Map.of()).tasks(tasks).settings(settings)
                .destination(destination).source(source).replication(spec).build();
    }

    private static void sql(String database, String sql) throws SQLException {
        var pg = TestInfrastructure.shared().tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), pg.username(), pg.password())) {
            c.createStatement().execute(sql);
        }
    }

    private static String query(String database, String sql) throws SQLException {
        return WorkerRuns.firstRow(database, sql);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
