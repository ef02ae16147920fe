package io.jobplane.events.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.TraceContext;
import io.jobplane.events.payload.RunStarted;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.smallrye.mutiny.Uni;

/** Consumer spans continue the events' traces, and the W3C form of a span context goes both ways. */
class TracesTest {

    private final List<SpanData> ended = new CopyOnWriteArrayList<>();
    private final Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
        @Override
        public CompletableResultCode export(java.util.Collection<SpanData> spans) {
            ended.addAll(spans);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    })).build().get("test");

    @Test
    void aSpanContextAndItsTraceparentGoBothWays() {
        Span span = tracer.spanBuilder("sender").startSpan();
        TraceContext trace = Traces.of(span);
        assertEquals(span.getSpanContext().getTraceId(), trace.traceId());
        assertEquals(span.getSpanContext().getSpanId(), trace.spanId());
        assertTrue(trace.sampled());
        Span child = tracer.spanBuilder("child").setParent(Traces.parent(trace)).startSpan();
        assertEquals(span.getSpanContext().getSpanId(), ((ReadableSpan) child).getParentSpanContext().getSpanId());
        assertNull(Traces.of(Span.getInvalid()));
        assertEquals(Context.root(), Traces.parent(null));
    }

    @Test
    void eachTraceOfABatchGetsOneConsumerSpanChildOfItsFirstEvent() {
        TraceContext first = Traces.of(tracer.spanBuilder("run a").startSpan());
        TraceContext later = Traces.of(tracer.spanBuilder("run a, later").setParent(Traces.parent(first)).startSpan());
        TraceContext other = Traces.of(tracer.spanBuilder("run b").startSpan());
        List<CloudEvent> batch = List.of(event("a", first), event("a", later), event("b", other), event("c", null),
                event("d", null).withTrace(null));
        AtomicReference<String> currentWhileApplying = new AtomicReference<>();

        Traces.consumerSpans(tracer, "apply").around(batch, () -> {
            currentWhileApplying.set(Span.current().getSpanContext().getTraceId());
            return Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(5));

        List<SpanData> applied = ended.stream().filter(s -> s.getName().equals("apply")).toList();
        assertEquals(2, applied.size(), "one per trace, none for the events without: " + applied);
        assertEquals(first.spanId(), applied.get(0).getParentSpanId());
        assertEquals(other.spanId(), applied.get(1).getParentSpanId());
        assertEquals(SpanKind.CONSUMER, applied.get(0).getKind());
        assertEquals("a", applied.get(0).getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(Traces.RUN_ID)));
        assertEquals(first.traceId(), currentWhileApplying.get(), "the first span is current while the step runs");
    }

    @Test
    void eventsWithoutATraceAreAppliedWithoutASpan() {
        CloudEvent malformed = event("a", null);
        malformed = new CloudEvent(malformed.specversion(), malformed.id(), malformed.source(), malformed.type(),
                malformed.subject(), malformed.time(), malformed.datacontenttype(), malformed.data(), "00-nonsense", null);
        Traces.consumerSpans(tracer, "apply").around(List.of(malformed), () -> Uni.createFrom().voidItem())
                .await().atMost(Duration.ofSeconds(5));
        assertEquals(List.of(), ended);
    }

    private static CloudEvent event(String run, TraceContext trace) {
        return CloudEvent.of("/test", EventTypes.RUN_STARTED, run,
                new RunStarted(run, 1, "ws", "job", "worker-1", java.time.Instant.now())).withTrace(trace);
    }
}
