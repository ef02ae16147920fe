package io.jobplane.stack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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

    @Test
    void aSecuredBrokerRefusesStrangersAndLetsEachServiceDoOnlyWhatItsAclsSay() throws Exception {
        try (KafkaBroker broker = KafkaBroker.startSecured(dir.resolve("kafka"), Ports.free(), Ports.free(),
                dir.resolve("kafka.log"), false, dir.resolve("keys"))) {
            KafkaAccess access = broker.access();

            // No login: the SASL listener does not talk to a PLAINTEXT client at all.
            Properties anonymous = new Properties();
            anonymous.put("bootstrap.servers", broker.bootstrapServers());
            anonymous.put("default.api.timeout.ms", "4000");
            anonymous.put("request.timeout.ms", "2000");
            try (Admin admin = Admin.create(anonymous)) {
                assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(10, TimeUnit.SECONDS));
            }
            // A wrong password: refused by the broker, which says so.
            Properties forged = props(access, KafkaAcls.API);
            forged.put("sasl.jaas.config", KafkaAccess.jaas("org.apache.kafka.common.security.scram.ScramLoginModule",
                    KafkaAcls.API, "not-the-password"));
            ExecutionException badLogin = assertThrows(ExecutionException.class, () -> send(forged, "jobplane.commands"));
            assertInstanceOf(SaslAuthenticationException.class, badLogin.getCause());

            // job-api may write commands; a worker's login may not (it only reads them).
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> send(props(access, KafkaAcls.API), "jobplane.commands") >= 0);
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> send(props(access, KafkaAcls.WORKER), "jobplane.commands"));
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
            // Nor may the harvester end runs by writing run events.
            assertInstanceOf(TopicAuthorizationException.class, assertThrows(ExecutionException.class,
                    () -> send(props(access, KafkaAcls.HARVESTER), "jobplane.run-events")).getCause());

            // The worker reads the command in its consumer group, and writes run events.
            Properties worker = props(access, KafkaAcls.WORKER);
            worker.put(ConsumerConfig.GROUP_ID_CONFIG, "jobplane-worker");
            worker.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            worker.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            worker.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(worker)) {
                consumer.subscribe(List.of("jobplane.commands"));
                List<String> seen = new java.util.ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                    return seen.contains("hello");
                });
            }
            assertTrue(send(props(access, KafkaAcls.WORKER), "jobplane.run-events") >= 0);
            // Permission migration runs send policy changes; policy-migrator only reads them.
            assertTrue(send(props(access, KafkaAcls.WORKER), "jobplane.policy-changes") >= 0);
            assertInstanceOf(TopicAuthorizationException.class, assertThrows(ExecutionException.class,
                    () -> send(props(access, KafkaAcls.POLICY), "jobplane.policy-changes")).getCause());
            // job-api's outbox relays run events of its own (queued, cancelling, stopped).
            assertTrue(send(props(access, KafkaAcls.API), "jobplane.run-events") >= 0);

            // The admin's password lives in owner-only files only.
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir.resolve("kafka/server.properties"))));

            // A restart keeps users and ACLs working.
            broker.restart();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> send(props(access, KafkaAcls.API), "jobplane.control") >= 0);
        }
    }

    @Test
    void aPlaintextBrokerOfAnEarlierVersionIsSecuredInPlaceAndKeepsItsRecords() throws Exception {
        int port = Ports.free();
        int controllerPort = Ports.free();
        try (KafkaBroker old = KafkaBroker.start(dir.resolve("kafka"), port, controllerPort, dir.resolve("kafka.log"))) {
            TopicRecorder.send(old.bootstrapServers(), "jobplane.commands", "k1", "before-securing");
        }
        try (KafkaBroker broker = KafkaBroker.startSecured(dir.resolve("kafka"), port, controllerPort,
                dir.resolve("kafka.log"), false, dir.resolve("keys"))) {
            try (TopicRecorder recorder = TopicRecorder.record(broker.access(), "jobplane.commands")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> recorder.values("k1").contains("before-securing"));
            }
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> send(props(broker.access(), KafkaAcls.API), "jobplane.commands") >= 0);
            assertInstanceOf(TopicAuthorizationException.class, assertThrows(ExecutionException.class,
                    () -> send(props(broker.access(), KafkaAcls.POLICY), "jobplane.commands")).getCause());
        }
    }

    private static Properties props(KafkaAccess access, String user) {
        Properties p = new Properties();
        p.putAll(access.clientConfig(user));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /** Sends "hello" and returns its offset; the future's failure tells why a send was refused. */
    private static long send(Properties p, String topic) throws Exception {
        Properties producer = new Properties();
        p.forEach((k, v) -> {
            if (!String.valueOf(k).startsWith("key.deserializer") && !String.valueOf(k).startsWith("value.deserializer")
                    && !String.valueOf(k).equals("group.id") && !String.valueOf(k).equals("auto.offset.reset")) {
                producer.put(k, v);
            }
        });
        try (KafkaProducer<String, String> kp = new KafkaProducer<>(producer)) {
            return kp.send(new ProducerRecord<>(topic, "k", "hello")).get(20, TimeUnit.SECONDS).offset();
        }
    }
}
