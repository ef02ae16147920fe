package io.jobplane.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jobplane.events.EventRecords;

/**
 * Test helper: records every record of a topic, from the beginning, on a background thread, so
 * a test can await a condition on what arrived instead of sleeping. Also sends records.
 */
public final class TopicRecorder implements AutoCloseable {

    private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    private final Thread poller;

    private TopicRecorder(KafkaAccess kafka, String topic) {
        Properties p = kafka.adminProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "recorder-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        poller = new Thread(() -> {
            try (consumer) {
                while (running.get()) {
                    var batch = consumer.poll(Duration.ofMillis(100));
                    batch.forEach(records::add);
                    if (batch.isEmpty() && !consumer.assignment().isEmpty() && !caughtUp.get()) {
                        var ends = consumer.endOffsets(consumer.assignment());
                        caughtUp.set(ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()));
                    }
                }
            }
        }, "topic-recorder-" + topic);
        poller.setDaemon(true);
        poller.start();
    }

    /** Starts recording {@code topic} of the broker at {@code bootstrapServers}. */
    public static TopicRecorder record(String bootstrapServers, String topic) {
        return new TopicRecorder(KafkaAccess.plaintext(bootstrapServers), topic);
    }

    /** Starts recording {@code topic}, logged in as the broker's admin when it is secured. */
    public static TopicRecorder record(KafkaAccess kafka, String topic) {
        return new TopicRecorder(kafka, topic);
    }

    /** True once the recorder has read everything the topic held when it started (and then some). */
    public boolean caughtUp() {
        return caughtUp.get();
    }

    /** Everything recorded so far, in arrival order. */
    public List<ConsumerRecord<String, String>> records() {
        return new ArrayList<>(records);
    }

    /** The values of the records with this key, in arrival order. */
    public List<String> values(String key) {
        return records.stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    public List<ConsumerRecord<String, String>> matching(Predicate<ConsumerRecord<String, String>> filter) {
        return records.stream().filter(filter).toList();
    }

    /** Sends one structured-mode CloudEvent the way jobplane's producers do, with its content-type header. */
    public static void sendEvent(String bootstrapServers, String topic, String key, String cloudEventJson) {
        send(KafkaAccess.plaintext(bootstrapServers), topic, key, cloudEventJson, true);
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    public static void send(String bootstrapServers, String topic, String key, String value) {
        send(KafkaAccess.plaintext(bootstrapServers), topic, key, value, false);
    }

    /** Sends one record as the broker's admin (when it is secured) and waits for the acknowledgement. */
    public static void send(KafkaAccess kafka, String topic, String key, String value) {
        send(kafka, topic, key, value, false);
    }

    /**
     * Sends structured-mode CloudEvents ({@code key → JSON}, with their content-type header) logged in as {@code user}
     * ({@link KafkaAccess#clientConfig}), in order through one idempotent producer, and waits for every
     * acknowledgement: a stream of changes as a worker sends it.
     */
    public static void sendEvents(KafkaAccess kafka, String user, String topic, List<Map.Entry<String, String>> events) {
        Properties p = new Properties();
        p.putAll(kafka.clientConfig(user));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (Map.Entry<String, String> event : events) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.getKey(), event.getValue());
                record.headers().add(EventRecords.contentType());
                acks.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new StackException("cannot send to " + topic + ": " + e.getMessage(), e);
        }
    }

    private static void send(KafkaAccess kafka, String topic, String key, String value, boolean cloudEvent) {
        Properties p = kafka.adminProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            if (cloudEvent) {
                record.headers().add(EventRecords.contentType());
            }
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException("cannot send to " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
