package io.jobplane.api.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.freeze.FreezeWindow.Mode;

class FreezeWindowTest {

    private static final Instant NOW = Instant.parse("2026-12-20T12:00:00Z");
    private static final Instant FROM = Instant.parse("2026-12-24T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-12-27T00:00:00Z");

    @Test
    void frozenFromItsStartUntilJustBeforeItsEnd() {
        FreezeWindow w = FreezeWindow.of(new FreezeRequest(FROM, UNTIL, Mode.WAIT, "year-end close"), NOW);
        assertFalse(w.activeAt(FROM.minusMillis(1)));
        assertTrue(w.activeAt(FROM));
        assertTrue(w.activeAt(UNTIL.minusMillis(1)));
        assertFalse(w.activeAt(UNTIL), "resumes by itself at until");
        assertTrue(w.holds(FROM));
        assertFalse(w.refuses(FROM), "WAIT holds launches, never refuses them");
    }

    @Test
    void refuseModeRefusesOnlyWhileActiveWithTheEndAndTheFix() {
        FreezeWindow w = FreezeWindow.of(new FreezeRequest(FROM, UNTIL, Mode.REFUSE, "migration"), NOW);
        assertFalse(w.refuses(NOW));
        assertTrue(w.refuses(FROM.plusSeconds(60)));
        ApiException refusal = w.refusal("finance");
        assertEquals("WORKSPACE_FROZEN", refusal.code());
        assertEquals(409, refusal.status().getStatusCode());
        assertTrue(refusal.getMessage().contains(UNTIL.toString()) && refusal.getMessage().contains("migration"),
                refusal.getMessage());
        assertTrue(refusal.solution().contains("DELETE /api/v1/workspaces/finance/freeze"), refusal.solution());
    }

    @Test
    void fromDefaultsToNowAndTheReasonIsTrimmed() {
        FreezeWindow w = FreezeWindow.of(new FreezeRequest(null, UNTIL, Mode.WAIT, "  close  "), NOW);
        assertEquals(NOW, w.from());
        assertEquals("close", w.reason());
    }

    @Test
    void refusesBadWindows() {
        assertEquals("INVALID_FREEZE_WINDOW", code(new FreezeRequest(UNTIL, FROM, Mode.WAIT, "backwards")));
        assertEquals("INVALID_FREEZE_WINDOW", code(new FreezeRequest(NOW.minusSeconds(7200), NOW.minusSeconds(60), Mode.WAIT, "past")));
        assertEquals("INVALID_FREEZE_WINDOW", code(new FreezeRequest(FROM, FROM.plus(FreezeWindow.MAX_LENGTH).plusSeconds(1),
                Mode.WAIT, "too long")));
        assertEquals("VALIDATION_FAILED", code(new FreezeRequest(FROM, UNTIL, null, "no mode")));
        assertEquals("VALIDATION_FAILED", code(new FreezeRequest(FROM, UNTIL, Mode.WAIT, " ")));
        assertEquals("VALIDATION_FAILED", code(new FreezeRequest(FROM, null, Mode.WAIT, "no end")));
        assertEquals("VALIDATION_FAILED", code(new FreezeRequest(FROM, UNTIL, Mode.WAIT, "x".repeat(501))));
    }

    private static String code(FreezeRequest request) {
        return assertThrows(ApiException.class, () -> FreezeWindow.of(request, NOW)).code();
    }
}
