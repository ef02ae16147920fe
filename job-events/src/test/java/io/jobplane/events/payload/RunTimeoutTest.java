package io.jobplane.events.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jobplane.events.EventCodec;

class RunTimeoutTest {

    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void noTimeoutWithoutTheSetting() {
        assertNull(RunTimeout.of(null));
        assertNull(RunTimeout.of(RunSettings.DEFAULT));
        assertNull(RunTimeout.of(new RunSettings(false, 1, 30, 1, 1, 2, null, null)));
    }

    @Test
    void deadlineIsTheStartPlusTheSeconds() {
        RunTimeout timeout = RunTimeout.of(new RunSettings(false, 1, null, 1, 1, 2, null, null, 90));
        assertEquals(90, timeout.seconds());
        assertEquals(Instant.parse("2026-01-01T10:01:30Z"), timeout.deadline(START));
    }

    @Test
    void overdueOnlyPastTheDeadlineAndTheGrace() {
        RunTimeout timeout = new RunTimeout(60);
        Duration grace = Duration.ofSeconds(5);
        assertFalse(timeout.overdue(START, START.plusSeconds(59), grace));
        assertFalse(timeout.overdue(START, START.plusSeconds(65), grace));
        assertTrue(timeout.overdue(START, START.plusSeconds(65).plusMillis(1), grace));
        assertTrue(timeout.overdue(START, START.plusSeconds(61), Duration.ZERO));
    }

    @Test
    void messageSaysHowLongItRanAndTheLimit() {
        String message = new RunTimeout(2).message(START, START.plusMillis(2_400));
        assertEquals("run stopped after 2 s: it may run 2 s in all (execution.run_timeout_seconds)", message);
        assertTrue(new RunTimeout(2).message(START, START.minusSeconds(1)).startsWith("run stopped after 0 s"));
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThrows(IllegalArgumentException.class, () -> new RunTimeout(0));
        assertThrows(IllegalArgumentException.class, () -> new RunTimeout(-5));
    }

    @Test
    void travelsInTheLaunchCommandSettingsAsSnakeCase() {
        RunSettings settings = new RunSettings(false, 1, null, 1, 1, 2, null, null, 45);
        String json = EventCodec.encode("test", "settings", "run-1", settings);
        assertTrue(json.contains("\"run_timeout_seconds\":45"), json);
        assertEquals(settings, EventCodec.decode(json).dataAs(RunSettings.class));
        String older = json.replace(",\"run_timeout_seconds\":45", "");
        assertFalse(older.contains("run_timeout_seconds"), older);
        assertNull(EventCodec.decode(older).dataAs(RunSettings.class).runTimeoutSeconds());
    }
}
