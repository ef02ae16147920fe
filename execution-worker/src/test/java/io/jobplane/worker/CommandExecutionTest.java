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
class CommandExecutionTest {

    private static final String DB = "worker_target";
    private static TopicRecorder runEvents;
    private static TopicRecorder deadLetters;

    @BeforeAll
    static void recordTopics() {
        TestInfrastructure infra = TestInfrastructure.shared();
        infra.postgres().createDatabase(DB);
        runEvents = TopicRecorder.record(infra.kafka().bootstrapServers(), Topics.RUN_EVENTS);
        deadLetters = TopicRecorder.record(infra.kafka().bootstrapServers(), Topics.DEAD_LETTER);
    }

    @AfterAll
    static void stopRecording() {
        runEvents.close();
        deadLetters.close();
    }

    @Test
    void tasksRunInOrderAndTheirEffectIsInTheDatabase() throws Exception {
        String table = "t_" + shortId();
        String runId = launch(false, "create table " + table + " (id int primary key, name text)",
                "insert into " + table + " values (1, 'å'), (2, '漢'), (3, 'z')");

        RunFinished finished = awaitFinished(runId);
        assertEquals(RunStatus.SUCCESS, finished.status());
        List<TaskFinished> tasks = tasksOf(runId);
        assertEquals(List.of(TaskStatus.SUCCESS, TaskStatus.SUCCESS), tasks.stream().map(TaskFinished::status).toList());
        assertEquals(0L, tasks.get(0).rowsAffected(), "PostgreSQL reports 0 rows for DDL");
        assertEquals(3L, tasks.get(1).rowsAffected());
        assertEquals(3, countRows("select count(*) from " + table));
        assertEquals(List.of(EventTypes.RUN_STARTED, EventTypes.TASK_STARTED, EventTypes.TASK_FINISHED,
                EventTypes.TASK_STARTED, EventTypes.TASK_FINISHED, EventTypes.RUN_FINISHED), typesOf(runId));
    }

    @Test
    void aFailingStatementFailsTheRunWithTheDatabaseTextAndSkipsTheRest() throws Exception {
        String table = "never_" + shortId();
        String runId = launch(false, "insert into no_such_table values (1)", "create table " + table + " (id int)");

        RunFinished finished = awaitFinished(runId);
        assertEquals(RunStatus.FAILED, finished.status());
        assertTrue(finished.errorMessage().contains("task-0") && finished.errorMessage().contains("no_such_table"),
                finished.errorMessage());
        List<TaskFinished> tasks = tasksOf(runId);
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
        send(EventTypes.LAUNCH, launch.runId(), launch);
        String runId = launch.runId();

        assertEquals(RunStatus.FAILED, awaitFinished(runId).status());
        assertEquals(List.of(TaskStatus.FAILED, TaskStatus.SUCCESS), tasksOf(runId).stream().map(TaskFinished::status).toList());
        assertEquals(1, countRows("select count(*) from information_schema.tables where table_name = '" + table + "'"));
    }

    @Test
    void cancelStopsALongStatementInTheDatabase() throws Exception {
        String runId = launch(false, "select pg_sleep(600)", "select 1");
        await().atMost(Duration.ofSeconds(30)).until(() -> sessionsOf(runId) == 1);

        send(EventTypes.CANCEL, runId, new CancelCommand(runId, "ws", Instant.now()));

        RunFinished finished = awaitFinished(runId);
        assertEquals(RunStatus.STOPPED, finished.status());
        assertEquals(List.of(TaskStatus.STOPPED, TaskStatus.SKIPPED), tasksOf(runId).stream().map(TaskFinished::status).toList());
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionsOf(runId) == 0);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheNextCommandStillRuns() {
        String poisonKey = "poison-" + shortId();
        TopicRecorder.send(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS, poisonKey, "{not json");
        String runId = launch(false, "select 1");

        assertEquals(RunStatus.SUCCESS, awaitFinished(runId).status());
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters.values(poisonKey).isEmpty());
        assertEquals("{not json", deadLetters.values(poisonKey).get(0));
    }

    @Test
    void anUnreachableDestinationFailsTheRunWithTheDriverMessageAndNeverThePassword() {
        String password = "pw-" + shortId();
        LaunchCommand launch = command(false, "no_such_db_" + shortId(), keyring().seal(password),
                List.of("select 1", "select 2"));
        send(EventTypes.LAUNCH, launch.runId(), launch);

        RunFinished finished = awaitFinished(launch.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertTrue(finished.errorMessage().contains("does not exist"), finished.errorMessage());
        assertEquals(List.of(TaskStatus.SKIPPED, TaskStatus.SKIPPED),
                tasksOf(launch.runId()).stream().map(TaskFinished::status).toList());
        assertTrue(runEvents.values(launch.runId()).stream().noneMatch(v -> v.contains(password)));
    }

    @Test
    void aRedeliveredLaunchDoesNotRunTheSameAttemptAgain() throws Exception {
        String table = "once_" + shortId();
        LaunchCommand launch = command(false, List.of("create table " + table + " (id int)",
                "insert into " + table + " values (1)"));
        send(EventTypes.LAUNCH, launch.runId(), launch);
        send(EventTypes.LAUNCH, launch.runId(), launch);
        String marker = launch(false, "select 1");

        awaitFinished(launch.runId());
        awaitFinished(marker);
        assertEquals(1, runEvents.values(launch.runId()).stream()
                .filter(v -> EventCodec.decode(v).type().equals(EventTypes.RUN_STARTED)).count());
        assertEquals(1, countRows("select count(*) from " + table));
    }

    private static String launch(boolean continueOnError, String... queries) {
        LaunchCommand launch = command(continueOnError, List.of(queries));
        send(EventTypes.LAUNCH, launch.runId(), launch);
        return launch.runId();
    }

    private static LaunchCommand command(boolean continueOnError, List<String> queries) {
        return command(continueOnError, DB, keyring().seal("unused-with-trust-auth"), queries);
    }

    private static LaunchCommand command(boolean continueOnError, String database, SealedValue password,
            List<String> queries) {
        TestInfrastructure infra = TestInfrastructure.shared();
        String runId = UUID.randomUUID().toString();
        ConnectionSpec destination = new ConnectionSpec("c1", "postgresql", infra.postgres().jdbcUrl(database),
                infra.postgres().username(), password);
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            tasks.add(new TaskSpec("task-" + i, i, queries.get(i)));
        }
        return new LaunchCommand(runId, 1, "ws", "job-1", "job", "TABLE_TO_TABLE", destination, tasks,
                continueOnError, Instant.now());
    }

    private static void send(String type, String runId, Object payload) {
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS, runId,
                EventCodec.encode(CloudEvent.of("/test", type, runId, payload)));
    }

    private static RunFinished awaitFinished(String runId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> typesOf(runId).contains(EventTypes.RUN_FINISHED));
        return eventsOf(runId).stream().filter(e -> e.type().equals(EventTypes.RUN_FINISHED)).findFirst().orElseThrow()
                .dataAs(RunFinished.class);
    }

    private static List<CloudEvent> eventsOf(String runId) {
        return runEvents.values(runId).stream().map(EventCodec::decode).toList();
    }

    private static List<String> typesOf(String runId) {
        return eventsOf(runId).stream().map(CloudEvent::type).toList();
    }

    private static List<TaskFinished> tasksOf(String runId) {
        return eventsOf(runId).stream().filter(e -> e.type().equals(EventTypes.TASK_FINISHED))
                .map(e -> e.dataAs(TaskFinished.class)).toList();
    }

    private static long sessionsOf(String runId) throws Exception {
        return countRows("select count(*) from pg_stat_activity where application_name = 'jobplane run " + runId
                + "' and state = 'active'");
    }

    private static long countRows(String sql) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static SecretKeyring keyring() {
        return new SecretKeyring(TestInfrastructure.SECRET_KEY_ID,
                Map.of(TestInfrastructure.SECRET_KEY_ID, TestInfrastructure.secretKeyBase64()));
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8).replace("-", "");
    }
}
