package io.jobplane.worker.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunStatus;

class EventBoundsTest {

    private static String encode(String error) {
        return EventCodec.encode("/test", EventTypes.RUN_FINISHED, "run-1", new RunFinished("run-1", 1, "ws", "job-1",
                RunStatus.FAILED, error, Instant.parse("2026-12-01T10:00:00Z"), "TASK_FAILED", "w1"));
    }

    private static long bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void anEventThatFitsIsLeftAsItIs() {
        String json = EventBounds.fit(EventBoundsTest::encode, "relation \"t\" does not exist", 10_000);
        assertEquals("relation \"t\" does not exist", EventCodec.decode(json).dataAs(RunFinished.class).errorMessage());
        assertEquals(null, EventCodec.decode(EventBounds.fit(EventBoundsTest::encode, null, 10)).dataAs(RunFinished.class)
                .errorMessage(), "an event without an error text is never cut");
    }

    @Test
    void aTooLargeErrorIsCutToFitWithAMarkerSayingHowMuchWasKept() {
        String error = "ERROR: " + "x".repeat(2_000_000);
        String json = EventBounds.fit(EventBoundsTest::encode, error, 983_040);
        assertTrue(bytes(json) <= 983_040, "fits: " + bytes(json));
        assertTrue(bytes(json) > 983_040 - 2 * EventBounds.SLACK, "and keeps as much as fits: " + bytes(json));
        String kept = EventCodec.decode(json).dataAs(RunFinished.class).errorMessage();
        assertTrue(kept.startsWith("ERROR: xxx"));
        assertTrue(kept.endsWith(" of 2000007 bytes kept to fit the event size limit]"), kept.substring(kept.length() - 80));
    }

    @Test
    void textThatGrowsWhenEscapedAndMultiByteCharactersStillFitAndAreCutWhole() {
        String controls = "\u0001".repeat(500_000); // six bytes each in JSON
        String json = EventBounds.fit(EventBoundsTest::encode, controls, 100_000);
        assertTrue(bytes(json) <= 100_000, "fits: " + bytes(json));

        String cut = EventBounds.cut("日本語😀abc", 7);
        assertTrue(cut.startsWith("日本") && !cut.startsWith("日本語"), cut);
        assertTrue(cut.contains("[truncated: 6 of 16 bytes kept"), cut);
        assertSame("short", EventBounds.cut("short", 100));
    }
}
