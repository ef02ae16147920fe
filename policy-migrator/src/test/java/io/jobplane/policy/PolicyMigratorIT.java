package io.jobplane.policy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class PolicyMigratorIT {

    @Inject
    PolicyChangeListener listener;

    @Test
    void isReadyWithKafkaAndTheDatabaseAndOwnsThePolicySchema() throws Exception {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check",
                        "SmallRye Reactive Messaging - readiness check"));
        var pg = TestInfrastructure.shared().postgres();
        List<String> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery(
                        "select table_name from information_schema.tables where table_schema = 'policy' order by 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertEquals(List.of("applied_event", "flyway_schema_history", "grant_generation", "grants", "principal", "run_report",
                "run_report_entry", "staged_grant"), tables);
    }

    @Test
    void unreadableChangesAreDeadLetteredAndGoodOnesCounted() {
        String bootstrap = TestInfrastructure.shared().kafka().bootstrapServers();
        try (TopicRecorder deadLetters = TopicRecorder.record(bootstrap, Topics.DEAD_LETTER)) {
            long before = listener.received();
            String key = "p-" + UUID.randomUUID();
            TopicRecorder.send(bootstrap, Topics.POLICY_CHANGES, key, "garbage");
            TopicRecorder.sendEvent(bootstrap, Topics.POLICY_CHANGES, key,
                    EventCodec.encode(CloudEvent.of("/test", "jobplane.policy.grant-added", key, java.util.Map.of("a", 1))));
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.received() == before + 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.values(key).contains("garbage"));
        }
    }
}
