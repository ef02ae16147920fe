package io.jobplane.api.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.api.json.StoredJson;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;

/** Sealed fields are bound to their workspace, object and field; older unbound values are sealed again on write. */
class SealedFieldsTest {

    private static final SecretKeyring KEYRING = new SecretKeyring("k1",
            Map.of("k1", Base64.getEncoder().encodeToString(new byte[32])));
    private static final SecretOwner SHOP = SecretOwner.connection("alpha", "0193-shop");

    @Test
    void aSealedValueMovedToAnotherObjectWorkspaceOrFieldDoesNotOpen() {
        SealedFields shop = SealedFields.read("{}");
        shop.merge(Map.of("password", "canary-shop"), List.of(), KEYRING, SHOP);
        assertEquals(Map.of("password", "canary-shop"), shop.open(KEYRING, SHOP));

        // Copy the stored value as it rests into another connection's, another workspace's, another field's place.
        SealedValue stolen = shop.get("password");
        String moved = StoredJson.write(Map.of("password", stolen));
        assertThrows(IllegalStateException.class,
                () -> SealedFields.read(moved).open(KEYRING, SecretOwner.connection("alpha", "0193-attacker")));
        assertThrows(IllegalStateException.class,
                () -> SealedFields.read(moved).open(KEYRING, SecretOwner.connection("beta", "0193-shop")));
        String renamed = StoredJson.write(Map.of("auth_token", stolen));
        assertThrows(IllegalStateException.class, () -> SealedFields.read(renamed).open(KEYRING, SHOP));
    }

    @Test
    void valuesSealedBeforeBindingsOpenAndAreBoundOnTheNextWrite() {
        SealedValue legacy = KEYRING.seal("canary-old");
        SealedFields stored = SealedFields.read(StoredJson.write(Map.of("password", legacy, "auth_token", KEYRING.seal("t"))));
        assertEquals("canary-old", stored.open(KEYRING, SHOP).get("password"));

        List<String> changed = stored.merge(Map.of("auth_token", "t2"), List.of(), KEYRING, SHOP);
        assertEquals(List.of("auth_token"), changed, "only what the caller changed is reported");
        assertTrue(stored.resealed());
        assertTrue(SecretKeyring.isBound(stored.get("password")));
        assertNotEquals(legacy.ciphertext(), stored.get("password").ciphertext());
        assertEquals(Map.of("password", "canary-old", "auth_token", "t2"), stored.open(KEYRING, SHOP));
        assertThrows(IllegalStateException.class, () -> SealedFields.read(stored.json())
                .open(KEYRING, SecretOwner.connection("beta", "0193-shop")), "bound now");

        SealedFields bound = SealedFields.read(stored.json());
        bound.merge(Map.of(), List.of(), KEYRING, SHOP);
        assertFalse(bound.resealed(), "nothing left to bind");
    }
}
