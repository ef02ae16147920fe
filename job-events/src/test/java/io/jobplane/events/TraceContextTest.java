package io.jobplane.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskStatus;

/** The CloudEvents Distributed Tracing attributes: written, read, and ignored when malformed. */
class TraceContextTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final TaskFinished PAYLOAD = new TaskFinished("run-1", 1, "acme", "task-1", 0, TaskStatus.SUCCESS, 42L,
            null, Instant.parse("2026-01-02T03:04:05.123Z"));

    @Test
    void aWellFormedTraceparentIsReadWithItsParts() {
        TraceContext trace = TraceContext.of(PARENT, "vendor=abc,other=x-1");
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", trace.traceId());
        assertEquals("00f067aa0ba902b7", trace.spanId());
        assertTrue(trace.sampled());
        assertEquals("vendor=abc,other=x-1", trace.tracestate());
        assertFalse(TraceContext.of(PARENT.replace("-01", "-00"), null).sampled());
        // A later version is read by its version-00 prefix.
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceContext.of("01" + PARENT.substring(2) + "-more", null).traceId());
    }

    @Test
    void aMalformedTraceparentIsNoTraceContext() {
        for (String bad : List.of("", "garbage", PARENT.toUpperCase(), PARENT + "x", PARENT.substring(1),
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "ff" + PARENT.substring(2), "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01")) {
            assertNull(TraceContext.of(bad, null), bad);
        }
        assertNull(TraceContext.of(null, "vendor=abc"));
    }

    @Test
    void aMalformedTracestateIsDroppedAlone() {
        for (String bad : List.of("", "novalue", "=x", "a=b,\u0001c=d", "a=" + "x".repeat(600), "k=v,".repeat(33))) {
            TraceContext trace = TraceContext.of(PARENT, bad);
            assertEquals(PARENT, trace.traceparent(), bad);
            assertNull(trace.tracestate(), bad);
        }
    }

    @Test
    void theAttributesSurviveBothWaysOfWritingAnEvent() {
        TraceContext trace = TraceContext.of(PARENT, "vendor=abc");
        String viaRecord = EventCodec.encode(CloudEvent.of("/w", EventTypes.TASK_FINISHED, "run-1", PAYLOAD).withTrace(trace));
        String direct = EventCodec.encode("/w", EventTypes.TASK_FINISHED, "run-1", PAYLOAD, trace);
        for (String json : List.of(viaRecord, direct)) {
            assertTrue(json.contains("\"traceparent\":\"" + PARENT + "\""), json);
            CloudEvent back = EventCodec.decode(json);
            assertEquals(trace, back.trace());
            assertEquals(PAYLOAD, back.dataAs(TaskFinished.class));
        }
        String untraced = EventCodec.encode("/w", EventTypes.TASK_FINISHED, "run-1", PAYLOAD);
        assertFalse(untraced.contains("trace"), untraced);
        assertNull(EventCodec.decode(untraced).trace());
    }

    @Test
    void attributesAddedToEncodedTextAreReadLikeTheOthers() {
        String json = EventCodec.encode("/w", EventTypes.TASK_FINISHED, "run-1", PAYLOAD);
        // A W3C tracestate value may hold a quote and a backslash: they are escaped in the text.
        TraceContext trace = TraceContext.of(PARENT, "a=\"q\\,b=c");
        assertEquals("a=\"q\\,b=c", trace.tracestate());
        String traced = EventCodec.withTrace(json, trace);
        CloudEvent back = EventCodec.decode(traced);
        assertEquals(trace, back.trace());
        assertEquals(PAYLOAD, back.dataAs(TaskFinished.class));
        assertEquals(EventTypes.TASK_FINISHED, EventCodec.type(traced));
        assertEquals(json, EventCodec.withTrace(json, null));
    }

    @Test
    void aMalformedOrMistypedAttributeNeverMakesTheEventUnreadable() {
        String data = "\"data\":{\"run_id\":\"r\",\"attempt\":1,\"status\":\"SUCCESS\",\"index\":0}";
        for (String attributes : List.of("\"traceparent\":\"nonsense\"", "\"traceparent\":42,\"tracestate\":[1,2]",
                "\"traceparent\":{\"a\":{\"b\":1}}", "\"traceparent\":null", "\"tracestate\":\"a=b\"")) {
            String json = "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/x\",\"type\":\"t\"," + attributes + "," + data + "}";
            CloudEvent event = EventCodec.decode(json);
            assertNull(event.trace(), attributes);
            assertEquals(TaskStatus.SUCCESS, event.dataAs(TaskFinished.class).status(), attributes);
        }
    }
}
