package io.jobplane.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode. {@code subject} is the run id, which is
 * also the Kafka key, so one run's events stay in order on one partition.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    public CloudEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
    }

    /** A new event with a fresh id, the current time and the payload as its data. */
    public static CloudEvent of(String source, String type, String subject, Object payload) {
        return new CloudEvent(SPEC_VERSION, UUID.randomUUID().toString(), source, type, subject,
                Instant.now(), "application/json", EventCodec.toTree(payload));
    }

    /** The payload read as the given record type. */
    public <T> T dataAs(Class<T> payloadType) {
        return EventCodec.fromTree(data, payloadType);
    }
}
