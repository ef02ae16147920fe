package io.jobplane.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The Kafka record metadata of what jobplane sends: a CloudEvent record (structured mode, so the
 * {@code content-type} header says {@value CloudEvent#CONTENT_TYPE}) and a dead letter.
 */
public final class EventRecords {

    /** The header naming a structured-mode CloudEvent's media type. */
    public static final String CONTENT_TYPE_HEADER = "content-type";

    private EventRecords() {
    }

    /** {@code content-type: application/cloudevents+json}, for producers that build their own records. */
    public static Header contentType() {
        return new RecordHeader(CONTENT_TYPE_HEADER, CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    }

    /** A CloudEvent record for the channel's own topic, keyed (the run id, mostly). */
    public static OutgoingKafkaRecordMetadata<String> cloudEvent(String key) {
        return cloudEvent(null, key);
    }

    /** A CloudEvent record for {@code topic} (null: the channel's own), keyed. */
    public static OutgoingKafkaRecordMetadata<String> cloudEvent(String topic, String key) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(contentType());
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata = OutgoingKafkaRecordMetadata
                .<String>builder().withKey(key).withHeaders(headers);
        return (topic == null ? metadata : metadata.withTopic(topic)).build();
    }

    /**
     * A dead letter of {@code record}: its key and headers as received (a CloudEvent keeps its
     * content-type), and the {@link DeadLetterHeaders} saying why and where it came from.
     */
    public static OutgoingKafkaRecordMetadata<String> deadLetter(ConsumerRecord<String, String> record, Throwable why) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.of(record.topic(), record.partition(), record.offset(), why)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build();
    }
}
