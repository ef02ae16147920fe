package io.jobplane.harvester;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.RunCancelling;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskProgress;
import io.jobplane.events.payload.TaskStarted;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.harvester.readmodel.RunReadModel;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class RunReadModelIT {

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;
    @jakarta.inject.Inject
    RunReadModel readModel;

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static TopicRecorder deadLetters;

    @BeforeAll
    static void record() {
        deadLetters = TopicRecorder.record(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.DEAD_LETTER);
    }

    @AfterAll
    static void stop() {
        deadLetters.close();
    }

    @Test
    void duplicatedAndReorderedEventsGiveTheSameRowsAsOrderedOnes() throws Exception {
        String ordered = UUID.randomUUID().toString();
        String shuffled = UUID.randomUUID().toString();
        lifecycle(ordered).forEach(e -> publish(ordered, e));
        List<Object> mixed = new ArrayList<>(lifecycle(shuffled));
        mixed.addAll(lifecycle(shuffled).subList(0, 3));
        Collections.shuffle(mixed, new Random(42));
        mixed.forEach(e -> publish(shuffled, e));

        String expected = "FAILED|1|2026-11-20T10:00:00Z|2026-11-20T10:00:01Z|2026-11-20T10:00:05Z|w1|task 1 failed: boom"
                + "|task-a:0:SUCCESS:7:null:7/70|task-b:1:FAILED:null:boom|task-c:2:SKIPPED:null:null";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(expected, snapshot(ordered)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(expected, snapshot(shuffled)));
    }

    @Test
    void oneBatchHoldingAShuffledLifecycleTwiceGivesTheRowsOfTheOrderedOne() throws Exception {
        // Written straight through the read model, so the whole lifecycle, duplicated and shuffled,
        // is one batch: each run and task row then takes several rounds of multi-row upserts.
        String runId = UUID.randomUUID().toString();
        List<Object> mixed = new ArrayList<>(lifecycle(runId));
        mixed.addAll(lifecycle(runId));
        mixed.add(new RunLog(runId, 1, "ws", "task-b", 1, 1, "ERROR", "boom", false, T0.plusSeconds(3)));
        mixed.add(new RunLog(runId, 1, "ws", "task-b", 1, 1, "ERROR", "boom", false, T0.plusSeconds(3)));
        Collections.shuffle(mixed, new Random(7));
        RunReadModel.Changes changes = new RunReadModel.Changes();
        mixed.forEach(e -> add(changes, e));
        pool.withTransaction(c -> readModel.apply(c, changes)).await().atMost(Duration.ofSeconds(10));

        assertEquals("FAILED|1|2026-11-20T10:00:00Z|2026-11-20T10:00:01Z|2026-11-20T10:00:05Z|w1|task 1 failed: boom"
                + "|task-a:0:SUCCESS:7:null:7/70|task-b:1:FAILED:null:boom|task-c:2:SKIPPED:null:null", snapshot(runId));
        assertEquals(1L, pool.preparedQuery("select count(*) from runs.run_log where run_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(runId)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0), "a log line delivered twice is kept once");
    }

    private static void add(RunReadModel.Changes changes, Object payload) {
        if (payload instanceof RunQueued e) {
            changes.queued(e);
        } else if (payload instanceof RunStarted e) {
            changes.started(e);
        } else if (payload instanceof RunCancelling e) {
            changes.cancelling(e);
        } else if (payload instanceof RunFinished e) {
            changes.finished(e);
        } else if (payload instanceof TaskStarted e) {
            changes.taskStarted(e);
        } else if (payload instanceof TaskFinished e) {
            changes.taskFinished(e);
        } else if (payload instanceof TaskProgress e) {
            changes.taskProgress(e);
        } else {
            changes.log((RunLog) payload);
        }
    }

    @Test
    void anOlderAttemptArrivingLateChangesNothingOfTheNewerOne() throws Exception {
        String runId = UUID.randomUUID().toString();
        List<RunQueued.TaskRef> tasks = List.of(new RunQueued.TaskRef("task-a", 0));
        Instant t2 = T0.plusSeconds(60);
        List.of(new RunQueued(runId, 1, "ws", "job-1", "nightly", "manual", tasks, T0, T0),
                new RunStarted(runId, 1, "ws", "job-1", "w1", T0.plusSeconds(1)),
                new TaskStarted(runId, 1, "ws", "task-a", 0, T0.plusSeconds(1)),
                new RunQueued(runId, 2, "ws", "job-1", "nightly", "retry", tasks, t2, T0),
                new RunStarted(runId, 2, "ws", "job-1", "w2", t2.plusSeconds(1)),
                new TaskStarted(runId, 2, "ws", "task-a", 0, t2.plusSeconds(1)),
                new TaskFinished(runId, 2, "ws", "task-a", 0, TaskStatus.SUCCESS, 3L, null, t2.plusSeconds(2)),
                new RunFinished(runId, 2, "ws", "job-1", RunStatus.SUCCESS, null, t2.plusSeconds(3), null, "w2"),
                // The first attempt's worker reports late, after the retry has ended.
                new TaskFinished(runId, 1, "ws", "task-a", 0, TaskStatus.FAILED, 9L, "boom", T0.plusSeconds(5)),
                new RunFinished(runId, 1, "ws", "job-1", RunStatus.FAILED, "task 0 failed: boom", T0.plusSeconds(6), "TASK_FAILED", "w1"),
                // A run's events share a partition and are applied in order: once this one shows, all have been.
                new TaskFinished(runId, 2, "ws", "sentinel", 1, TaskStatus.SKIPPED, null, null, null))
                .forEach(e -> publish(runId, e));

        await().atMost(Duration.ofSeconds(30)).until(() -> snapshot(runId).contains("sentinel"));
        assertEquals("SUCCESS|2|2026-11-20T10:00:00Z|2026-11-20T10:01:01Z|2026-11-20T10:01:03Z|w2|null"
                + "|task-a:0:SUCCESS:3:null|sentinel:1:SKIPPED:null:null", snapshot(runId));
    }

    @Test
    void poisonEventsAreDeadLetteredAndTheNextOneIsApplied() throws Exception {
        String bootstrap = TestInfrastructure.shared().kafka().bootstrapServers();
        String unreadable = "poison-" + UUID.randomUUID();
        String incomplete = "poison-" + UUID.randomUUID();
        TopicRecorder.send(bootstrap, Topics.RUN_EVENTS, unreadable, "{not json");
        TopicRecorder.send(bootstrap, Topics.RUN_EVENTS, incomplete,
                "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/t\",\"type\":\"jobplane.run.finished\",\"data\":{\"run_id\":null}}");
        String runId = UUID.randomUUID().toString();
        publish(runId, new RunQueued(runId, 1, "ws", "job", "job", "manual", List.of(), T0, T0));

        await().atMost(Duration.ofSeconds(30)).until(() -> snapshot(runId).startsWith("QUEUED|"));
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.values(unreadable).contains("{not json"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters.values(incomplete).isEmpty());
    }

    @Test
    void aCancelledRunShowsWhoCancelledItsCodeItsExecutionDateAndItsLogOnce() throws Exception {
        String runId = UUID.randomUUID().toString();
        Instant executionDate = Instant.parse("2026-11-01T00:00:00Z");
        RunLog line = new RunLog(runId, 1, "ws", "task-a", 0, 1, "INFO", "task 0 started: select pg_sleep(60)", false,
                T0.plusSeconds(1));
        List.of(new RunQueued(runId, 1, "ws", "job-1", "nightly", "manual", List.of(new RunQueued.TaskRef("task-a", 0)),
                        T0, executionDate),
                new RunStarted(runId, 1, "ws", "job-1", "w1", T0.plusSeconds(1)),
                new TaskStarted(runId, 1, "ws", "task-a", 0, T0.plusSeconds(1)),
                line, line,
                new RunCancelling(runId, 1, "ws", "job-1", "alice", T0.plusSeconds(2)),
                new RunLog(runId, 1, "ws", null, null, 2, "ERROR", "run STOPPED: cancelled on request", false, T0.plusSeconds(3)),
                new RunFinished(runId, 1, "ws", "job-1", RunStatus.STOPPED, "cancelled on request", T0.plusSeconds(3),
                        "CANCELLED", "w1"))
                .forEach(e -> publish(runId, e));

        await().atMost(Duration.ofSeconds(30)).until(() -> snapshot(runId).startsWith("STOPPED|"));
        var pg = TestInfrastructure.shared().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var st = c.prepareStatement("select r.error_code, r.cancel_requested_by, r.execution_date, "
                        + "(select string_agg(l.seq || ':' || l.level || ':' || l.message, '|' order by l.seq) "
                        + "from runs.run_log l where l.run_id = r.run_id) from runs.run r where r.run_id = ?")) {
            st.setString(1, runId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                assertEquals("CANCELLED", rs.getString(1));
                assertEquals("alice", rs.getString(2));
                assertEquals(executionDate, rs.getObject(3, java.time.OffsetDateTime.class).toInstant());
                assertEquals("1:INFO:task 0 started: select pg_sleep(60)|2:ERROR:run STOPPED: cancelled on request",
                        rs.getString(4));
            }
        }
        assertEquals("task-a:0:STOPPED:null:null", snapshot(runId).substring(snapshot(runId).indexOf("task-a")),
                "the task running when the run stopped is STOPPED");
    }

    private static List<Object> lifecycle(String runId) {
        Instant t1 = T0.plus(1, ChronoUnit.SECONDS);
        return List.of(
                new RunQueued(runId, 1, "ws", "job-1", "nightly", "manual",
                        List.of(new RunQueued.TaskRef("task-a", 0), new RunQueued.TaskRef("task-b", 1),
                                new RunQueued.TaskRef("task-c", 2)), T0, T0),
                new RunStarted(runId, 1, "ws", "job-1", "w1", t1),
                new TaskStarted(runId, 1, "ws", "task-a", 0, t1),
                new TaskProgress(runId, 1, "ws", "task-a", 0, 3, 30, t1),
                new TaskProgress(runId, 1, "ws", "task-a", 0, 7, 70, t1.plusMillis(500)),
                new TaskFinished(runId, 1, "ws", "task-a", 0, TaskStatus.SUCCESS, 7L, null, t1.plusSeconds(1)),
                new TaskStarted(runId, 1, "ws", "task-b", 1, t1.plusSeconds(1)),
                new TaskFinished(runId, 1, "ws", "task-b", 1, TaskStatus.FAILED, null, "boom", t1.plusSeconds(2)),
                new RunFinished(runId, 1, "ws", "job-1", RunStatus.FAILED, "task 1 failed: boom", T0.plusSeconds(5), "TASK_FAILED", "w1"));
    }

    private static void publish(String runId, Object payload) {
        String type = payload instanceof RunCancelling ? EventTypes.RUN_CANCELLING
                : payload instanceof RunLog ? EventTypes.RUN_LOG
                : payload instanceof RunQueued ? EventTypes.RUN_QUEUED
                : payload instanceof RunStarted ? EventTypes.RUN_STARTED
                : payload instanceof RunFinished ? EventTypes.RUN_FINISHED
                : payload instanceof TaskStarted ? EventTypes.TASK_STARTED
                : payload instanceof TaskProgress ? EventTypes.TASK_PROGRESS
                : EventTypes.TASK_FINISHED;
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, runId,
                EventCodec.encode(CloudEvent.of("/test", type, runId, payload)));
    }

    /** The run and its tasks as one comparable line. */
    private static String snapshot(String runId) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password())) {
            try (var st = c.prepareStatement("select status, attempt, queued_at, started_at, finished_at, worker_id, "
                    + "error_message from runs.run where run_id = ?")) {
                st.setString(1, runId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return "";
                    }
                    out.append(rs.getString(1)).append('|').append(rs.getInt(2)).append('|')
                            .append(instant(rs, 3)).append('|').append(instant(rs, 4)).append('|')
                            .append(instant(rs, 5)).append('|').append(rs.getString(6)).append('|').append(rs.getString(7));
                }
            }
            try (var st = c.prepareStatement("select task_id, task_index, status, rows_affected, error_message, rows_processed, bytes_processed "
                    + "from runs.task_run where run_id = ? order by task_index")) {
                st.setString(1, runId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.append('|').append(rs.getString(1)).append(':').append(rs.getInt(2)).append(':')
                                .append(rs.getString(3)).append(':').append(rs.getObject(4)).append(':')
                                .append(rs.getString(5));
                        if (rs.getObject(6) != null) {
                            out.append(':').append(rs.getLong(6)).append('/').append(rs.getLong(7));
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    private static String instant(ResultSet rs, int column) throws Exception {
        var ts = rs.getObject(column, java.time.OffsetDateTime.class);
        return ts == null ? "null" : ts.toInstant().toString();
    }
}
