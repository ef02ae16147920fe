package io.jobplane.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every consumer puts on a record it sends to {@code jobplane.dead-letter}: why, and
 * where the record came from (see docs/events.md). Kafka-free, so each service adds them to its own
 * record type.
 */
public final class DeadLetterHeaders {

    private DeadLetterHeaders() {
    }

    public static Map<String, String> of(String topic, int partition, long offset, Throwable why) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("dead-letter-reason", String.valueOf(why.getMessage()));
        headers.put("dead-letter-topic", topic);
        headers.put("dead-letter-partition", Integer.toString(partition));
        headers.put("dead-letter-offset", Long.toString(offset));
        return headers;
    }
}
