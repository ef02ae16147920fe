package io.jobplane.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

class EventRecordsTest {

    @Test
    void aCloudEventRecordIsKeyedAndSaysItsContentType() {
        OutgoingKafkaRecordMetadata<String> metadata = EventRecords.cloudEvent("run-1");
        assertEquals("run-1", metadata.getKey());
        assertNull(metadata.getTopic(), "the channel's own topic");
        assertEquals(Map.of("content-type", "application/cloudevents+json"), headers(metadata.getHeaders()));

        OutgoingKafkaRecordMetadata<String> elsewhere = EventRecords.cloudEvent(Topics.CONTROL, "run-2");
        assertEquals(Topics.CONTROL, elsewhere.getTopic());
        assertEquals("run-2", elsewhere.getKey());
        assertEquals(Map.of("content-type", "application/cloudevents+json"), headers(elsewhere.getHeaders()));
    }

    @Test
    void aDeadLetterKeepsTheKeyAndHeadersAndSaysWhyAndWhereFrom() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.RUN_EVENTS, 3, 42L, "run-1", "{not json");
        record.headers().add(EventRecords.contentType());
        OutgoingKafkaRecordMetadata<String> metadata = EventRecords.deadLetter(record,
                new MalformedEventException("not a CloudEvent"));

        assertEquals("run-1", metadata.getKey());
        assertNull(metadata.getTopic(), "the dead-letter channel's topic");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("content-type", "application/cloudevents+json");
        expected.put("dead-letter-reason", "not a CloudEvent");
        expected.put("dead-letter-topic", Topics.RUN_EVENTS);
        expected.put("dead-letter-partition", "3");
        expected.put("dead-letter-offset", "42");
        assertEquals(expected, headers(metadata.getHeaders()));
    }

    private static Map<String, String> headers(Headers headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Header h : headers) {
            out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
