package io.jobplane.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunHeartbeat;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class CommandExecutionIT {

    private static final String DB = "worker_target";
    private static WorkerRuns runs;
    private static TopicRecorder deadLetters;

    @BeforeAll
    static void recordTopics() {
        TestInfrastructure infra = TestInfrastructure.shared();
        infra.tenant().createDatabase(DB);
        runs = new WorkerRuns();
        deadLetters = TopicRecorder.record(infra.kafka().bootstrapServers(), Topics.DEAD_LETTER);
    }

    @AfterAll
    static void stopRecording() {
        runs.close();
        deadLetters.close();
    }

    @Test
    void tasksRunInOrderAndTheirEffectIsInTheDatabase() throws Exception {
        String table = "t_" + shortId();
        String runId = launch(false, "create table " + table + " (id int primary key, name text)",
                "insert into " + table + " values (1, 'å'), (2, '漢'), (3, 'z')");

        RunFinished finished = runs.awaitFinished(runId);
        assertEquals(RunStatus.SUCCESS, finished.status());
        List<TaskFinished> tasks = runs.tasksOf(runId);
        assertEquals(List.of(TaskStatus.SUCCESS, TaskStatus.SUCCESS), tasks.stream().map(TaskFinished::status).toList());
        assertEquals(0L, tasks.get(0).rowsAffected(), "PostgreSQL reports 0 rows for DDL");
        assertEquals(3L, tasks.get(1).rowsAffected());
        assertEquals(3, countRows("select count(*) from " + table));
        assertEquals(List.of(EventTypes.RUN_STARTED, EventTypes.TASK_STARTED, EventTypes.TASK_FINISHED,
                EventTypes.TASK_STARTED, EventTypes.TASK_FINISHED, EventTypes.RUN_FINISHED), runs.typesOf(runId));
    }

    @Test
    void aFailingStatementFailsTheRunWithTheDatabaseTextAndSkipsTheRest() throws Exception {
        String table = "never_" + shortId();
        String runId = launch(false, "insert into no_such_table values (1)", "create table " + table + " (id int)");

        RunFinished finished = runs.awaitFinished(runId);
        assertEquals(RunStatus.FAILED, finished.status());
        assertTrue(finished.errorMessage().contains("task-0") && finished.errorMessage().contains("no_such_table"),
                finished.errorMessage());
        List<TaskFinished> tasks = runs.tasksOf(runId);
        assertEquals(TaskStatus.FAILED, tasks.get(0).status());
        assertTrue(tasks.get(0).errorMessage().contains("relation \"no_such_table\" does not exist"),
                tasks.get(0).errorMessage());
        assertEquals(TaskStatus.SKIPPED, tasks.get(1).status());
        assertEquals(0, countRows("select count(*) from information_schema.tables where table_name = '" + table + "'"));
    }

    @Test
    void continueOnErrorRunsTheNextTaskButStillFailsTheRun() throws Exception {
        String table = "after_" + shortId();
        // No password at all: the test cluster trusts local connections.
        LaunchCommand launch = command(true, DB, null, List.of("select * from no_such_table",
                "create table " + table + " (id int)"));
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        String runId = launch.runId();

        assertEquals(RunStatus.FAILED, runs.awaitFinished(runId).status());
        assertEquals(List.of(TaskStatus.FAILED, TaskStatus.SUCCESS), runs.tasksOf(runId).stream().map(TaskFinished::status).toList());
        assertEquals(1, countRows("select count(*) from information_schema.tables where table_name = '" + table + "'"));
    }

    @Test
    void cancelStopsALongStatementInTheDatabase() throws Exception {
        String runId = launch(false, "select pg_sleep(600)", "select 1");
        await().atMost(Duration.ofSeconds(30)).until(() -> sessionsOf(runId) == 1);

        WorkerRuns.send(EventTypes.CANCEL, runId, new CancelCommand(runId, "ws", Instant.now(), 1, "tester", null));

        RunFinished finished = runs.awaitFinished(runId);
        assertEquals(RunStatus.STOPPED, finished.status());
        assertEquals(List.of(TaskStatus.STOPPED, TaskStatus.SKIPPED), runs.tasksOf(runId).stream().map(TaskFinished::status).toList());
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionsOf(runId) == 0);
    }

    @Test
    void aRunPastItsRunTimeoutIsStoppedInTheDatabaseAndFailsRunTimeout() throws Exception {
        LaunchCommand slow = command(false, DB, null, List.of("select pg_sleep(30)", "select 1"), runTimeout(5, 1, 1));
        Instant sent = Instant.now();
        WorkerRuns.send(EventTypes.LAUNCH, slow.runId(), slow);
        await().atMost(Duration.ofSeconds(30)).until(() -> sessionsOf(slow.runId()) == 1);

        RunFinished finished = runs.awaitFinished(slow.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertEquals("RUN_TIMEOUT", finished.errorCode());
        assertTrue(finished.errorMessage().contains("it may run 5 s in all (execution.run_timeout_seconds)"),
                finished.errorMessage());
        assertTrue(Duration.between(sent, finished.finishedAt()).toSeconds() < 20,
                "stopped at its limit, not after the 30 s statement: " + Duration.between(sent, finished.finishedAt()));
        assertEquals(List.of(TaskStatus.STOPPED, TaskStatus.SKIPPED),
                runs.tasksOf(slow.runId()).stream().map(TaskFinished::status).toList());
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionsOf(slow.runId()) == 0);
        assertTrue(runs.logOf(slow.runId()).stream().anyMatch(l -> "ERROR".equals(l.level())
                && l.message().startsWith("run FAILED: run stopped after")), "the run log says why it failed");

        LaunchCommand quick = command(false, DB, null, List.of("select 1"), runTimeout(30, 1, 1));
        WorkerRuns.send(EventTypes.LAUNCH, quick.runId(), quick);
        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(quick.runId()).status(), "a run within its limit succeeds");
    }

    @Test
    void theRunTimeoutAlsoStopsARunWaitingToRetryATask() throws Exception {
        String name = "always_" + shortId();
        // A transient failure (40001) every time: the task waits a minute before each retry.
        execute("create function " + name + "() returns int language plpgsql as $$ begin"
                + " raise exception 'could not serialize access' using errcode = '40001'; end $$");
        LaunchCommand waiting = command(false, DB, null, List.of("select " + name + "()"), runTimeout(2, 3, 60));
        Instant sent = Instant.now();
        WorkerRuns.send(EventTypes.LAUNCH, waiting.runId(), waiting);

        RunFinished finished = runs.awaitFinished(waiting.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertEquals("RUN_TIMEOUT", finished.errorCode());
        assertTrue(Duration.between(sent, finished.finishedAt()).toSeconds() < 15,
                "not after the minute's backoff: " + Duration.between(sent, finished.finishedAt()));
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheNextCommandStillRuns() {
        String poisonKey = "poison-" + shortId();
        TopicRecorder.send(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS, poisonKey, "{not json");
        String runId = launch(false, "select 1");

        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(runId).status());
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters.values(poisonKey).isEmpty());
        assertEquals("{not json", deadLetters.values(poisonKey).get(0));
    }

    @Test
    void anUnreachableDestinationFailsTheRunWithTheDriverMessageAndNeverThePassword() {
        String password = "pw-" + shortId();
        LaunchCommand launch = command(false, "no_such_db_" + shortId(), WorkerRuns.keyring().seal(password),
                List.of("select 1", "select 2"));
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);

        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertTrue(finished.errorMessage().contains("does not exist"), finished.errorMessage());
        // The session is opened inside the first task's try; the rest are skipped.
        List<TaskFinished> tasks = runs.tasksOf(launch.runId());
        assertEquals(List.of(TaskStatus.FAILED, TaskStatus.SKIPPED), tasks.stream().map(TaskFinished::status).toList());
        assertTrue(tasks.get(0).errorMessage().startsWith("cannot connect to the destination: "), tasks.get(0).errorMessage());
        assertTrue(runs.recorder().values(launch.runId()).stream().noneMatch(v -> v.contains(password)));
    }

    @Test
    void aRedeliveredLaunchDoesNotRunTheSameAttemptAgain() throws Exception {
        String table = "once_" + shortId();
        LaunchCommand launch = command(false, List.of("create table " + table + " (id int)",
                "insert into " + table + " values (1)"));
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        String marker = launch(false, "select 1");

        runs.awaitFinished(launch.runId());
        runs.awaitFinished(marker);
        assertEquals(1, runs.recorder().values(launch.runId()).stream()
                .filter(v -> EventCodec.decode(v).type().equals(EventTypes.RUN_STARTED)).count());
        assertEquals(1, countRows("select count(*) from " + table));
    }

    @Test
    void aCancelOnTheControlTopicReachesTheRunAndOneBeforeTheLaunchKeepsItFromStarting() throws Exception {
        String runId = launch(false, "select pg_sleep(600)");
        await().atMost(Duration.ofSeconds(30)).until(() -> sessionsOf(runId) == 1);
        WorkerRuns.send(Topics.CONTROL, EventTypes.CANCEL, runId, new CancelCommand(runId, "ws", Instant.now(), 1, "tester", null));
        assertEquals(RunStatus.STOPPED, runs.awaitFinished(runId).status());
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionsOf(runId) == 0);

        String table = "never_" + shortId();
        LaunchCommand late = command(false, List.of("create table " + table + " (id int)"));
        WorkerRuns.send(Topics.CONTROL, EventTypes.CANCEL, late.runId(), new CancelCommand(late.runId(), "ws", Instant.now(), 1, "tester", null));
        // The worker has read the cancel once a later control record has had its effect.
        String marker = launch(false, "select pg_sleep(600)");
        await().atMost(Duration.ofSeconds(30)).until(() -> sessionsOf(marker) == 1);
        WorkerRuns.send(Topics.CONTROL, EventTypes.CANCEL, marker, new CancelCommand(marker, "ws", Instant.now(), 1, "tester", null));
        runs.awaitFinished(marker);
        WorkerRuns.send(EventTypes.LAUNCH, late.runId(), late);
        RunFinished finished = runs.awaitFinished(late.runId());
        assertEquals(RunStatus.STOPPED, finished.status());
        assertEquals("CANCELLED", finished.errorCode());
        assertEquals(0, countRows("select count(*) from information_schema.tables where table_name = '" + table + "'"));
    }

    @Test
    void anAcceptedRunIsAnnouncedBeforeItStartsAndHeartbeatsWhileItRuns() throws Exception {
        String runId = launch(false, "select pg_sleep(3)");
        RunFinished finished = runs.awaitFinished(runId);
        assertEquals(RunStatus.SUCCESS, finished.status());
        List<CloudEvent> events = runs.eventsOf(runId);
        assertEquals(EventTypes.RUN_HEARTBEAT, events.get(0).type(), "the ACCEPTED heartbeat comes first");
        assertEquals("ACCEPTED", events.get(0).dataAs(RunHeartbeat.class).state());
        long running = events.stream().filter(e -> e.type().equals(EventTypes.RUN_HEARTBEAT))
                .filter(e -> e.dataAs(RunHeartbeat.class).state().equals("RUNNING")).count();
        assertTrue(running >= 2, "a 3 s run with a 1 s heartbeat interval sent " + running + " RUNNING heartbeats");
    }

    @Test
    void parallelTasksRunWorkerPoolAtATime() throws Exception {
        RunSettings parallel = new RunSettings(true, 3, null, 1, 1, 3);
        LaunchCommand launch = command(false, DB, null, java.util.Collections.nCopies(6, "select pg_sleep(1)"), parallel);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        long most = 0;
        while (!runs.typesOf(launch.runId()).contains(EventTypes.RUN_FINISHED)) {
            most = Math.max(most, sessionsOf(launch.runId()));
            Thread.sleep(50);
        }
        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(launch.runId()).status());
        assertEquals(3, most, "at most worker_pool tasks ran at once, and that many did");
        assertEquals(6, runs.tasksOf(launch.runId()).stream().filter(t -> t.status() == TaskStatus.SUCCESS).count());
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.logOf(launch.runId()).stream()
                .filter(l -> l.message().contains(" started: select pg_sleep(1)")).count() == 6);
        assertTrue(runs.logOf(launch.runId()).stream().anyMatch(l -> l.message().equals("running 6 tasks, 3 at a time")),
                "verbosity 3 logs each task's progress");
    }

    @Test
    void aFailedTaskIsTriedAgainAndATaskPastItsTimeoutIsStoppedInTheDatabase() throws Exception {
        String sequence = "tries_" + shortId();
        execute("create sequence " + sequence);
        // Fails on the first two tries with a serialisation failure (40001, transient), succeeds on the
        // third: nextval is not rolled back.
        execute("create function " + sequence + "_flaky() returns int language plpgsql as $$ begin"
                + " if nextval('" + sequence + "') < 3 then raise exception 'could not serialize access' using errcode = '40001';"
                + " end if; return 1; end $$");
        RunSettings retries = new RunSettings(false, 1, 2, 3, 1, 2);
        LaunchCommand flaky = command(false, DB, null, List.of("select " + sequence + "_flaky()", "select pg_sleep(30)"), retries);
        WorkerRuns.send(EventTypes.LAUNCH, flaky.runId(), flaky);
        RunFinished finished = runs.awaitFinished(flaky.runId());
        List<TaskFinished> tasks = runs.tasksOf(flaky.runId());
        assertEquals(TaskStatus.SUCCESS, tasks.get(0).status());
        assertEquals(TaskStatus.FAILED, tasks.get(1).status());
        assertTrue(tasks.get(1).errorMessage().contains("timed out after 2 s"), tasks.get(1).errorMessage());
        assertEquals(RunStatus.FAILED, finished.status());
        assertEquals("TASK_FAILED", finished.errorCode());
        assertEquals(4, countRows("select last_value from " + sequence) + 1, "three tries of the first task");
        for (String task : List.of("task-0", "task-1")) {
            assertEquals(2, runs.logOf(flaky.runId()).stream().filter(l -> task.equals(l.taskId()))
                    .filter(l -> l.message().contains("trying again")).count(), "two retries of " + task);
        }
        assertEquals(0, sessionsOf(flaky.runId()));
    }

    @Test
    void aPermanentFailureIsNotTriedAgainAndFailsWithTheDatabaseText() throws Exception {
        String sequence = "once_" + shortId();
        execute("create sequence " + sequence);
        RunSettings retries = new RunSettings(false, 1, null, 5, 1, 2);
        // Division by zero (22012) every time: a data error no retry cures.
        LaunchCommand bad = command(true, DB, null, List.of("select 1 / (nextval('" + sequence + "') * 0)",
                "select * from no_such_table_" + sequence), retries);
        WorkerRuns.send(EventTypes.LAUNCH, bad.runId(), bad);

        RunFinished finished = runs.awaitFinished(bad.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        List<TaskFinished> tasks = runs.tasksOf(bad.runId());
        assertEquals(List.of(TaskStatus.FAILED, TaskStatus.FAILED), tasks.stream().map(TaskFinished::status).toList());
        assertTrue(tasks.get(0).errorMessage().contains("division by zero"), tasks.get(0).errorMessage());
        assertTrue(tasks.get(1).errorMessage().contains("does not exist"), tasks.get(1).errorMessage());
        assertEquals(1, countRows("select last_value from " + sequence), "one try of the first task");
        assertEquals(0, runs.logOf(bad.runId()).stream().filter(l -> l.message().contains("trying again")).count(),
                "no retries of a permanent failure");
    }

    @Test
    void databaseNoticesBecomeLogLinesCappedPerTask() throws Exception {
        String runId = launch(false, "do $$ begin for i in 1..80 loop raise notice 'row %', i; end loop; end $$");
        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(runId).status());
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.logOf(runId).stream().anyMatch(RunLog::truncated));
        List<RunLog> taskLines = runs.logOf(runId).stream().filter(l -> "task-0".equals(l.taskId())).toList();
        assertEquals(51, taskLines.size(), "50 lines, then one that says the rest was dropped");
        assertTrue(taskLines.stream().anyMatch(l -> l.message().equals("row 1")));
        assertTrue(taskLines.get(taskLines.size() - 1).truncated());
        assertTrue(runs.logOf(runId).stream().noneMatch(l -> l.message().contains("started")),
                "verbosity 2 (the default) logs notices, not progress");
        List<Long> seqs = runs.logOf(runId).stream().map(RunLog::seq).toList();
        assertEquals(seqs.stream().sorted().toList(), seqs, "lines arrive in order");
    }

    @Test
    void templatedValuesAreBoundAsParametersNeverWrittenIntoTheSql() throws Exception {
        String table = "tpl_" + shortId();
        String hostile = "eu'); drop table " + table + "; --";
        LaunchCommand base = command(true, List.of(
                "create table " + table + " (d timestamptz, fd date, ft text, region text, has_a boolean)",
                "insert into " + table + " values ({{execution_date}}, {{FD_DATE}}, {{FD_TIME}}, {{ region }},"
                        + " '{\"a\": 1}'::jsonb ? 'a') -- {{not_a_value}} in a comment is left alone",
                "select 'stores-{{FD_DATE}}'",
                "select {{no_such_parameter}}"));
        Instant executionDate = Instant.parse("2026-11-20T03:04:05Z");
        LaunchCommand launch = base.toBuilder().job("job-1", "job", "TABLE_TO_TABLE", true)
                .launch("manual", Instant.now(), executionDate, Map.of("region", hostile)).settings(RunSettings.DEFAULT).build();
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);

        assertEquals(RunStatus.FAILED, runs.awaitFinished(launch.runId()).status());
        List<TaskFinished> tasks = runs.tasksOf(launch.runId());
        assertEquals(List.of(TaskStatus.SUCCESS, TaskStatus.SUCCESS, TaskStatus.FAILED, TaskStatus.FAILED),
                tasks.stream().map(TaskFinished::status).toList());
        assertTrue(tasks.get(2).errorMessage().contains("{{FD_DATE}} stands inside a quoted literal"),
                tasks.get(2).errorMessage());
        assertTrue(tasks.get(3).errorMessage().contains("{{no_such_parameter}} names no value")
                && tasks.get(3).errorMessage().contains("region"), tasks.get(3).errorMessage());
        var pg = TestInfrastructure.shared().tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery("select d, fd::text, ft, region, has_a from " + table)) {
            assertTrue(rs.next(), "the row was written and the table is still there");
            assertEquals(executionDate, rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
            assertEquals("2026-11-20", rs.getString(2));
            assertEquals("030405", rs.getString(3));
            assertEquals(hostile, rs.getString(4), "a value is data, whatever it contains");
            assertTrue(rs.getBoolean(5), "a literal '?' (the jsonb operator) is not a parameter");
        }
    }

    @Test
    void preAndPostJobEventsRunAroundTheTasksAndTheirNoticesReachTheRunLog() throws Exception {
        String table = "events_" + shortId();
        RunSettings settings = events("create table " + table + " (seq serial, what text);"
                + " insert into " + table + " (what) values ('pre'); do $$ begin raise notice 'pre done'; end $$",
                "insert into " + table + " (what) values ('post'); do $$ begin raise notice 'post done'; end $$");
        // The task needs the table the pre-job event makes.
        LaunchCommand launch = command(false, DB, null, List.of("insert into " + table + " (what) values ('task')"), settings);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);

        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(launch.runId()).status());
        assertEquals(List.of("pre", "task", "post"), strings("select what from " + table + " order by seq"));
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.logOf(launch.runId()).stream().map(RunLog::message)
                .toList().containsAll(List.of("pre_job_event: pre done", "post_job_event: post done")));
        assertTrue(runs.logOf(launch.runId()).stream().filter(l -> l.message().endsWith(" done")).allMatch(l -> l.taskId() == null),
                "the events' notices are run log lines, not a task's");
    }

    @Test
    void aFailingPreJobEventFailsTheRunBeforeAnyTaskAndAFailingPostJobEventFailsASuccessfulRun() throws Exception {
        String table = "never_" + shortId();
        LaunchCommand pre = command(false, DB, null, List.of("create table " + table + " (id int)"),
                events("select 1 / 0", "create table " + table + " (id int)"));
        WorkerRuns.send(EventTypes.LAUNCH, pre.runId(), pre);
        RunFinished failed = runs.awaitFinished(pre.runId());
        assertEquals(RunStatus.FAILED, failed.status());
        assertEquals("PRE_JOB_EVENT_FAILED", failed.errorCode());
        assertTrue(failed.errorMessage().startsWith("pre_job_event failed:") && failed.errorMessage().contains("division by zero"),
                failed.errorMessage());
        assertEquals(List.of(TaskStatus.SKIPPED), runs.tasksOf(pre.runId()).stream().map(TaskFinished::status).toList());
        assertEquals(List.of(EventTypes.RUN_STARTED, EventTypes.TASK_FINISHED, EventTypes.RUN_FINISHED), runs.typesOf(pre.runId()));
        assertEquals(0, countRows("select count(*) from information_schema.tables where table_name = '" + table + "'"),
                "neither the task nor the post-job event ran");

        LaunchCommand post = command(false, DB, null, List.of("select 1"), events(null, "select * from no_such_table"));
        WorkerRuns.send(EventTypes.LAUNCH, post.runId(), post);
        RunFinished afterTasks = runs.awaitFinished(post.runId());
        assertEquals(RunStatus.FAILED, afterTasks.status());
        assertEquals("POST_JOB_EVENT_FAILED", afterTasks.errorCode());
        assertTrue(afterTasks.errorMessage().contains("no_such_table"), afterTasks.errorMessage());
        assertEquals(List.of(TaskStatus.SUCCESS), runs.tasksOf(post.runId()).stream().map(TaskFinished::status).toList());
    }

    @Test
    void aCancelStopsAPreJobEventInTheDatabaseAndNoTaskRuns() throws Exception {
        LaunchCommand launch = command(false, DB, null, List.of("select 1"), events("select pg_sleep(600)", "select 2"));
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        await().atMost(Duration.ofSeconds(30)).until(() -> sessionsOf(launch.runId()) == 1);

        WorkerRuns.send(EventTypes.CANCEL, launch.runId(), new CancelCommand(launch.runId(), "ws", Instant.now(), 1, "tester", null));
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.STOPPED, finished.status());
        assertEquals("CANCELLED", finished.errorCode());
        assertEquals(List.of(TaskStatus.SKIPPED), runs.tasksOf(launch.runId()).stream().map(TaskFinished::status).toList());
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionsOf(launch.runId()) == 0);
    }

    private static RunSettings runTimeout(int seconds, int taskAttempts, int backoffSeconds) {
        return new RunSettings(false, 1, null, taskAttempts, backoffSeconds, 2, null, null, seconds);
    }

    private static RunSettings events(String pre, String post) {
        return new RunSettings(false, 1, null, 1, 1, 2, pre, post);
    }

    private static String launch(boolean continueOnError, String... queries) {
        LaunchCommand launch = command(continueOnError, List.of(queries));
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        return launch.runId();
    }

    private static LaunchCommand command(boolean continueOnError, List<String> queries) {
        return command(continueOnError, DB, WorkerRuns.keyring().seal("unused-with-trust-auth"), queries);
    }

    private static LaunchCommand command(boolean continueOnError, String database, SealedValue password,
            List<String> queries) {
        return command(continueOnError, database, password, queries, RunSettings.DEFAULT);
    }

    private static LaunchCommand command(boolean continueOnError, String database, SealedValue password,
            List<String> queries, RunSettings settings) {
        TestInfrastructure infra = TestInfrastructure.shared();
        String runId = UUID.randomUUID().toString();
        ConnectionSpec destination = new ConnectionSpec("c1", "postgresql", infra.tenant().jdbcUrl(database),
                infra.tenant().username(), password);
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            tasks.add(new TaskSpec("task-" + i, i, queries.get(i)));
        }
        return LaunchCommand.builder().run(runId, 1, "ws").job("job-1", "job", "TABLE_TO_TABLE", continueOnError)
                .launch("manual", Instant.now(), Instant.now(), Map.of()).tasks(tasks).settings(settings).destination(destination)
                .build();
    }

    private static long sessionsOf(String runId) throws Exception {
        return countRows("select count(*) from pg_stat_activity where application_name = 'jobplane run " + runId
                + "' and state = 'active'");
    }

    private static void execute(String sql) throws Exception {
        var pg = TestInfrastructure.shared().tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), pg.username(), pg.password())) {
            c.createStatement().execute(sql);
        }
    }

    private static List<String> strings(String sql) throws Exception {
        var pg = TestInfrastructure.shared().tenant();
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long countRows(String sql) throws Exception {
        var pg = TestInfrastructure.shared().tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8).replace("-", "");
    }
}
