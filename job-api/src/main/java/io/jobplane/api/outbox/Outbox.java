package io.jobplane.api.outbox;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.TraceContext;
import io.jobplane.events.trace.Traces;
import io.smallrye.mutiny.Uni;

/**
 * Appends events to the outbox inside the caller's transaction. Nothing here talks to Kafka:
 * {@link OutboxRelay} does, after the transaction has committed. A row keeps the trace context of
 * the span that wrote it (the request's), which the relay continues.
 */
@ApplicationScoped
public class Outbox {

    /** The CloudEvents {@code source} of every event and command job-api writes. */
    public static final String SOURCE = "/jobplane/job-api";

    private final OutboxRelay relay;

    public Outbox(OutboxRelay relay) {
        this.relay = relay;
    }

    /** Must run inside a transaction; the record becomes visible to the relay when it commits. */
    public Uni<Void> append(String topic, CloudEvent event) {
        return appendEncoded(topic, event.subject(), EventCodec.encode(event));
    }

    /** {@link #append} of an event already written as JSON text, keyed by {@code key}. */
    public Uni<Void> appendEncoded(String topic, String key, String payload) {
        OutboxEntity row = new OutboxEntity();
        row.topic = topic;
        row.messageKey = key;
        row.payload = payload;
        row.createdAt = Instant.now();
        TraceContext trace = Traces.current();
        if (trace != null) {
            row.traceparent = trace.traceparent();
            row.tracestate = trace.tracestate();
        }
        return row.persist().replaceWithVoid();
    }

    /** Tells the relay new rows have committed, so they go out now rather than at the next poll. */
    public void committed() {
        relay.nudge();
    }
}
