package io.jobplane.policy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.Topics;
import io.jobplane.policy.listener.PolicyChangeListener;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * policy-migrator recovers from a crash of the platform's PostgreSQL: after an immediate-mode
 * restart its readiness is UP again within 10 s of the database accepting connections, its own
 * pool answers queries and policy changes are still consumed.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class PlatformDatabaseRestartIT {

    private static final Duration RECOVERY = Duration.ofSeconds(10);

    @Inject
    Pool pool;
    @Inject
    PolicyChangeListener listener;

    @Test
    void readyWithinTenSecondsOfTheDatabaseComingBackAndStillAtWork() {
        await().atMost(Duration.ofSeconds(60)).until(PlatformDatabaseRestartIT::ready);

        TestInfrastructure.shared().postgres().restartImmediately();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(PlatformDatabaseRestartIT::ready);
        long millis = (System.nanoTime() - back) / 1_000_000;
        System.out.printf("policy-migrator ready %d ms after the platform database accepted connections again%n", millis);
        assertTrue(millis <= RECOVERY.toMillis(), "ready " + millis + " ms after the database came back, more than " + RECOVERY);

        long tables = pool.query("select count(*) from information_schema.tables where table_schema = 'policy'").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertTrue(tables > 0, "the service's own pool reads its schema");
        long before = listener.received();
        String key = "p-" + UUID.randomUUID();
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.POLICY_CHANGES, key,
                EventCodec.encode(CloudEvent.of("/test", "jobplane.policy.grant-added", key, Map.of("a", 1))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(before + 1, listener.received()));
    }

    private static boolean ready() {
        return given().get("/q/health/ready").statusCode() == 200;
    }
}
