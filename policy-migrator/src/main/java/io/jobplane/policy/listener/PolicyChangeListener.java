package io.jobplane.policy.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.jobplane.events.consume.ApplyLag;
import io.jobplane.events.consume.EventConsumer;
import io.jobplane.events.consume.EventRoutes;
import io.jobplane.events.consume.KafkaDeadLetters;
import io.jobplane.events.trace.Traces;
import io.jobplane.policy.readmodel.PolicyEvent;
import io.jobplane.policy.readmodel.PolicyReadModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Applies {@code jobplane.policy-changes} to the grants read model a poll at a time, in one transaction
 * per batch and in the order of the partition, through job-events' {@link EventConsumer}: a record that
 * cannot be read, or whose change is malformed, goes to the dead-letter topic; when the batch's
 * transaction fails because of one event's data, the batch is applied again event by event, so only that
 * event is dead-lettered; a database outage is retried with backoff. Types that are not policy changes are
 * ignored; policy event types this version does not know are counted and ignored.
 */
@ApplicationScoped
public class PolicyChangeListener {

    /** The span of applying events, a child of the span that sent them (docs/tracing.md). */
    static final String SPAN = "apply policy changes";

    private static final EventRoutes<PolicyEvent> ROUTES = EventRoutes.<PolicyEvent>create().otherwise(PolicyEvent::read);

    private final AtomicLong received = new AtomicLong();
    private final Pool pool;
    private final PolicyReadModel readModel;
    private final EventConsumer<PolicyEvent> changes;
    private final ApplyLag lag;

    public PolicyChangeListener(Pool pool, PolicyReadModel readModel, @Channel("dead-letter") MutinyEmitter<String> deadLetters,
            MeterRegistry registry, Tracer tracer) {
        this.pool = pool;
        this.lag = ApplyLag.of(registry, "grants");
        this.readModel = readModel;
        this.changes = EventConsumer.deadLettering("grants read model", ROUTES, new KafkaDeadLetters(deadLetters))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .within(Traces.consumerSpans(tracer, SPAN));
    }

    @Incoming("policy-changes")
    public Uni<Void> onChanges(ConsumerRecords<String, String> records) {
        return changes.consume(records, this::apply).invoke(() -> lag.applied(records));
    }

    private Uni<Void> apply(List<PolicyEvent> events) {
        return pool.withTransaction(connection -> readModel.apply(connection, events))
                .invoke(() -> received.addAndGet(events.size()));
    }

    /** Valid policy changes (of any policy type) applied since start; a batch applied twice counts twice. */
    public long received() {
        return received.get();
    }
}
