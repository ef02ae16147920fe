package io.jobplane.policy.listener;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;

/**
 * Reads {@code jobplane.policy-changes}. Permission-migration jobs that publish there come in a
 * later version; until then this consumer validates what arrives (unreadable records go to the
 * dead-letter topic) so the topic, the group and the health checks are in place.
 */
@ApplicationScoped
public class PolicyChangeListener {

    private static final Logger LOG = Logger.getLogger(PolicyChangeListener.class);
    private final AtomicLong received = new AtomicLong();

    @Incoming("policy-changes")
    public void onChange(String value) {
        CloudEvent event = EventCodec.decode(value);
        long n = received.incrementAndGet();
        LOG.debugf("policy change %s of type %s received (%d so far); materialisation is not implemented yet",
                event.id(), event.type(), n);
    }

    /** Valid policy changes received since start. */
    public long received() {
        return received.get();
    }
}
