package io.jobplane.api.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Role;

class ApiTokenRulesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    @Test
    void rolesAreTheWorkspaceRolesInAnyCase() {
        assertEquals(Role.VIEWER, ApiTokenRules.role("viewer"));
        assertEquals(Role.OPERATOR, ApiTokenRules.role("Operator"));
        assertEquals(Role.ADMIN, ApiTokenRules.role("ADMIN"));
        ApiException e = assertThrows(ApiException.class, () -> ApiTokenRules.role("owner"));
        assertEquals("INVALID_ENUM_VALUE", e.code());
        assertEquals(400, e.status().getStatusCode());
        assertTrue(e.solution().contains("viewer, operator, editor, admin"), e.solution());
    }

    @Test
    void theExpiryIsATimestampInTheFutureWithinTheMaximumLifetime() {
        assertEquals(Instant.parse("2026-03-01T12:00:01Z"), ApiTokenRules.expiry("2026-03-01T12:00:01Z", NOW, YEAR));
        assertEquals(Instant.parse("2026-06-01T10:00:00Z"), ApiTokenRules.expiry("2026-06-01T12:00:00+02:00", NOW, YEAR));
        assertEquals(NOW.plus(YEAR), ApiTokenRules.expiry(NOW.plus(YEAR).toString(), NOW, YEAR));

        for (String bad : new String[] { "2026-03-01T12:00:00Z", "2025-12-31T00:00:00Z", "2027-03-01T12:00:01Z",
                "tomorrow", "2026-06-01", "2026-06-01T12:00:00" }) {
            ApiException e = assertThrows(ApiException.class, () -> ApiTokenRules.expiry(bad, NOW, YEAR), bad);
            assertEquals("INVALID_EXPIRY", e.code(), bad);
            assertEquals(400, e.status().getStatusCode());
            assertTrue(e.getMessage().contains("expires_at"), e.getMessage());
        }
    }

    @Test
    void theStatusIsRevokedBeforeExpiredBeforeActive() {
        Instant later = NOW.plusSeconds(60);
        assertEquals("active", ApiTokenView.status(null, later, NOW));
        assertEquals("expired", ApiTokenView.status(null, NOW, NOW));
        assertEquals("revoked", ApiTokenView.status(NOW, later, NOW));
        assertEquals("revoked", ApiTokenView.status(NOW, NOW.minusSeconds(1), NOW));
    }
}
