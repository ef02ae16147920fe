package io.jobplane.api.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;

class RetentionPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void cutoffsAreNowMinusWholeDays() {
        RetentionPolicy p = RetentionPolicy.of(new RetentionRequest(90, 400));
        assertEquals(Instant.parse("2026-09-04T12:00:00Z"), p.logsCutoff(NOW));
        assertEquals(Instant.parse("2025-10-29T12:00:00Z"), p.runsCutoff(NOW));
    }

    @Test
    void boundsAreInclusive() {
        assertEquals(new RetentionPolicy(1, 1), RetentionPolicy.of(new RetentionRequest(1, 1)));
        assertEquals(new RetentionPolicy(3650, 3650), RetentionPolicy.of(new RetentionRequest(3650, 3650)));
        assertEquals(new RetentionPolicy(30, 30), RetentionPolicy.of(new RetentionRequest(30, 30)), "runs as long as logs is fine");
    }

    @Test
    void outOfBoundsIsRefusedWithTheCodeAndTheFix() {
        for (RetentionRequest bad : new RetentionRequest[] { new RetentionRequest(0, 400), new RetentionRequest(-5, 400),
                new RetentionRequest(3651, 3651), new RetentionRequest(90, 3651), new RetentionRequest(90, 0) }) {
            ApiException e = assertThrows(ApiException.class, () -> RetentionPolicy.of(bad), bad.toString());
            assertEquals("INVALID_RETENTION", e.code());
            assertEquals(400, e.status().getStatusCode());
            assertTrue(e.solution().contains("3650"), e.solution());
        }
    }

    @Test
    void runsShorterThanLogsIsRefused() {
        ApiException e = assertThrows(ApiException.class, () -> RetentionPolicy.of(new RetentionRequest(90, 30)));
        assertEquals("INVALID_RETENTION", e.code());
        assertTrue(e.getMessage().contains("at least logs_days"), e.getMessage());
    }

    @Test
    void missingFieldsAreAValidationFailure() {
        assertEquals("VALIDATION_FAILED", assertThrows(ApiException.class, () -> RetentionPolicy.of(null)).code());
        assertEquals("VALIDATION_FAILED",
                assertThrows(ApiException.class, () -> RetentionPolicy.of(new RetentionRequest(90, null))).code());
        assertEquals("VALIDATION_FAILED",
                assertThrows(ApiException.class, () -> RetentionPolicy.of(new RetentionRequest(null, 400))).code());
    }

    @Test
    void badDefaultsFailAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(400, 90));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(0, 90));
    }
}
