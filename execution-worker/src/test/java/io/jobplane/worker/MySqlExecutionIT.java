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

import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.MariaDbServer;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** SQL tasks on a MySQL connection: a real MariaDB server the test infrastructure starts. */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class MySqlExecutionIT {

    private static final String DB = "worker_mysql";
    private static WorkerRuns runs;
    private static MariaDbServer mysql;

    @BeforeAll
    static void start() {
        mysql = TestInfrastructure.shared().mysql();
        mysql.createDatabase(DB);
        runs = new WorkerRuns();
    }

    @AfterAll
    static void stop() {
        runs.close();
    }

    @Test
    void tasksRunInMySqlWithTemplatedValuesBoundAsData() throws Exception {
        String table = "t_" + UUID.randomUUID().toString().substring(0, 8);
        String hostile = "x'); drop table " + table + "; -- `{{FD_DATE}}`";
        LaunchCommand launch = command(RunSettings.DEFAULT, Map.of("note", hostile),
                "create table `" + table + "` (id int primary key, day varchar(8), at datetime(6), note text)",
                "insert into `" + table + "` values (1, {{FD_DATE}}, {{execution_date}}, {{note}}) # {{ignored}} in a comment",
                "update `" + table + "` set note = concat(note, '!') where id = 1");
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.SUCCESS, finished.status(), finished.errorMessage());
        List<TaskFinished> tasks = runs.tasksOf(launch.runId());
        assertEquals(List.of(0L, 1L, 1L), tasks.stream().map(TaskFinished::rowsAffected).toList());
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(
                "select day, date_format(at, '%Y-%m-%d %H:%i:%s'), note from `" + table + "`")) {
            assertTrue(rs.next(), "the row was written and the table is still there");
            assertEquals("20261120", rs.getString(1));
            assertEquals("2026-11-20 03:04:05", rs.getString(2), "the execution date goes in as UTC");
            assertEquals(hostile + "!", rs.getString(3), "a value is data, whatever it contains");
        }
    }

    @Test
    void aCancelStopsTheStatementInsideMySqlAndATimeoutFailsTheTask() {
        String marker = "jobplane_sleep_" + UUID.randomUUID().toString().substring(0, 8);
        LaunchCommand sleeping = command(RunSettings.DEFAULT, Map.of(), "select sleep(600) as " + marker);
        WorkerRuns.send(EventTypes.LAUNCH, sleeping.runId(), sleeping);
        await().atMost(Duration.ofSeconds(30)).until(() -> running(marker) == 1);
        WorkerRuns.send(Topics.CONTROL, EventTypes.CANCEL, sleeping.runId(),
                new CancelCommand(sleeping.runId(), "ws", Instant.now(), 1, "tester", null));
        assertEquals(RunStatus.STOPPED, runs.awaitFinished(sleeping.runId()).status());
        assertEquals(TaskStatus.STOPPED, runs.tasksOf(sleeping.runId()).get(0).status());
        await().atMost(Duration.ofSeconds(10)).until(() -> running(marker) == 0);

        LaunchCommand slow = command(new RunSettings(false, 1, 1, 1, 1, 2), Map.of(), "select sleep(30)");
        WorkerRuns.send(EventTypes.LAUNCH, slow.runId(), slow);
        RunFinished finished = runs.awaitFinished(slow.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertTrue(runs.tasksOf(slow.runId()).get(0).errorMessage().contains("timed out after 1 s"),
                runs.tasksOf(slow.runId()).get(0).errorMessage());
    }

    private static LaunchCommand command(RunSettings settings, Map<String, String> parameters, String... queries) {
        ConnectionSpec destination = new ConnectionSpec("my", "mysql", mysql.jdbcUrl(DB), MariaDbServer.USER,
                WorkerRuns.keyring().seal(MariaDbServer.PASSWORD));
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < queries.length; i++) {
            tasks.add(new TaskSpec("task-" + i, i, queries[i]));
        }
        return LaunchCommand.builder().run(UUID.randomUUID().toString(), 1, "ws").job("job-m", "mysql-job", "TABLE_TO_TABLE", false)
                .launch("manual", Instant.now(), Instant.parse("2026-11-20T03:04:05Z"), parameters).tasks(tasks).settings(settings)
                .destination(destination).build();
    }

    /** Statements running in MySQL whose text names the marker (this query aside). */
    private static long running(String marker) throws Exception {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(
                "select count(*) from information_schema.processlist where info like '%" + marker + "%' and info not like '%processlist%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(mysql.jdbcUrl(DB), MariaDbServer.USER, MariaDbServer.PASSWORD);
    }
}
