package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * No tenant's launch can stop the launch path: a launch whose command would exceed the bound is refused
 * with 413 and stores nothing, whichever way it is launched; a record Kafka refuses anyway moves to the
 * outbox's dead-letter table, its run fails, and the relay goes on with the launches after it.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class LaunchBoundsIT {

    /** The default jobplane.launch.max-command-bytes: 960 KiB, under the 1 MiB jobplane.commands takes. */
    private static final long LIMIT = 960L * 1024;
    /** A long task (a job takes up to 1,000,000 characters): 4 of them exceed the bound, 1 does not. */
    private static final String BIG_TASK = "select '" + "x".repeat(300_000) + "'";

    @Test
    void anOversizedLaunchIsRefusedWith413AndNothingIsStoredWhetherDispatchedQueuedOrBackfilled() throws Exception {
        String ws = uniqueWorkspace();
        String free = job(ws, "free", null);
        String limited = job(ws, "limited", Map.of("enabled", false, "cron", "0 */6 * * *"));
        for (String job : List.of(free, limited)) {
            for (int i = 0; i < 4; i++) {
                as(ws, "editor").body(Map.of("query", BIG_TASK)).post(ScheduleIT.path(ws, job) + "/tasks").then().statusCode(201);
            }
        }

        for (String job : List.of(free, limited)) {
            as(ws, "operator").post(ScheduleIT.path(ws, job) + "/runs").then().statusCode(413)
                    .body("error_code", equalTo("LAUNCH_COMMAND_TOO_LARGE"))
                    .body("error_msg", containsString("more than the limit of " + LIMIT + " bytes"))
                    .body("error_msg", containsString("5 tasks of"))
                    .body("solution_msg", containsString("fewer"));
        }
        as(ws, "operator").body(Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-01T12:00:00Z"))
                .post(ScheduleIT.path(ws, limited) + "/backfill").then().statusCode(413)
                .body("error_code", equalTo("LAUNCH_COMMAND_TOO_LARGE"));

        assertEquals(0, RunLaunchIT.count("select count(*) from api.run where workspace = '" + ws + "'"), "no run was stored");
        assertEquals(0, RunLaunchIT.count("select count(*) from api.backfill where workspace = '" + ws + "'"),
                "no backfill was stored");
        for (String job : List.of(free, limited)) {
            assertEquals(0, RunLaunchIT.count("select count(*) from api.outbox where position('" + job + "' in payload) > 0"),
                    "no command or event of the job was written");
        }

        // Deleting tasks brings the command under the bound: the same job launches.
        List<String> tasks = as(ws, "viewer").get(ScheduleIT.path(ws, free) + "/tasks").then().statusCode(200)
                .extract().path("task_id");
        for (String task : tasks.subList(1, tasks.size())) {
            as(ws, "editor").delete(ScheduleIT.path(ws, free) + "/tasks/" + task).then().statusCode(204);
        }
        as(ws, "operator").post(ScheduleIT.path(ws, free) + "/runs").then().statusCode(202);
    }

    @Test
    void aRecordKafkaRefusesMovesToTheDeadLetterTableItsRunFailsAndTheRelayGoesOn() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "plain", null);
        UUID refusedRun = UUID.randomUUID();
        // A launch command larger than the producer's max.request.size (1 MiB), written as the launch path
        // would write a dispatched run: Kafka refuses it on every try.
        LaunchCommand huge = LaunchCommand.builder().run(refusedRun.toString(), 1, ws)
                .job(job, "plain", "TABLE_TO_TABLE", false)
                .launch("manual", Instant.now(), Instant.now(), Map.of())
                .tasks(List.of(new TaskSpec(UUID.randomUUID().toString(), 0, "select '" + "y".repeat(2 * 1024 * 1024) + "'")))
                .build();
        String payload = EventCodec.encode("/jobplane/job-api", EventTypes.LAUNCH, refusedRun.toString(), huge);
        var pg = TestInfrastructure.shared().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password())) {
            c.setAutoCommit(false);
            try (PreparedStatement run = c.prepareStatement("""
                    insert into api.run (id, workspace, job_id, attempt, trigger, requested_at, requested_by, state,
                                         execution_date, dispatched_at)
                    values (?, ?, ?, 1, 'manual', now(), 'tester', 'DISPATCHED', now(), now())""");
                    PreparedStatement outbox = c.prepareStatement(
                            "insert into api.outbox (topic, message_key, payload) values (?, ?, ?)")) {
                run.setObject(1, refusedRun);
                run.setString(2, ws);
                run.setObject(3, UUID.fromString(job));
                run.executeUpdate();
                outbox.setString(1, Topics.COMMANDS);
                outbox.setString(2, refusedRun.toString());
                outbox.setString(3, payload);
                outbox.executeUpdate();
            }
            c.commit();
        }

        // Launched after the refused record: its command still reaches Kafka.
        String next = as(ws, "operator").post(ScheduleIT.path(ws, job) + "/runs").then().statusCode(202).extract().path("run_id");
        ConsumerRecord<String, String> command = await().atMost(Duration.ofSeconds(60))
                .until(() -> RunLaunchIT.findByKey(Topics.COMMANDS, next), r -> r != null);
        assertEquals(EventTypes.LAUNCH, EventCodec.decode(command.value()).type());

        await().atMost(Duration.ofSeconds(30)).until(() -> RunLaunchIT.count(
                "select count(*) from api.outbox_dead_letter where message_key = '" + refusedRun + "'") == 1);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery("select topic, event_type, payload_bytes, reason, payload = '"
                        + "' as empty from api.outbox_dead_letter where message_key = '" + refusedRun + "'")) {
            assertTrue(rs.next());
            assertEquals(Topics.COMMANDS, rs.getString("topic"));
            assertEquals(EventTypes.LAUNCH, rs.getString("event_type"));
            assertTrue(rs.getLong("payload_bytes") > 2L * 1024 * 1024, "the refused record is kept whole");
            assertTrue(rs.getString("reason").contains("larger than"), rs.getString("reason"));
        }
        assertEquals(0, RunLaunchIT.count("select count(*) from api.outbox where message_key = '" + refusedRun
                + "' and topic = '" + Topics.COMMANDS + "'"), "the refused record is not retried");

        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", ws, refusedRun.toString()).then().statusCode(200)
                .body("status", equalTo("FAILED"));
        assertEquals("LAUNCH_COMMAND_REFUSED", ApiTestSupport.storedValue("select error_code from api.run where id = ?::uuid",
                refusedRun.toString()));
        ConsumerRecord<String, String> end = await().atMost(Duration.ofSeconds(30)).until(
                () -> ApiTestSupport.readAll(Topics.RUN_EVENTS, Duration.ofSeconds(5)).stream()
                        .filter(r -> refusedRun.toString().equals(r.key()) && EventTypes.RUN_FINISHED.equals(EventCodec.type(r.value())))
                        .findFirst().orElse(null), r -> r != null);
        RunFinished finished = EventCodec.decode(end.value()).dataAs(RunFinished.class);
        assertEquals("LAUNCH_COMMAND_REFUSED", finished.errorCode());
        assertNotNull(finished.errorMessage());

        // And the relay keeps going: one more launch after the refusal is relayed as well.
        String third = as(ws, "operator").post(ScheduleIT.path(ws, job) + "/runs").then().statusCode(202).extract().path("run_id");
        await().atMost(Duration.ofSeconds(30)).until(() -> RunLaunchIT.findByKey(Topics.COMMANDS, third), r -> r != null);
    }

    private static String job(String ws, String name, Map<String, Object> schedule) {
        String connection = as(ws, "editor").body(postgresConnection(name + "-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connection, "tasks", List.of(Map.of("query", "select 1"))));
        if (schedule != null) {
            body.put("schedule", schedule);
            body.put("execution", Map.of("max_active_runs", 2));
        }
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }
}
