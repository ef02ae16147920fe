package io.jobplane.events;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one serde for everything on jobplane topics: structured-mode CloudEvents as JSON text,
 * payload fields in snake_case. Unknown fields are ignored so producers can add fields.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private EventCodec() {
    }

    /** Serialises an envelope to the JSON text carried as the Kafka record value. */
    public static String encode(CloudEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event cannot be serialised: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The text of {@code encode(CloudEvent.of(source, type, subject, payload))}, written in one pass:
     * the payload is not first turned into a tree (for producers that only send, like the worker).
     */
    public static String encode(String source, String type, String subject, Object payload) {
        return encode(source, type, subject, payload, null);
    }

    /** {@link #encode(String, String, String, Object)} of an event carrying {@code trace} (null: none). */
    public static String encode(String source, String type, String subject, Object payload, TraceContext trace) {
        try {
            return MAPPER.writeValueAsString(new Envelope(CloudEvent.SPEC_VERSION, UUID.randomUUID().toString(),
                    Objects.requireNonNull(source, "source"), Objects.requireNonNull(type, "type"), subject, Instant.now(),
                    "application/json", payload, trace == null ? null : trace.traceparent(),
                    trace == null ? null : trace.tracestate()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event cannot be serialised: " + e.getOriginalMessage(), e);
        }
    }

    /** {@link CloudEvent}'s fields, in its order, with the payload as it is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Envelope(String specversion, String id, String source, String type, String subject, Instant time,
            String datacontenttype, Object data, String traceparent, String tracestate) {
    }

    /**
     * The text of an encoded event (one carrying no trace context yet) with {@code trace}'s attributes
     * added, without decoding it: the attributes go first in the envelope object, where a JSON reader
     * finds them like any other. Null {@code trace}: the text as it is.
     */
    public static String withTrace(String json, TraceContext trace) {
        if (trace == null || json == null || !json.startsWith("{")) {
            return json;
        }
        StringBuilder text = new StringBuilder(json.length() + 120).append("{\"traceparent\":\"").append(trace.traceparent())
                .append('"');
        if (trace.tracestate() != null) {
            // Printable ASCII by construction; only the two characters JSON escapes in a string are escaped.
            text.append(",\"tracestate\":\"").append(trace.tracestate().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return text.append(json.length() > 2 && !json.substring(1).isBlank() && json.charAt(1) != '}' ? "," : "")
                .append(json, 1, json.length()).toString();
    }

    /**
     * A string attribute read leniently: any other JSON value (number, object, …) reads as absent, so an
     * optional attribute of the wrong shape never makes the whole event unreadable.
     */
    static final class LenientText extends com.fasterxml.jackson.databind.JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, com.fasterxml.jackson.databind.DeserializationContext context)
                throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            parser.skipChildren();
            return null;
        }
    }

    /**
     * Reads a Kafka record value as an envelope.
     *
     * @throws MalformedEventException when the text is not a CloudEvent of spec version 1.0
     */
    public static CloudEvent decode(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty record value");
        }
        CloudEvent event;
        try {
            event = MAPPER.readValue(json, CloudEvent.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new MalformedEventException("not a CloudEvent: " + rootMessage(e));
        }
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion())) {
            throw new MalformedEventException("unsupported specversion " + event.specversion());
        }
        if (event.data() == null || event.data().isNull()) {
            throw new MalformedEventException("event " + event.id() + " has no data");
        }
        return event;
    }

    /**
     * The envelope's {@code type}, read without decoding the rest (its data in particular), so a
     * consumer can pass over the events it does not follow cheaply; null when the text is not a JSON
     * object with a string type ({@link #decode} says what is wrong with it).
     */
    public static String type(String json) {
        if (json == null) {
            return null;
        }
        try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    static JsonNode toTree(Object payload) {
        return MAPPER.valueToTree(payload);
    }

    static <T> T fromTree(JsonNode data, Class<T> type) {
        try {
            return MAPPER.treeToValue(data, type);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new MalformedEventException("data is not a " + type.getSimpleName() + ": " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        if (e instanceof JsonProcessingException jpe) {
            return jpe.getOriginalMessage();
        }
        return e.getMessage();
    }
}
