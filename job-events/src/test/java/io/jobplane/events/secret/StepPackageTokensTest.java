package io.jobplane.events.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.events.Checksums;

class StepPackageTokensTest {

    private static final String RUN = "7d0f2a8e-3c41-4a8b-9f55-0b6f4c2d9e11";
    private static final String OTHER_RUN = "0b6f4c2d-9e11-4a8b-9f55-7d0f2a8e3c41";
    private static final String SHA = Checksums.sha256("package one".getBytes(StandardCharsets.UTF_8));
    private static final String OTHER_SHA = Checksums.sha256("package two".getBytes(StandardCharsets.UTF_8));
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static String key(int seed) {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) seed);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static StepPackageTokens tokens(String active, Map<String, String> keys) {
        return new StepPackageTokens(new SecretKeyring(active, keys));
    }

    private static StepPackageTokens.Reason refusal(StepPackageTokens tokens, String token, String sha, Instant now) {
        return assertThrows(StepPackageTokens.Refused.class, () -> tokens.verify(token, sha, now)).reason();
    }

    @Test
    void aTokenOpensItsOwnPackageForItsRunUntilItExpires() throws Exception {
        StepPackageTokens worker = tokens("k1", Map.of("k1", key(1)));
        StepPackageTokens api = tokens("k1", Map.of("k1", key(1)));
        String token = worker.mint(SHA, RUN, NOW.plus(StepPackageTokens.LIFETIME));
        assertEquals(RUN, api.verify(token, SHA, NOW));
        assertEquals(RUN, api.verify(token, SHA, NOW.plus(StepPackageTokens.LIFETIME).minusSeconds(1)));
        assertEquals(StepPackageTokens.Reason.EXPIRED, refusal(api, token, SHA, NOW.plus(StepPackageTokens.LIFETIME)));
        assertFalse(token.contains(key(1)), "the key is not in the token");
    }

    @Test
    void anotherPackageOrAnAlteredRunOrExpiryDoesNotPass() {
        StepPackageTokens ring = tokens("k1", Map.of("k1", key(1)));
        String token = ring.mint(SHA, RUN, NOW.plusSeconds(60));
        assertEquals(StepPackageTokens.Reason.BAD_SIGNATURE, refusal(ring, token, OTHER_SHA, NOW), "a stolen token opens no other package");
        String[] parts = token.split("\\.");
        String otherRun = String.join(".", parts[0], parts[1], OTHER_RUN, parts[3], parts[4]);
        assertEquals(StepPackageTokens.Reason.BAD_SIGNATURE, refusal(ring, otherRun, SHA, NOW));
        String later = String.join(".", parts[0], parts[1], parts[2], Long.toString(Long.parseLong(parts[3]) + 3600), parts[4]);
        assertEquals(StepPackageTokens.Reason.BAD_SIGNATURE, refusal(ring, later, SHA, NOW), "the expiry cannot be moved");
        char last = parts[4].charAt(0);
        String flipped = String.join(".", parts[0], parts[1], parts[2], parts[3], (last == 'A' ? 'B' : 'A') + parts[4].substring(1));
        assertEquals(StepPackageTokens.Reason.BAD_SIGNATURE, refusal(ring, flipped, SHA, NOW));
    }

    @Test
    void aTokenOfAnotherKeyringOrAnUnknownKeyIsRefused() {
        String foreign = tokens("k1", Map.of("k1", key(9))).mint(SHA, RUN, NOW.plusSeconds(60));
        StepPackageTokens api = tokens("k1", Map.of("k1", key(1)));
        assertEquals(StepPackageTokens.Reason.BAD_SIGNATURE, refusal(api, foreign, SHA, NOW));
        String unknown = tokens("k7", Map.of("k7", key(1))).mint(SHA, RUN, NOW.plusSeconds(60));
        assertEquals(StepPackageTokens.Reason.UNKNOWN_KEY, refusal(api, unknown, SHA, NOW));
    }

    @Test
    void duringRotationAnyKeyOfTheRingStillVerifies() throws Exception {
        String old = tokens("k1", Map.of("k1", key(1))).mint(SHA, RUN, NOW.plusSeconds(60));
        StepPackageTokens rotated = tokens("k2", Map.of("k1", key(1), "k2", key(2)));
        assertEquals(RUN, rotated.verify(old, SHA, NOW));
        assertEquals(RUN, tokens("k1", Map.of("k1", key(1), "k2", key(2))).verify(rotated.mint(SHA, RUN, NOW.plusSeconds(60)), SHA, NOW));
    }

    @Test
    void theMacKeyIsDerivedNotTheSealingKeyItself() throws Exception {
        SecretKeyring ring = new SecretKeyring("k1", Map.of("k1", key(1)));
        byte[] derived = ring.derive("k1", StepPackageTokens.LABEL);
        assertEquals(32, derived.length);
        assertFalse(java.util.Arrays.equals(Base64.getDecoder().decode(key(1)), derived));
        assertFalse(java.util.Arrays.equals(derived, ring.derive("k1", "another label")));
    }

    @Test
    void aTokenLivingLongerThanFiveMinutesIsRefused() {
        StepPackageTokens ring = tokens("k1", Map.of("k1", key(1)));
        String longLived = ring.mint(SHA, RUN, NOW.plus(Duration.ofMinutes(10)));
        assertEquals(StepPackageTokens.Reason.TOO_LONG_LIVED, refusal(ring, longLived, SHA, NOW));
        assertTrue(StepPackageTokens.MAX_LIFETIME.compareTo(Duration.ofMinutes(5)) <= 0);
    }

    @Test
    void garbageIsMalformed() {
        StepPackageTokens ring = tokens("k1", Map.of("k1", key(1)));
        for (String bad : new String[] { null, "", "Bearer x", "v1.a.b.c", "v2.azE." + RUN + ".1.AAAA", "v1.***." + RUN + ".1.AAAA",
                "v1.azE." + RUN + ".soon.AAAA", "v1.azE.run.with.dots.1.AAAA", "x".repeat(10_000) }) {
            assertEquals(StepPackageTokens.Reason.MALFORMED, refusal(ring, bad, SHA, NOW), String.valueOf(bad));
        }
        assertEquals(StepPackageTokens.Reason.MALFORMED, refusal(ring, ring.mint(SHA, RUN, NOW.plusSeconds(60)), "not-a-sha", NOW));
        assertThrows(IllegalArgumentException.class, () -> ring.mint("ABC", RUN, NOW));
        assertThrows(IllegalArgumentException.class, () -> ring.mint(SHA, "a.b", NOW));
    }
}
