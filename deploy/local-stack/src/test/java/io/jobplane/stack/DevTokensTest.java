package io.jobplane.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevTokensTest {

    @TempDir
    Path dir;

    @Test
    void keysAreMadeOnceThenReloadedAndKeptPrivate() throws Exception {
        Path keysDir = dir.resolve("keys");
        DevKeys first = DevKeys.ensure(keysDir);
        DevKeys again = DevKeys.ensure(keysDir);

        assertEquals(first.publicKeyBase64(), again.publicKeyBase64());
        assertEquals(first.privateKey(), again.privateKey());
        assertEquals(first.secretKeyBase64(), again.secretKeyBase64());
        assertEquals("dev-1", again.secretKeyId());
        assertEquals(32, Base64.getDecoder().decode(first.secretKeyBase64()).length);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir)));
        for (String file : new String[] { "privateKey.pem", "publicKey.pem", "secrets.key" }) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir.resolve(file))),
                    file);
        }
        assertTrue(Files.readString(keysDir.resolve("privateKey.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        // The one-line base64 DER that quarkus.oidc.public-key takes is an X.509 SubjectPublicKeyInfo.
        PublicKey parsed = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(first.publicKeyBase64())));
        assertEquals(first.publicKey(), parsed);
    }

    @Test
    void aMintedTokenIsRs256AndVerifiesWithIssuerAudienceExpiryAndRoles() throws Exception {
        DevKeys keys = DevKeys.ensure(dir.resolve("keys"));
        String token = DevTokens.mint(keys.privateKey(), "ada", Map.of("demo", "editor", "finance", "viewer"),
                Duration.ofMinutes(5));

        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"alg\":\"RS256\""), header);

        JwtContext verified = consumer(keys.publicKey()).process(token);
        JwtClaims claims = verified.getJwtClaims();
        assertEquals(AlgorithmIdentifiers.RSA_USING_SHA256, verified.getJoseObjects().get(0).getAlgorithmHeaderValue());
        assertEquals("jobplane-dev", claims.getIssuer());
        assertEquals(java.util.List.of("jobplane"), claims.getAudience());
        assertEquals("ada", claims.getSubject());
        assertEquals("ada", claims.getStringClaimValue("upn"));
        assertEquals(Map.of("demo", "editor", "finance", "viewer"), claims.getClaimValue(DevTokens.WORKSPACES_CLAIM));
        long expectedExpiry = Instant.now().plusSeconds(300).getEpochSecond();
        assertTrue(Math.abs(claims.getExpirationTime().getValue() - expectedExpiry) < 30, claims.toJson());
        assertTrue(claims.getIssuedAt().getValue() <= Instant.now().getEpochSecond(), claims.toJson());
    }

    @Test
    void aTokenDoesNotVerifyWithAnotherKey() {
        DevKeys keys = DevKeys.ensure(dir.resolve("keys"));
        DevKeys other = DevKeys.ensure(dir.resolve("other"));
        String token = DevTokens.mint(keys.privateKey(), "ada", Map.of("demo", "admin"), Duration.ofMinutes(5));

        assertThrows(InvalidJwtException.class, () -> consumer(other.publicKey()).process(token));
    }

    @Test
    void theBuilderMakesTokensWrongInExactlyOneWay() throws Exception {
        DevKeys keys = DevKeys.ensure(dir.resolve("keys"));
        JwtConsumer consumer = consumer(keys.publicKey());
        String expired = DevTokens.builder(keys.privateKey()).subject("x").workspace("w", "admin")
                .expiresAt(Instant.now().minusSeconds(600)).sign();
        String wrongAudience = DevTokens.builder(keys.privateKey()).subject("x").workspace("w", "admin")
                .audience("someone-else").sign();
        String wrongIssuer = DevTokens.builder(keys.privateKey()).subject("x").workspace("w", "admin")
                .issuer("https://elsewhere").sign();

        InvalidJwtException e = assertThrows(InvalidJwtException.class, () -> consumer.process(expired));
        assertTrue(e.hasExpired(), e.getMessage());
        assertThrows(InvalidJwtException.class, () -> consumer.process(wrongAudience));
        assertThrows(InvalidJwtException.class, () -> consumer.process(wrongIssuer));
        // Without its one wrong claim each would pass: the signature and the rest are fine.
        assertEquals("someone-else", consumer(keys.publicKey(), "someone-else", DevTokens.ISSUER)
                .processToClaims(wrongAudience).getAudience().get(0));
        assertEquals("https://elsewhere", consumer(keys.publicKey(), DevTokens.AUDIENCE, "https://elsewhere")
                .processToClaims(wrongIssuer).getIssuer());
    }

    @Test
    void unknownRolesAreRefused() {
        DevKeys keys = DevKeys.ensure(dir.resolve("keys"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DevTokens.builder(keys.privateKey()).workspace("w", "root"));
        assertTrue(e.getMessage().contains("viewer, operator, editor, admin"), e.getMessage());
    }

    private static JwtConsumer consumer(PublicKey key) {
        return consumer(key, DevTokens.AUDIENCE, DevTokens.ISSUER);
    }

    /** Verifies the way job-api's OIDC does: RS256 only, signature, issuer, audience, expiry. */
    private static JwtConsumer consumer(PublicKey key, String audience, String issuer) {
        return new JwtConsumerBuilder()
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setRequireSubject()
                .build();
    }
}
