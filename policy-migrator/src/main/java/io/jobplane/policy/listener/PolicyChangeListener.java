package io.jobplane.policy.listener;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.consume.EventConsumer;
import io.jobplane.events.consume.EventRoutes;
import io.jobplane.events.consume.KafkaDeadLetters;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Reads {@code jobplane.policy-changes} through job-events' {@link EventConsumer}. Permission-migration
 * jobs that publish there come in a later version; until then this consumer validates what arrives
 * (unreadable records go to the dead-letter topic) and counts the valid changes, so the topic, the
 * group and the health checks are in place.
 */
@ApplicationScoped
public class PolicyChangeListener {

    private static final Logger LOG = Logger.getLogger(PolicyChangeListener.class);
    /** Policy change types are not defined yet: every readable CloudEvent counts. */
    private static final EventRoutes<CloudEvent> ROUTES = EventRoutes.<CloudEvent>create().otherwise(event -> event);

    private final AtomicLong received = new AtomicLong();
    private final EventConsumer<CloudEvent> changes;

    public PolicyChangeListener(@Channel("dead-letter") MutinyEmitter<String> deadLetters) {
        this.changes = EventConsumer.deadLettering("policy changes", ROUTES, new KafkaDeadLetters(deadLetters));
    }

    @Incoming("policy-changes")
    public Uni<Void> onChange(ConsumerRecord<String, String> record) {
        return changes.consume(record, this::count);
    }

    private Uni<Void> count(List<CloudEvent> events) {
        for (CloudEvent event : events) {
            long n = received.incrementAndGet();
            LOG.debugf("policy change %s of type %s received (%d so far); materialisation is not implemented yet",
                    event.id(), event.type(), n);
        }
        return Uni.createFrom().voidItem();
    }

    /** Valid policy changes received since start. */
    public long received() {
        return received.get();
    }
}
