package io.jobplane.worker.listener;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.jobplane.events.consume.EventConsumer;
import io.jobplane.events.trace.Traces;
import io.jobplane.worker.listener.Commands.Command;
import io.jobplane.worker.service.RunDispatcher;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Reads {@code jobplane.control}, which every worker reads in full (a consumer group of its own),
 * so a cancel reaches the worker holding the run even after the command partitions moved to
 * another worker. Unreadable records are logged and skipped: every worker reads every record, so
 * dead-lettering here would make one copy per worker, and job-api is the topic's only producer.
 */
@ApplicationScoped
public class ControlListener {

    private final EventConsumer<Command> control;
    private final RunDispatcher dispatcher;

    public ControlListener(RunDispatcher dispatcher, Tracer tracer) {
        this.dispatcher = dispatcher;
        this.control = EventConsumer.skippingRefused("control", Commands.ROUTES,
                "every worker reads this topic (a dead letter would be sent once per worker)")
                .within(Traces.consumerSpans(tracer, Commands.SPAN));
    }

    @Incoming("control")
    @Blocking
    public void onControl(ConsumerRecord<String, String> record) {
        control.consume(record, batch -> {
            // Nothing waits for a control command: this topic's offsets are never committed.
            Commands.carryOut(batch, dispatcher, announcement -> announcement.start().run());
            return Uni.createFrom().voidItem();
        }).await().indefinitely();
    }
}
