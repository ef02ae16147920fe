package io.jobplane.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode. {@code subject} is the run id, which is
 * also the Kafka key, so one run's events stay in order on one partition. {@code traceparent} and
 * {@code tracestate} are the CloudEvents Distributed Tracing extension's attributes (optional): the
 * W3C trace context of the span that sent the event; read them through {@link #trace()}, which
 * ignores a malformed one.
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
        JsonNode data,
        @JsonDeserialize(using = EventCodec.LenientText.class) String traceparent,
        @JsonDeserialize(using = EventCodec.LenientText.class) String tracestate) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    public CloudEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
    }

    /** An event without trace context. */
    public CloudEvent(String specversion, String id, String source, String type, String subject, Instant time,
            String datacontenttype, JsonNode data) {
        this(specversion, id, source, type, subject, time, datacontenttype, data, null, null);
    }

    /** A new event with a fresh id, the current time and the payload as its data. */
    public static CloudEvent of(String source, String type, String subject, Object payload) {
        return new CloudEvent(SPEC_VERSION, UUID.randomUUID().toString(), source, type, subject,
                Instant.now(), "application/json", EventCodec.toTree(payload));
    }

    /** The same event carrying {@code trace} (null: none). */
    public CloudEvent withTrace(TraceContext trace) {
        return new CloudEvent(specversion, id, source, type, subject, time, datacontenttype, data,
                trace == null ? null : trace.traceparent(), trace == null ? null : trace.tracestate());
    }

    /** The trace context the event carries, or null when it carries none or a malformed one. */
    public TraceContext trace() {
        return TraceContext.of(traceparent, tracestate);
    }

    /** The payload read as the given record type. */
    public <T> T dataAs(Class<T> payloadType) {
        return EventCodec.fromTree(data, payloadType);
    }
}
