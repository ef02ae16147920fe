package io.jobplane.stack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class TestInfrastructureIT {

    @Test
    void oneSharedBrokerAndDatabasePerJvmAreWhatTheQuarkusResourcePointsAt() throws Exception {
        TestInfrastructure infra = TestInfrastructure.shared();
        assertSame(infra, TestInfrastructure.shared());

        Map<String, String> config = new JobplaneTestResource().start();

        assertEquals(infra.kafka().bootstrapServers(), config.get("kafka.bootstrap.servers"));
        assertEquals("test-1", config.get("jobplane.secrets.active-key-id"));
        assertEquals(TestInfrastructure.secretKeyBase64(), config.get("jobplane.secrets.keys.test-1"));
        assertEquals(32, Base64.getDecoder().decode(config.get("jobplane.secrets.keys.test-1")).length);
        assertEquals(infra.keys().publicKeyBase64(), config.get("quarkus.oidc.public-key"));
        assertEquals(infra.postgres().reactiveUrl(), config.get("quarkus.datasource.reactive.url"));
        try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                ResultSet rs = c.createStatement().executeQuery("select current_database()")) {
            assertTrue(rs.next());
            assertEquals("jobplane", rs.getString(1));
        }
        String key = UUID.randomUUID().toString();
        TopicRecorder.send(config.get("kafka.bootstrap.servers"), "jobplane.run-events", key, "hello");
        try (TopicRecorder recorder = TopicRecorder.record(config.get("kafka.bootstrap.servers"), "jobplane.run-events")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.values(key).contains("hello"));
        }
    }

    @Test
    void aRunWhoseTestJvmDiedHasItsLeftoverProcessesStopped() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "reap-test-" + UUID.randomUUID()).toAbsolutePath());
        Path run = Files.createDirectories(root.resolve("abandoned"));
        Files.createDirectories(run.resolve("kafka"));
        // Stand-ins: an owner JVM that is gone, and a "broker" whose command line names the run's kafka folder.
        Process deadOwner = new ProcessBuilder("true").start();
        assertTrue(deadOwner.waitFor(10, TimeUnit.SECONDS));
        Process leftover = sleeperNamed(run.resolve("kafka"));
        Files.writeString(run.resolve("owner.pid"), Long.toString(deadOwner.pid()));
        Files.writeString(run.resolve("kafka.pid"), Long.toString(leftover.pid()));

        TestInfrastructure.reapAbandoned(root);

        assertFalse(leftover.isAlive(), "the abandoned broker is stopped");
        assertFalse(Files.exists(run.resolve("kafka")), "its data is removed");
        assertFalse(Files.exists(run.resolve("owner.pid")));
    }

    @Test
    void aRunWhoseTestJvmStillRunsIsLeftAlone() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "reap-test-" + UUID.randomUUID()).toAbsolutePath());
        Path run = Files.createDirectories(root.resolve("live"));
        Files.createDirectories(run.resolve("kafka"));
        Process broker = sleeperNamed(run.resolve("kafka"));
        try {
            Files.writeString(run.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
            Files.writeString(run.resolve("kafka.pid"), Long.toString(broker.pid()));

            TestInfrastructure.reapAbandoned(root);

            assertTrue(broker.isAlive(), "another JVM's running infrastructure is not ours to stop");
            assertTrue(Files.exists(run.resolve("kafka")));
        } finally {
            broker.destroyForcibly();
        }
    }

    /** A long sleep whose command line names {@code folder}, as a broker's names its data folder. */
    private static Process sleeperNamed(Path folder) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "exec -a \"sleep $0\" sleep 300", folder.toString()).start();
        assertTrue(p.isAlive());
        // Until the child has exec'd, /proc shows the forking JVM's command line, not the folder.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Processes.commandLine(p.toHandle()).map(c -> c.contains(folder.toString())).orElse(false));
        return p;
    }
}
