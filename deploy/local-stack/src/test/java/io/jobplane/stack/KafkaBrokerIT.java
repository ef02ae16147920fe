package io.jobplane.stack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

    @TempDir
    Path dir;

    @Test
    void aRealBrokerDeliversRecordsAndKeepsThemAcrossARestart() {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), Ports.free(), Ports.free(),
                dir.resolve("kafka.log"))) {
            assertTrue(broker.isAlive());
            TopicRecorder.send(broker.bootstrapServers(), "jobplane.commands", "k1", "before-restart");
            try (TopicRecorder recorder = TopicRecorder.record(broker.bootstrapServers(), "jobplane.commands")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> recorder.values("k1").contains("before-restart"));
            }
            long firstPid = broker.pid();

            broker.restart();

            assertTrue(broker.isAlive());
            assertFalse(firstPid == broker.pid(), "a restart runs a new broker process");
            try (TopicRecorder recorder = TopicRecorder.record(broker.bootstrapServers(), "jobplane.commands")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> recorder.values("k1").contains("before-restart"));
                assertEquals(List.of("before-restart"), recorder.values("k1"));
            }

            broker.kill();

            assertFalse(broker.isAlive(), "kill() ends the broker at once");
            assertFalse(Ports.listening(Integer.parseInt(broker.bootstrapServers().split(":")[1])));
        }
    }
}
