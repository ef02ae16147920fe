package io.jobplane.api;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.jobplane.stack.DevTokens;
import io.jobplane.stack.TestInfrastructure;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Tokens, requests and a topic reader for job-api tests against the real broker and database. */
final class ApiTestSupport {

    private ApiTestSupport() {
    }

    static String token(String workspace, String role) {
        return DevTokens.mint(TestInfrastructure.shared().keys().privateKey(), "tester",
                Map.of(workspace, role), Duration.ofMinutes(10));
    }

    static RequestSpecification as(String workspace, String role) {
        return given().auth().oauth2(token(workspace, role)).contentType(ContentType.JSON);
    }

    static String uniqueWorkspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A connection to the tenant data server: tenant connections never reach the platform's own database. */
    static Map<String, Object> postgresConnection(String name, String password) {
        var pg = TestInfrastructure.shared().tenant();
        return Map.of("name", name, "type", "postgresql", "jdbc_url", pg.jdbcUrl(), "username", pg.username(),
                "password", password);
    }

    /** Reads every record of a topic from the beginning, with a fresh consumer group. */
    static List<ConsumerRecord<String, String>> readAll(String topic, Duration atMost) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.shared().kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + atMost.toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && emptyPolls < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    emptyPolls++;
                }
                records.forEach(out::add);
            }
        }
        return out;
    }

    /** The one text value {@code sql} selects for {@code id}, read straight from the database. */
    static String storedValue(String sql, String id) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var st = c.prepareStatement(sql)) {
            st.setString(1, id);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row for " + id);
                }
                return rs.getString(1);
            }
        }
    }
}
