package io.jobplane.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;

/** Sends commands to the worker under test over the real broker and reads back the run events it emits. */
final class WorkerRuns implements AutoCloseable {

    private final TopicRecorder runEvents = TopicRecorder.record(TestInfrastructure.shared().kafka().bootstrapServers(),
            Topics.RUN_EVENTS);

    TopicRecorder recorder() {
        return runEvents;
    }

    @Override
    public void close() {
        runEvents.close();
    }

    static void send(String type, String runId, Object payload) {
        send(Topics.COMMANDS, type, runId, payload);
    }

    static void send(String topic, String type, String runId, Object payload) {
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), topic, runId,
                EventCodec.encode(CloudEvent.of("/test", type, runId, payload)));
    }

    static SecretKeyring keyring() {
        return new SecretKeyring(TestInfrastructure.SECRET_KEY_ID,
                Map.of(TestInfrastructure.SECRET_KEY_ID, TestInfrastructure.secretKeyBase64()));
    }

    /**
     * The first row (of the first statement that returns rows) of SQL run on a database of the test
     * PostgreSQL, its columns joined with '/'.
     */
    static String firstRow(String database, String sql) throws SQLException {
        var pg = TestInfrastructure.shared().tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), pg.username(), pg.password());
                Statement st = c.createStatement()) {
            st.execute(sql);
            while (st.getResultSet() == null && (st.getMoreResults() || st.getUpdateCount() != -1)) {
                // skip to the statement that returns rows
            }
            try (ResultSet rs = st.getResultSet()) {
                assertTrue(rs.next(), "a row from: " + sql);
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                }
                return String.join("/", values);
            }
        }
    }

    RunFinished awaitFinished(String runId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> typesOf(runId).contains(EventTypes.RUN_FINISHED));
        return eventsOf(runId).stream().filter(e -> e.type().equals(EventTypes.RUN_FINISHED)).findFirst().orElseThrow()
                .dataAs(RunFinished.class);
    }

    List<CloudEvent> eventsOf(String runId) {
        return runEvents.values(runId).stream().map(EventCodec::decode).toList();
    }

    /** The run's lifecycle events, without heartbeats, log lines and progress. */
    List<String> typesOf(String runId) {
        return eventsOf(runId).stream().map(CloudEvent::type)
                .filter(t -> !t.equals(EventTypes.RUN_HEARTBEAT) && !t.equals(EventTypes.RUN_LOG)
                        && !t.equals(EventTypes.TASK_PROGRESS))
                .toList();
    }

    List<RunLog> logOf(String runId) {
        return eventsOf(runId).stream().filter(e -> e.type().equals(EventTypes.RUN_LOG)).map(e -> e.dataAs(RunLog.class))
                .toList();
    }

    List<TaskFinished> tasksOf(String runId) {
        return eventsOf(runId).stream().filter(e -> e.type().equals(EventTypes.TASK_FINISHED))
                .map(e -> e.dataAs(TaskFinished.class)).toList();
    }
}
