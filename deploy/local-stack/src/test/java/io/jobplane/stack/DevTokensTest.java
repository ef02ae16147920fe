package io.jobplane.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevTokensTest {

    @TempDir
    Path dir;

    @Test
    void keysAreMadeOnceAndReloaded() {
        DevKeys first = DevKeys.ensure(dir.resolve("keys"));
        DevKeys again = DevKeys.ensure(dir.resolve("keys"));
        assertEquals(first.publicKeyBase64(), again.publicKeyBase64());
        assertEquals(first.secretKeyBase64(), again.secretKeyBase64());
        assertEquals(32, Base64.getDecoder().decode(first.secretKeyBase64()).length);
    }

    @Test
    void aMintedTokenIsRs256SignedAndCarriesIssuerAudienceExpiryAndRoles() throws Exception {
        DevKeys keys = DevKeys.ensure(dir.resolve("keys"));
        String token = DevTokens.mint(keys.privateKey(), "ada", Map.of("demo", "editor"), Duration.ofMinutes(5));
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        String header = decode(parts[0]);
        String claims = decode(parts[1]);
        assertTrue(header.contains("\"alg\":\"RS256\""), header);
        assertTrue(claims.contains("\"iss\":\"jobplane-dev\""), claims);
        assertTrue(claims.contains("\"aud\":\"jobplane\""), claims);
        assertTrue(claims.contains("\"sub\":\"ada\""), claims);
        assertTrue(claims.contains("\"workspaces\":{\"demo\":\"editor\"}"), claims);
        long exp = Long.parseLong(claims.replaceAll(".*\"exp\":(\\d+).*", "$1"));
        assertTrue(Math.abs(exp - Instant.now().plusSeconds(300).getEpochSecond()) < 30, claims);

        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(keys.publicKey());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rsa.verify(Base64.getUrlDecoder().decode(parts[2])));

        rsa.initVerify(DevKeys.ensure(dir.resolve("other")).publicKey());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertFalse(rsa.verify(Base64.getUrlDecoder().decode(parts[2])));
    }

    @Test
    void unknownRolesAreRefused() {
        DevKeys keys = DevKeys.ensure(dir.resolve("keys"));
        assertThrows(IllegalArgumentException.class, () -> DevTokens.builder(keys.privateKey()).workspace("w", "root"));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
