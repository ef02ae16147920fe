package io.jobplane.worker.listener;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jobplane.events.EventCodec;
import io.jobplane.events.MalformedEventException;
import io.jobplane.worker.service.RunDispatcher;
import io.smallrye.common.annotation.Blocking;

/**
 * Reads {@code jobplane.control}, which every worker reads in full (a consumer group of its own),
 * so a cancel reaches the worker holding the run even after the command partitions moved to
 * another worker. Unreadable records are logged and skipped: this topic has no dead letters of
 * its own, job-api is its only producer.
 */
@ApplicationScoped
public class ControlListener {

    private static final Logger LOG = Logger.getLogger(ControlListener.class);

    private final RunDispatcher dispatcher;

    public ControlListener(RunDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Incoming("control")
    @Blocking
    public void onControl(String value) {
        try {
            CommandListener.handle(EventCodec.decode(value), dispatcher);
        } catch (MalformedEventException | IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable control record: %s", e.getMessage());
        }
    }
}
