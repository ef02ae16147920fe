package io.jobplane.api.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One record of {@code jobplane.run-events} as a stream sends it: the CloudEvent exactly as it is on
 * Kafka (the SSE {@code data}), named by its {@code type} (the SSE {@code event}), and the workspace
 * that may see it. Run events carry no secret (docs/events.md); commands, which do, are on another topic.
 */
record StreamEvent(int partition, long offset, String type, String workspace, String cloudEvent) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The record as a stream event, or null when it is no run or task event of a workspace. */
    static StreamEvent read(ConsumerRecord<String, String> record) {
        String value = record.value();
        if (value == null || value.isEmpty()) {
            return null;
        }
        JsonNode event;
        try {
            event = JSON.readTree(value);
        } catch (Exception e) {
            return null;
        }
        if (event == null || !event.isObject()) {
            return null;
        }
        String type = event.path("type").asText("");
        String workspace = event.path("data").path("workspace").asText("");
        if (!(type.startsWith("jobplane.run.") || type.startsWith("jobplane.task.")) || workspace.isEmpty()
                || !type.matches("[a-z0-9._-]{1,100}")) {
            return null;
        }
        return new StreamEvent(record.partition(), record.offset(), type, workspace, value);
    }

    /** About what the event holds in memory while it waits for a client (a Java string: two bytes a character). */
    long bytes() {
        return 2L * cloudEvent.length() + 64;
    }
}
