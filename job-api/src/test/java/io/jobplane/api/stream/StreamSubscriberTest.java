package io.jobplane.api.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.sse.OutboundSseEvent;

import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

import io.jobplane.api.config.RunStreamConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/** One stream's bounded queue: a client that stops reading is cut off, the others carry on. */
class StreamSubscriberTest {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Duration SLOW = Duration.ofSeconds(30);

    @Test
    void aClientThatStopsReadingIsDisconnectedWhileAReadingOneGetsEveryEvent() {
        AtomicInteger slowClosed = new AtomicInteger();
        AtomicInteger fastClosed = new AtomicInteger();
        StreamSubscriber slow = subscriber(false, slowClosed, 5, 1 << 20);
        StreamSubscriber fast = subscriber(false, fastClosed, 5, 1 << 20);
        AssertSubscriber<OutboundSseEvent> stalled = slow.events().subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<OutboundSseEvent> reading = fast.events().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        for (int offset = 10; offset < 30; offset++) {
            StreamPosition after = StreamPosition.of(new long[] {offset + 1, 7});
            slow.live(event(0, offset, "jobplane.run.started"), after);
            fast.live(event(0, offset, "jobplane.run.started"), after);
        }

        assertEquals(1, slowClosed.get(), "the stalled client is disconnected once");
        assertTrue(slow.closed());
        stalled.request(100).assertCompleted();
        assertEquals(5, stalled.getItems().size(), "what it had taken in its buffer, and nothing after");
        assertEquals(0, fastClosed.get());
        assertEquals(20, reading.getItems().size());
        assertEquals("0:30,1:7", reading.getItems().get(19).getId());
    }

    @Test
    void anEventLargerThanTheByteBoundDisconnectsAClientThatIsBehind() {
        AtomicInteger closed = new AtomicInteger();
        StreamSubscriber s = subscriber(false, closed, 1000, 10_000);
        s.events().subscribe().withSubscriber(AssertSubscriber.create(0));
        s.live(event(0, 10, "jobplane.run.finished", "x".repeat(6000)), StreamPosition.of(new long[] {11, 5}));
        assertEquals(1, closed.get());
    }

    @Test
    void silenceGetsAHeartbeatAndAClientThatTakesNothingForTooLongIsDisconnected() {
        AtomicInteger closed = new AtomicInteger();
        StreamSubscriber s = subscriber(false, closed, 1000, 1 << 20);
        AssertSubscriber<OutboundSseEvent> client = s.events().subscribe().withSubscriber(AssertSubscriber.create(1));
        long now = System.nanoTime();
        s.tick(now);
        assertEquals(0, client.getItems().size(), "no heartbeat before the interval");
        s.tick(now + HEARTBEAT.toNanos() + 1);
        assertEquals(1, client.getItems().size());
        assertEquals("keep-alive", client.getItems().get(0).getComment());
        assertNull(client.getItems().get(0).getData());

        // The client asked for one event only: what follows waits, and after the timeout it is cut off.
        s.live(event(0, 10, "jobplane.run.started"), StreamPosition.of(new long[] {11, 5}));
        s.tick(now + HEARTBEAT.toNanos() + 2);
        assertEquals(0, closed.get());
        s.tick(System.nanoTime() + SLOW.toNanos() + 1);
        assertEquals(1, closed.get());
    }

    @Test
    void liveEventsBelowTheStartAndLogLinesAreNotSentUnlessAsked() {
        StreamSubscriber s = subscriber(false, new AtomicInteger(), 100, 1 << 20);
        StreamSubscriber withLogs = subscriber(true, new AtomicInteger(), 100, 1 << 20);
        AssertSubscriber<OutboundSseEvent> plain = s.events().subscribe().withSubscriber(AssertSubscriber.create(100));
        AssertSubscriber<OutboundSseEvent> all = withLogs.events().subscribe().withSubscriber(AssertSubscriber.create(100));
        for (StreamSubscriber each : new StreamSubscriber[] {s, withLogs}) {
            each.live(event(0, 9, "jobplane.run.queued"), StreamPosition.of(new long[] {10, 5}));
            each.live(event(1, 5, "jobplane.run.log"), StreamPosition.of(new long[] {10, 6}));
            each.live(event(1, 6, "jobplane.task.started"), StreamPosition.of(new long[] {10, 7}));
        }
        assertEquals(1, plain.getItems().size(), "offset 9 of partition 0 came before the stream's start (10)");
        assertEquals("jobplane.task.started", plain.getItems().get(0).getName());
        assertEquals("0:10,1:7", plain.getItems().get(0).getId());
        assertEquals(2, all.getItems().size());
        assertEquals("jobplane.run.log", all.getItems().get(0).getName());
        assertFalse(s.closed());
    }

    private static StreamSubscriber subscriber(boolean logs, AtomicInteger closed, int events, long bytes) {
        StreamSubscriber s = new StreamSubscriber("ops", logs, SseImpl.INSTANCE, closed::incrementAndGet, limits(events, bytes));
        s.start(StreamPosition.of(new long[] {10, 5}));
        return s;
    }

    private static StreamEvent event(int partition, long offset, String type) {
        return event(partition, offset, type, "");
    }

    private static StreamEvent event(int partition, long offset, String type, String padding) {
        return new StreamEvent(partition, offset, type, "ops",
                "{\"type\":\"" + type + "\",\"data\":{\"workspace\":\"ops\",\"run_id\":\"r\",\"note\":\"" + padding + "\"}}");
    }

    private static RunStreamConfig limits(int events, long bytes) {
        return new RunStreamConfig() {
            public boolean enabled() { return true; }
            public int maxStreamsPerWorkspace() { return 50; }
            public int maxStreamsPerToken() { return 10; }
            public int bufferEvents() { return events; }
            public MemorySize bufferBytes() { return new MemorySize(BigInteger.valueOf(bytes)); }
            public Duration slowClientTimeout() { return SLOW; }
            public Duration heartbeat() { return HEARTBEAT; }
            public int maxConcurrentReplays() { return 4; }
            public int maxReplayRecords() { return 200_000; }
            public int maxReplayEvents() { return 10_000; }
            public Duration replayTimeout() { return Duration.ofSeconds(10); }
        };
    }
}
