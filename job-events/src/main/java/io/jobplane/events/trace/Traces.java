package io.jobplane.events.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.TraceContext;
import io.jobplane.events.consume.ApplyScope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.mutiny.Uni;

/**
 * Between OpenTelemetry and the trace context CloudEvents carry ({@link TraceContext}, the CloudEvents
 * Distributed Tracing extension): what a producer puts in an event, what a consumer continues. Spans
 * carry no attribute but the few named here (event type, run id): never a payload, a statement or a
 * connection detail. See docs/tracing.md.
 */
public final class Traces {

    /** The attribute naming the CloudEvents type of the event a span sends or applies. */
    public static final String EVENT_TYPE = "cloudevents.event_type";
    /** The attribute naming the run (the CloudEvents subject) a span works for. */
    public static final String RUN_ID = "jobplane.run_id";

    private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TraceContext carrier, String key) {
            return carrier == null ? null : switch (key) {
                case "traceparent" -> carrier.traceparent();
                case "tracestate" -> carrier.tracestate();
                default -> null;
            };
        }
    };

    private Traces() {
    }

    /** The trace context of the current span, null when there is none. */
    public static TraceContext current() {
        return of(Span.current().getSpanContext());
    }

    /** The trace context of {@code span}, null when it has none. */
    public static TraceContext of(Span span) {
        return of(span.getSpanContext());
    }

    /** The W3C form of {@code context}, null when it is not valid. */
    public static TraceContext of(SpanContext context) {
        if (context == null || !context.isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(context)), carrier, Map::put);
        return TraceContext.of(carrier.get("traceparent"), carrier.get("tracestate"));
    }

    /** The context whose parent span is the one {@code trace} names; the root context when it is null. */
    public static Context parent(TraceContext trace) {
        return trace == null ? Context.root() : W3CTraceContextPropagator.getInstance().extract(Context.root(), trace, GETTER);
    }

    /**
     * Applying events inside consumer spans named {@code name}: one span per trace among the events, a child
     * of the first of the events of that trace (the spans of a batch of one run's events are one). The first
     * span is current while the consumer's step is called. Events without trace context get no span.
     */
    public static ApplyScope consumerSpans(Tracer tracer, String name) {
        return (events, apply) -> {
            Map<String, CloudEvent> firstOfTrace = new LinkedHashMap<>();
            for (CloudEvent event : events) {
                TraceContext trace = event.trace();
                if (trace != null) {
                    firstOfTrace.putIfAbsent(trace.traceId(), event);
                }
            }
            if (firstOfTrace.isEmpty()) {
                return apply.get();
            }
            return Uni.createFrom().deferred(() -> {
                List<Span> spans = new ArrayList<>(firstOfTrace.size());
                for (CloudEvent event : firstOfTrace.values()) {
                    spans.add(tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER).setParent(parent(event.trace()))
                            .setAttribute(EVENT_TYPE, event.type())
                            .setAttribute(RUN_ID, event.subject() == null ? "" : event.subject())
                            .startSpan());
                }
                Uni<Void> applied;
                try (Scope scope = spans.get(0).makeCurrent()) {
                    // Subscribed here, so the step's synchronous part runs with the span current.
                    applied = Uni.createFrom().completionStage(apply.get().subscribeAsCompletionStage());
                }
                return applied.onTermination().invoke((done, failure, cancelled) -> spans.forEach(span -> end(span, failure)));
            });
        };
    }

    /** Ends {@code span}, marked as failed (by the failure's class only: its message may hold data) when it failed. */
    public static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        span.end();
    }
}
