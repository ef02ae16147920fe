package io.jobplane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jobplane.events.EventTypes;
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
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Folder loads into a real PostgreSQL and file copies between real directories, driven through the
 * worker's command topic on the real broker.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class FileJobsIT {

    private static final String DESTINATION = "files_destination";
    private static final Instant EXECUTION_DATE = Instant.parse("2026-03-04T05:06:07Z");
    private static final RunSettings SETTINGS = new RunSettings(false, 1, null, 1, 1, 3);
    private static WorkerRuns runs;

    /** This test's folder (JUnit's @TempDir does not reach a @QuarkusTest instance). */
    private Path dir;

    @BeforeAll
    static void databases() {
        TestInfrastructure.shared().tenant().createDatabase(DESTINATION);
        runs = new WorkerRuns();
    }

    @AfterAll
    static void stop() {
        runs.close();
    }

    @BeforeEach
    void folder() throws IOException {
        dir = Files.createTempDirectory(TestInfrastructure.shared().filesRoot(), "jobplane-files");
    }

    @AfterEach
    void removeFolder() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void csvFilesAreLoadedOnceAndARerunLoadsOnlyNewOnes() throws Exception {
        String table = "orders_" + shortId();
        Path in = Files.createDirectories(dir.resolve("incoming"));
        write(in.resolve("orders-1.csv"), "id,name,note\n1,\"Smith, Jane\",\"two\nlines\"\n2,O\\\"Brien,\n");
        write(in.resolve("orders-2.csv"), "id,name,note\n3,ünïcødé 漢字,tab\there\n");
        write(in.resolve("other.txt"), "not,a,match\n");
        String job = "job-" + shortId();
        List<String> task = List.of("REPLICATE [" + table + "] FROM 'incoming/orders-*.csv' WITH Header='true', Escape='\\'");

        Run first = run(load(job, task, ReplicationSpec.DEFAULT));
        assertEquals(RunStatus.SUCCESS, first.finished.status(), first.finished.errorMessage());
        assertEquals(3L, first.tasks.get(0).rowsAffected());
        assertEquals("1|Smith, Jane|two\nlines;2|O\"Brien|null;3|ünïcødé 漢字|tab\there",
                query("select string_agg(concat_ws('|', id, name, coalesce(note, 'null')), ';' order by id) from " + table));
        assertEquals("id text, name text, note text", columns(table), "CSV columns are text");
        assertEquals("incoming/orders-1.csv:2,incoming/orders-2.csv:1", query("select string_agg(path || ':' || rows, ',' order by path)"
                + " from jobplane_loaded_files where job_id = '" + job + "'"));
        TaskProgress last = first.progress.get(first.progress.size() - 1);
        assertEquals(3L, last.rowsProcessed());

        Run again = run(load(job, task, ReplicationSpec.DEFAULT));
        assertEquals(RunStatus.SUCCESS, again.finished.status(), again.finished.errorMessage());
        assertEquals(0L, again.tasks.get(0).rowsAffected(), "every file was loaded before");
        assertEquals("3", query("select count(*) from " + table));

        Files.setLastModifiedTime(in.resolve("orders-1.csv"), FileTime.from(Instant.now().plusSeconds(60)));
        write(in.resolve("orders-3.csv"), "name,id\nlater,4\n");
        Run third = run(load(job, task, ReplicationSpec.DEFAULT));
        assertEquals(RunStatus.SUCCESS, third.finished.status(), third.finished.errorMessage());
        assertEquals(1L, third.tasks.get(0).rowsAffected(), "only the new file; the touched one has the same content");
        assertTrue(third.logs.stream().anyMatch(l -> l.contains("orders-1.csv' skipped: its content was loaded before")), third.logs.toString());
        assertEquals("4|later|", query("select " + joined("id, name, note") + " from " + table + " where id = '4'"),
                "columns are matched by name, whatever their order in the file");

        ReplicationSpec truncate = new ReplicationSpec(null, "", false, true, false, false, "HARD_DELETE", null, null, null, 1000, false);
        Run reload = run(load(job, task, truncate));
        assertEquals(RunStatus.SUCCESS, reload.finished.status(), reload.finished.errorMessage());
        assertEquals(4L, reload.tasks.get(0).rowsAffected(), "truncate_table_data forgets the loaded files and loads them all");
        assertEquals("4", query("select count(*) from " + table));
    }

    @Test
    void twoRunsAtOnceLoadEachFileExactlyOnce() throws Exception {
        String table = "race_" + shortId();
        Path in = Files.createDirectories(dir.resolve("race"));
        for (int f = 0; f < 8; f++) {
            StringBuilder csv = new StringBuilder("n\n");
            for (int r = 0; r < 500; r++) {
                csv.append(f * 1000 + r).append('\n');
            }
            write(in.resolve("part-" + f + ".csv"), csv.toString());
        }
        String job = "job-" + shortId();
        List<String> task = List.of("REPLICATE [" + table + "] FROM 'race/*.csv'");
        LaunchCommand a = load(job, task, ReplicationSpec.DEFAULT);
        LaunchCommand b = load(job, task, ReplicationSpec.DEFAULT);
        WorkerRuns.send(EventTypes.LAUNCH, a.runId(), a);
        WorkerRuns.send(EventTypes.LAUNCH, b.runId(), b);
        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(a.runId()).status());
        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(b.runId()).status());
        long total = runs.tasksOf(a.runId()).get(0).rowsAffected() + runs.tasksOf(b.runId()).get(0).rowsAffected();
        assertEquals(4000L, total, "the two runs shared the files between them");
        assertEquals("4000/4000", query("select count(*), count(distinct n) from " + table));
        assertEquals("8", query("select count(*) from jobplane_loaded_files where job_id = '" + job + "'"));
    }

    @Test
    void jsonLinesAndParquetFilesGetTypedColumnsInTheConfiguredSchema() throws Exception {
        String name = "typed_" + shortId();
        write(dir.resolve("events.jsonl"), """
                {"id": 1, "amount": 1.5, "ok": true, "label": "a\\tb", "doc": {"k": [1, 2]}}

                {"id": 2, "amount": 2, "ok": false, "label": null, "extra": "x"}
                """);
        writeParquet(dir.resolve("data").resolve("2026").resolve("part-0.parquet"));
        ReplicationSpec spec = new ReplicationSpec("landing", "f_", false, false, false, false, "HARD_DELETE", null, null, null, 2, false);
        Run run = run(load("job-" + shortId(), List.of(
                "REPLICATE [" + name + "] FROM 'events.jsonl'",
                "REPLICATE [" + name + "_pq] FROM 'data/**/*.parquet'"), spec));
        assertEquals(RunStatus.SUCCESS, run.finished.status(), run.finished.errorMessage());
        String json = "landing.f_" + name;
        assertEquals("id bigint, amount numeric, ok boolean, label text, doc jsonb, extra text", columns(json));
        assertEquals("1|1.5|true|a\tb|{\"k\": [1, 2]}|;2|2|false|||x", query("select string_agg(" + joined("id, amount, ok, label, doc, extra")
                + ", ';' order by id) from " + json));

        String parquet = "landing.f_" + name + "_pq";
        assertEquals("id bigint not null, name text, score double precision, price numeric(9,2), day date, at timestamp with time zone,"
                + " flag boolean, tags jsonb", columns(parquet));
        assertEquals("3", query("select count(*) from " + parquet));
        assertEquals("1|name 1|1.5|12.34|2026-01-02|2026-01-01 00:00:01.000001+00|true|[\"a\", \"b\"]", query(
                "set time zone 'UTC'; select " + joined("id, name, score, price, day, at, flag, tags") + " from " + parquet + " where id = 1"));
        assertEquals("2|||", query("select " + joined("id, name, score, tags") + " from " + parquet + " where id = 2"));
        assertEquals(2L + 3L, run.tasks.stream().mapToLong(TaskFinished::rowsAffected).sum());
    }

    @Test
    void aBadFileFailsAloneLeavingNothingOfItAndIsLoadedOnceMended() throws Exception {
        String table = "amounts_" + shortId();
        sql("create table " + table + " (id int primary key, amount int not null)");
        Path in = Files.createDirectories(dir.resolve("amounts"));
        write(in.resolve("a.csv"), "id,amount\n1,10\n2,20\n");
        write(in.resolve("b.csv"), "id,amount\n3,30\n4,lots\n");
        write(in.resolve("c.csv"), "id,amount\n5,50,extra\n");
        String job = "job-" + shortId();
        List<String> task = List.of("REPLICATE [" + table + "] FROM 'amounts/*.csv'");

        Run first = run(load(job, task, ReplicationSpec.DEFAULT));
        assertEquals(RunStatus.FAILED, first.finished.status());
        String error = first.tasks.get(0).errorMessage();
        assertTrue(error.startsWith("2 of 3 new files could not be loaded"), error);
        assertTrue(error.contains("'amounts/b.csv'") && error.contains("invalid input syntax for type integer: \"lots\""), error);
        assertTrue(error.contains("'amounts/c.csv' record 2: 3 fields where the header has 2"), error);
        assertEquals("1,2", query("select string_agg(id::text, ',' order by id) from " + table), "b.csv's good row went back with its bad one");
        assertEquals("amounts/a.csv", query("select string_agg(path, ',') from jobplane_loaded_files where job_id = '" + job + "'"));

        write(in.resolve("b.csv"), "id,amount\n3,30\n4,40\n");
        Files.delete(in.resolve("c.csv"));
        Run mended = run(load(job, task, ReplicationSpec.DEFAULT));
        assertEquals(RunStatus.SUCCESS, mended.finished.status(), mended.finished.errorMessage());
        assertEquals(2L, mended.tasks.get(0).rowsAffected());
        assertEquals("100", query("select sum(amount) from " + table));

        write(in.resolve("d.csv"), "id,amount,comment\n6,60,new column\n");
        Run widened = run(load(job, task, ReplicationSpec.DEFAULT));
        assertEquals(RunStatus.FAILED, widened.finished.status());
        assertTrue(widened.tasks.get(0).errorMessage().contains("column(s) [comment]")
                && widened.tasks.get(0).errorMessage().contains("alter_schema"), widened.tasks.get(0).errorMessage());
        ReplicationSpec alter = new ReplicationSpec(null, "", false, false, true, false, "HARD_DELETE", null, null, null, 1000, false);
        assertEquals(RunStatus.SUCCESS, run(load(job, task, alter)).finished.status());
        assertEquals("new column", query("select comment from " + table + " where id = 6"));
    }

    @Test
    void pathsNeverLeaveTheBasePath() throws Exception {
        Path outside = Files.createTempDirectory("outside");
        try {
            write(outside.resolve("secret.csv"), "password\nhunter2\n");
            Path base = Files.createDirectories(dir.resolve("base"));
            Files.createSymbolicLink(base.resolve("secret.csv"), outside.resolve("secret.csv"));
            Files.createSymbolicLink(base.resolve("elsewhere"), outside);
            String table = "leak_" + shortId();

            Run link = run(load("job-" + shortId(), List.of("REPLICATE [" + table + "] FROM '*.csv'"), ReplicationSpec.DEFAULT, base,
                    Map.of()));
            assertEquals(RunStatus.FAILED, link.finished.status());
            assertTrue(link.tasks.get(0).errorMessage().contains("'secret.csv' in the source is a link to a place outside"),
                    link.tasks.get(0).errorMessage());

            Run linkedDir = run(load("job-" + shortId(), List.of("REPLICATE [" + table + "] FROM 'elsewhere/*.csv'"),
                    ReplicationSpec.DEFAULT, base, Map.of()));
            assertEquals(RunStatus.FAILED, linkedDir.finished.status());
            assertTrue(linkedDir.tasks.get(0).errorMessage().contains("link to a place outside"), linkedDir.tasks.get(0).errorMessage());

            Run parameter = run(load("job-" + shortId(), List.of("REPLICATE [" + table + "] FROM '{{folder}}/secret.csv'"),
                    ReplicationSpec.DEFAULT, base, Map.of("folder", "../" + outside.getFileName())));
            assertEquals(RunStatus.FAILED, parameter.finished.status());
            assertTrue(parameter.tasks.get(0).errorMessage().contains("{{folder}} is '../"), parameter.tasks.get(0).errorMessage());

            write(base.resolve("in.csv"), "a\n1\n");
            Run escape = run(copy(List.of("COPY 'in.csv' TO 'elsewhere/'"), base, base, Map.of()));
            assertEquals(RunStatus.FAILED, escape.finished.status());
            assertTrue(escape.tasks.get(0).errorMessage().contains("'elsewhere' in the destination is a link to a place outside"),
                    escape.tasks.get(0).errorMessage());
            assertEquals("false", query("select (to_regclass('" + table + "') is not null)::text"));
            try (Stream<Path> files = Files.list(outside)) {
                assertEquals(List.of("secret.csv"), files.map(p -> p.getFileName().toString()).toList(), "nothing was written outside");
            }
        } finally {
            try (Stream<Path> files = Files.list(outside)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(outside);
        }
    }

    @Test
    void readsOfTheWorkersFilesAndBasePathsOutsideTheRootFailAndCopyNothing() throws Exception {
        Path keyring = TestInfrastructure.shared().filesRoot().getParent().resolve("keys/secrets.key");
        assertTrue(Files.isRegularFile(keyring), "the worker's sealing key, which no task may read");
        Path base = Files.createDirectories(dir.resolve("base"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(base.resolve("environ.csv"), Path.of("/proc/self/environ"));
        Files.createSymbolicLink(base.resolve("keyring.csv"), keyring);
        String table = "leak_" + shortId();

        for (String file : List.of("environ.csv", "keyring.csv")) {
            Run load = run(load("job-" + shortId(), List.of("REPLICATE [" + table + "] FROM '" + file + "'"), ReplicationSpec.DEFAULT,
                    base, Map.of()));
            assertEquals(RunStatus.FAILED, load.finished.status(), file);
            assertTrue(load.tasks.get(0).errorMessage().contains("'" + file + "' in the source is a link to a place outside"),
                    load.tasks.get(0).errorMessage());
            Run copy = run(copy(List.of("COPY '" + file + "' TO 'stolen/'"), base, out, Map.of()));
            assertEquals(RunStatus.FAILED, copy.finished.status(), file);
            assertTrue(copy.tasks.get(0).errorMessage().contains("is a link to a place outside"), copy.tasks.get(0).errorMessage());
        }
        Run climb = run(copy(List.of("COPY '../../keys/secrets.key' TO 'stolen/'"), base, out, Map.of()));
        assertEquals(RunStatus.FAILED, climb.finished.status());
        assertTrue(climb.tasks.get(0).errorMessage().contains("uses '..'"), climb.tasks.get(0).errorMessage());

        // Base paths whose real location is not under the worker's file root: refused before any task.
        Path linkedBase = Files.createSymbolicLink(dir.resolve("linked-base"), keyring.getParent());
        for (Path refused : List.of(linkedBase, Path.of("/proc/self"), keyring.getParent(), Path.of("/"))) {
            Run copy = run(copy(List.of("COPY '*' TO 'stolen/'"), refused, out, Map.of()));
            assertEquals(RunStatus.FAILED, copy.finished.status(), refused.toString());
            assertEquals("BASE_PATH_NOT_ALLOWED", copy.finished.errorCode(), refused.toString());
            assertTrue(copy.finished.errorMessage().contains("is not under a directory this worker allows"), copy.finished.errorMessage());
            assertEquals(TaskStatus.SKIPPED, copy.tasks.get(0).status());
            Run load = run(load("job-" + shortId(), List.of("REPLICATE [" + table + "] FROM '*'"), ReplicationSpec.DEFAULT, refused,
                    Map.of()));
            assertEquals("BASE_PATH_NOT_ALLOWED", load.finished.errorCode(), refused.toString());
        }
        Run outward = run(copy(List.of("COPY 'x.csv' TO 'x.csv'"), base, linkedBase, Map.of()));
        assertEquals("BASE_PATH_NOT_ALLOWED", outward.finished.errorCode(), "a destination outside the root is refused too");

        assertEquals(List.of(), filesBelow(out), "nothing was copied");
        assertEquals("false", query("select (to_regclass('" + table + "') is not null)::text"), "nothing was loaded");
    }

    @Test
    void fileCopiesAreTemplatedAtomicAndLeaveIdenticalFilesAlone() throws Exception {
        Path from = Files.createDirectories(dir.resolve("from"));
        Path to = Files.createDirectories(dir.resolve("to"));
        Path stores = Files.createDirectories(from.resolve("in")).resolve("stores-20260304-050607.csv");
        write(stores, "store,amount\n1,10\n");
        Files.setLastModifiedTime(stores, FileTime.from(Instant.parse("2026-03-04T05:00:00Z")));
        write(Files.createDirectories(from.resolve("logs/a/b")).resolve("x.json"), "{\"x\": 1}\n");
        write(from.resolve("logs/top.json"), "{\"top\": true}\n");
        write(from.resolve("logs/skip.txt"), "no\n");
        List<String> tasks = List.of("COPY 'in/stores-{{FD_DATE}}-{{FD_TIME}}.csv' TO 'archive/{{FD_DATE}}/'",
                "COPY 'logs/**/*.json' TO 'json/{{region}}/'",
                "COPY 'in/stores-{{FD_DATE}}-{{FD_TIME}}.csv' TO 'latest.csv'");

        Run first = run(copy(tasks, from, to, Map.of("region", "eu")));
        assertEquals(RunStatus.SUCCESS, first.finished.status(), first.finished.errorMessage());
        assertEquals(List.of(1L, 2L, 1L), first.tasks.stream().map(TaskFinished::rowsAffected).toList());
        Path archived = to.resolve("archive/20260304/stores-20260304-050607.csv");
        assertEquals("store,amount\n1,10\n", Files.readString(archived));
        assertEquals(Files.getLastModifiedTime(stores), Files.getLastModifiedTime(archived), "the copy keeps the modification time");
        assertEquals("{\"x\": 1}\n", Files.readString(to.resolve("json/eu/a/b/x.json")), "directories below ** are kept");
        assertEquals("{\"top\": true}\n", Files.readString(to.resolve("json/eu/top.json")));
        assertEquals("store,amount\n1,10\n", Files.readString(to.resolve("latest.csv")));
        assertEquals(List.of("archive/20260304/stores-20260304-050607.csv", "json/eu/a/b/x.json", "json/eu/top.json", "latest.csv"),
                filesBelow(to), "no temporary file is left behind");

        Run again = run(copy(tasks, from, to, Map.of("region", "eu")));
        assertEquals(RunStatus.SUCCESS, again.finished.status(), again.finished.errorMessage());
        assertEquals(List.of(0L, 0L, 0L), again.tasks.stream().map(TaskFinished::rowsAffected).toList(), "identical files are left alone");

        write(stores, "store,amount\n1,11\n");
        Run refused = run(copy(List.of("COPY 'in/*.csv' TO 'archive/20260304/' WITH IfExists='FAIL'"), from, to, Map.of()));
        assertEquals(RunStatus.FAILED, refused.finished.status());
        assertTrue(refused.tasks.get(0).errorMessage().contains("exists in the destination with other content (IfExists='FAIL')"),
                refused.tasks.get(0).errorMessage());
        assertEquals("store,amount\n1,10\n", Files.readString(archived));
        Run replaced = run(copy(tasks.subList(0, 1), from, to, Map.of()));
        assertEquals(1L, replaced.tasks.get(0).rowsAffected());
        assertEquals("store,amount\n1,11\n", Files.readString(archived));

        Run missing = run(copy(List.of("COPY 'in/stores-{{FD_DATE}}.csv' TO 'archive/'"), from, to, Map.of()));
        assertEquals(RunStatus.FAILED, missing.finished.status());
        assertEquals("'in/stores-20260304.csv' does not exist in the source (below its base_path)", missing.tasks.get(0).errorMessage());
        assertEquals(TaskStatus.FAILED, missing.tasks.get(0).status());
    }

    @Test
    void aCancelStopsTheLoadAndLeavesNothingOfTheFile() throws Exception {
        String table = "big_" + shortId();
        Path big = dir.resolve("big.csv");
        try (var out = Files.newBufferedWriter(big)) {
            out.write("id,pad\n");
            String pad = "x".repeat(60);
            for (int i = 0; i < 3_000_000; i++) {
                out.write(i + "," + pad + "\n");
            }
        }
        LaunchCommand launch = load("job-" + shortId(), List.of("REPLICATE [" + table + "] FROM 'big.csv'"), ReplicationSpec.DEFAULT);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> runs.eventsOf(launch.runId()).stream()
                .anyMatch(e -> e.type().equals(EventTypes.TASK_PROGRESS)));
        WorkerRuns.send(io.jobplane.events.Topics.CONTROL, EventTypes.CANCEL, launch.runId(),
                new io.jobplane.events.payload.CancelCommand(launch.runId(), "ws", Instant.now(), 1, "tester", null));
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.STOPPED, finished.status());
        assertEquals(TaskStatus.STOPPED, runs.tasksOf(launch.runId()).get(0).status());
        assertEquals("false", query("select (to_regclass('" + table + "') is not null)::text"), "the table made for the file went back with it");
        assertEquals("0", query("select count(*) from jobplane_loaded_files where job_id = '" + launch.jobId() + "'"));
    }

    // ---- plumbing ------------------------------------------------------------------------

    private record Run(RunFinished finished, List<TaskFinished> tasks, List<TaskProgress> progress, List<String> logs) {
    }

    private static Run run(LaunchCommand launch) {
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        return new Run(finished, runs.tasksOf(launch.runId()),
                runs.eventsOf(launch.runId()).stream().filter(e -> e.type().equals(EventTypes.TASK_PROGRESS))
                        .map(e -> e.dataAs(TaskProgress.class)).toList(),
                runs.logOf(launch.runId()).stream().map(l -> l.message()).toList());
    }

    private LaunchCommand load(String job, List<String> queries, ReplicationSpec spec) {
        return load(job, queries, spec, dir, Map.of());
    }

    private static LaunchCommand load(String job, List<String> queries, ReplicationSpec spec, Path base, Map<String, String> parameters) {
        var pg = TestInfrastructure.shared().tenant();
        ConnectionSpec destination = new ConnectionSpec("dst", "postgresql", pg.jdbcUrl(DESTINATION), pg.username(),
                WorkerRuns.keyring().seal("unused-with-trust-auth"));
        return LaunchCommand.builder().run(UUID.randomUUID().toString(), 1, "ws").job(job, "folder load", "LOAD_FOLDER", true)
                .launch("manual", Instant.now(), EXECUTION_DATE, parameters).tasks(tasks(queries)).settings(SETTINGS)
                .destination(destination).source(folder("src", base)).replication(spec).build();
    }

    private static LaunchCommand copy(List<String> queries, Path from, Path to, Map<String, String> parameters) {
        return LaunchCommand.builder().run(UUID.randomUUID().toString(), 1, "ws").job("job-copy", "file copy", "STORAGE_TO_STORAGE", true)
                .launch("manual", Instant.now(), EXECUTION_DATE, parameters).tasks(tasks(queries)).settings(SETTINGS)
                .destination(folder("dst", to)).source(folder("src", from)).build();
    }

    private static ConnectionSpec folder(String id, Path base) {
        return new ConnectionSpec(id, "filesystem", null, null, null, base.toString(), null, null, null);
    }

    private static List<TaskSpec> tasks(List<String> queries) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            tasks.add(new TaskSpec("task-" + i, i, queries.get(i)));
        }
        return tasks;
    }

    private static void writeParquet(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        MessageType schema = MessageTypeParser.parseMessageType("""
                message row {
                  required int64 id;
                  optional binary name (STRING);
                  optional double score;
                  optional int32 price (DECIMAL(9,2));
                  optional int32 day (DATE);
                  optional int64 at (TIMESTAMP(MICROS,true));
                  optional boolean flag;
                  optional group tags (LIST) { repeated group list { optional binary element (STRING); } }
                }""");
        SimpleGroupFactory rows = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                .withConf(new PlainParquetConfiguration()).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            Group one = rows.newGroup().append("id", 1L).append("name", Binary.fromString("name 1")).append("score", 1.5)
                    .append("price", new BigDecimal("12.34").unscaledValue().intValueExact())
                    .append("day", (int) LocalDate.parse("2026-01-02").toEpochDay())
                    .append("at", Instant.parse("2026-01-01T00:00:01.000001Z").getEpochSecond() * 1_000_000L + 1).append("flag", true);
            Group tags = one.addGroup("tags");
            tags.addGroup("list").append("element", "a");
            tags.addGroup("list").append("element", "b");
            writer.write(one);
            writer.write(rows.newGroup().append("id", 2L));
            writer.write(rows.newGroup().append("id", 3L).append("name", "three"));
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static List<String> filesBelow(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /** The columns as text joined with '|', NULL as nothing. */
    private static String joined(String columns) {
        return "array_to_string(array[" + String.join(", ", java.util.Arrays.stream(columns.split(",\\s*")).map(c -> c + "::text").toList())
                + "], '|', '')";
    }

    private static String columns(String table) throws SQLException {
        return query("select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null'"
                + " else '' end, ', ' order by a.attnum) from pg_attribute a where a.attrelid = '" + table + "'::regclass and a.attnum > 0"
                + " and not a.attisdropped");
    }

    private static void sql(String sql) throws SQLException {
        var pg = TestInfrastructure.shared().tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DESTINATION), pg.username(), pg.password())) {
            c.createStatement().execute(sql);
        }
    }

    /** The last statement's first row, columns joined with '/'. */
    private static String query(String sql) throws SQLException {
        return WorkerRuns.firstRow(DESTINATION, sql);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
