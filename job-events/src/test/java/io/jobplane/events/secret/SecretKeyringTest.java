package io.jobplane.events.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.SealedValue;

class SecretKeyringTest {

    private static String key(int seed) {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) seed);
        return Base64.getEncoder().encodeToString(raw);
    }

    @Test
    void sealedValueOpensAndHidesThePlaintext() {
        SecretKeyring ring = new SecretKeyring("k1", Map.of("k1", key(1)));
        SealedValue sealed = ring.seal("canary-p@ss");
        assertFalse(sealed.ciphertext().contains("canary"));
        assertFalse(sealed.toString().contains(sealed.ciphertext()));
        assertEquals("canary-p@ss", ring.open(sealed));
        assertNotEquals(sealed.ciphertext(), ring.seal("canary-p@ss").ciphertext(), "IV must be random");
    }

    @Test
    void oldKeysStillOpenAfterRotation() {
        SealedValue old = new SecretKeyring("k1", Map.of("k1", key(1))).seal("s");
        SecretKeyring rotated = new SecretKeyring("k2", Map.of("k1", key(1), "k2", key(2)));
        assertEquals("s", rotated.open(old));
        assertEquals("k2", rotated.seal("s").keyId());
    }

    @Test
    void tamperedOrRelabelledCiphertextIsRefused() {
        SecretKeyring ring = new SecretKeyring("k1", Map.of("k1", key(1), "k2", key(1)));
        SealedValue sealed = ring.seal("s");
        assertThrows(IllegalStateException.class, () -> ring.open(new SealedValue("k2", sealed.ciphertext())));
        byte[] raw = Base64.getDecoder().decode(sealed.ciphertext());
        raw[raw.length - 1] ^= 1;
        assertThrows(IllegalStateException.class,
                () -> ring.open(new SealedValue("k1", Base64.getEncoder().encodeToString(raw))));
        assertThrows(IllegalStateException.class, () -> ring.open(new SealedValue("nope", sealed.ciphertext())));
    }

    @Test
    void badKeysAreRejectedAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> new SecretKeyring("k1", Map.of("k1", "c2hvcnQ=")));
        assertThrows(IllegalArgumentException.class, () -> new SecretKeyring("k9", Map.of("k1", key(1))));
    }

    @Test
    void aBoundValueOpensOnlyWhereItWasSealed() {
        SecretKeyring ring = new SecretKeyring("k1", Map.of("k1", key(1)));
        SecretOwner shop = SecretOwner.connection("alpha", "c-1");
        SealedValue sealed = ring.seal("canary-bound", shop, "password");
        assertTrue(SecretKeyring.isBound(sealed));
        assertEquals("canary-bound", ring.open(sealed, SecretOwner.connection("alpha", "c-1"), "password"));

        assertThrows(IllegalStateException.class, () -> ring.open(sealed, SecretOwner.connection("beta", "c-1"), "password"),
                "copied into another workspace");
        assertThrows(IllegalStateException.class, () -> ring.open(sealed, SecretOwner.connection("alpha", "c-2"), "password"),
                "copied onto another connection");
        assertThrows(IllegalStateException.class, () -> ring.open(sealed, shop, "auth_token"), "copied into another field");
        assertThrows(IllegalStateException.class, () -> ring.open(sealed, SecretOwner.jobSteps("alpha", "c-1"), "password"),
                "copied into another kind of object with the same id");
        assertThrows(IllegalStateException.class, () -> ring.open(sealed), "opened without its owner");
        assertThrows(IllegalStateException.class, () -> ring.open(new SealedValue("k1", sealed.ciphertext().substring(3)), shop,
                "password"), "stripped of its prefix to pass for an unbound value");
    }

    @Test
    void aValueSealedBeforeBindingsStillOpensAndIsToldApart() {
        SecretKeyring ring = new SecretKeyring("k1", Map.of("k1", key(1)));
        SealedValue legacy = ring.seal("old-secret");
        assertFalse(SecretKeyring.isBound(legacy));
        assertEquals("old-secret", ring.open(legacy, SecretOwner.connection("alpha", "c-1"), "password"));
        assertEquals("old-secret", ring.open(legacy));
    }
}
