package io.jobplane.harvester;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * metadata-harvester recovers from a crash of the platform's PostgreSQL: after an immediate-mode
 * restart its readiness is UP again within 10 s of the database accepting connections, and a run
 * event published then reaches the read model.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class PlatformDatabaseRestartIT {

    private static final Duration RECOVERY = Duration.ofSeconds(10);

    @Test
    void readyWithinTenSecondsOfTheDatabaseComingBackAndEventsReachTheReadModel() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(PlatformDatabaseRestartIT::ready);

        TestInfrastructure.shared().postgres().restartImmediately();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(PlatformDatabaseRestartIT::ready);
        long millis = (System.nanoTime() - back) / 1_000_000;
        System.out.printf("metadata-harvester ready %d ms after the platform database accepted connections again%n", millis);
        assertTrue(millis <= RECOVERY.toMillis(), "ready " + millis + " ms after the database came back, more than " + RECOVERY);

        String runId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, runId,
                EventCodec.encode(CloudEvent.of("/test", EventTypes.RUN_QUEUED, runId, new RunQueued(runId, 1, "ws", "job-1",
                        "after-restart", "manual", List.of(new RunQueued.TaskRef("task-a", 0)), now, now))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals("QUEUED", status(runId)));
    }

    private static boolean ready() {
        return given().get("/q/health/ready").statusCode() == 200;
    }

    private static String status(String runId) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var st = c.prepareStatement("select status from runs.run where run_id = ?")) {
            st.setString(1, runId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
