package io.jobplane.events.consume;

import java.util.List;
import java.util.function.Supplier;

import io.jobplane.events.CloudEvent;
import io.smallrye.mutiny.Uni;

/**
 * What an {@link EventConsumer} does around applying the events it read (a trace span, say:
 * {@link io.jobplane.events.trace.Traces#consumerSpans}). By default nothing.
 */
@FunctionalInterface
public interface ApplyScope {

    /** Nothing around the step. */
    ApplyScope NONE = (events, apply) -> apply.get();

    /** Applies {@code events} with {@code apply}, whose Uni ends when they are applied. */
    Uni<Void> around(List<CloudEvent> events, Supplier<Uni<Void>> apply);
}
