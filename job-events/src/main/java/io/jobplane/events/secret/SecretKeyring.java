package io.jobplane.events.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.jobplane.events.payload.SealedValue;

/**
 * Seals and opens secrets with AES-256-GCM. New values are sealed with the active key; any key
 * still in the ring opens old ones, which is how keys rotate. The key id is bound as associated
 * data, so a ciphertext cannot be passed off under another key id.
 *
 * <p>Values are sealed to the field that holds them ({@link SecretOwner#binding}: workspace, object
 * kind, object id, field): the binding joins the key id in the associated data, and the
 * ciphertext starts with {@value #BOUND} to tell. Such a value opens only under the same binding,
 * so one copied into another workspace, object or field fails to open. Values sealed before
 * bindings existed (no prefix) still open under any binding; their owners seal them again, bound,
 * the next time they write their secrets ({@link #isBound}).
 */
public final class SecretKeyring {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The prefix of a ciphertext sealed to a field; base64 never holds a ':'. */
    static final String BOUND = "b1:";

    private final String activeKeyId;
    private final Map<String, SecretKeySpec> keys = new TreeMap<>();

    /**
     * @param activeKeyId the key that seals new values
     * @param base64Keys  key id → base64 of a 32-byte key
     */
    public SecretKeyring(String activeKeyId, Map<String, String> base64Keys) {
        base64Keys.forEach((id, encoded) -> keys.put(id, decodeKey(id, encoded)));
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("active secret key '" + activeKeyId + "' is not among the configured keys "
                    + keys.keySet());
        }
        this.activeKeyId = activeKeyId;
    }

    /** Seals a plaintext with the active key, bound to {@code owner}'s {@code field}. */
    public SealedValue seal(String plaintext, SecretOwner owner, String field) {
        return seal(plaintext, owner.binding(field));
    }

    /** Opens a value sealed to {@code owner}'s {@code field} (or sealed before bindings); fails for any other. */
    public String open(SealedValue value, SecretOwner owner, String field) {
        return open(value, owner.binding(field));
    }

    /**
     * Seals a plaintext with the active key and no binding: it opens under any. Only for values that
     * belong to no stored object (tests build launch commands with it).
     */
    public SealedValue seal(String plaintext) {
        return seal(plaintext, (String) null);
    }

    /** Opens a value sealed without a binding; a bound value needs {@link #open(SealedValue, SecretOwner, String)}. */
    public String open(SealedValue value) {
        return open(value, (String) null);
    }

    /** Whether the value is bound to a field (sealed since bindings exist); unbound ones are sealed again on write. */
    public static boolean isBound(SealedValue value) {
        return value.ciphertext() != null && value.ciphertext().startsWith(BOUND);
    }

    private SealedValue seal(String plaintext, String binding) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, activeKeyId, iv, binding);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return new SealedValue(activeKeyId, (binding == null ? "" : BOUND) + Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal secret with key " + activeKeyId, e);
        }
    }

    /**
     * Opens a sealed value under {@code binding}; fails if its key is unknown, the ciphertext was
     * tampered with, or it was sealed to another binding (a bound value opened without one included).
     */
    private String open(SealedValue value, String binding) {
        if (!keys.containsKey(value.keyId())) {
            throw new IllegalStateException("secret sealed with unknown key id '" + value.keyId() + "'");
        }
        boolean bound = isBound(value);
        if (bound && binding == null) {
            throw new IllegalStateException("the secret is bound to a field; open it with its owner");
        }
        byte[] in = Base64.getDecoder().decode(bound ? value.ciphertext().substring(BOUND.length()) : value.ciphertext());
        if (in.length <= IV_BYTES) {
            throw new IllegalStateException("sealed secret is truncated");
        }
        try {
            byte[] iv = java.util.Arrays.copyOfRange(in, 0, IV_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, value.keyId(), iv, bound ? binding : null);
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(bound
                    ? "sealed secret cannot be opened with key " + value.keyId() + " for this field (moved, or tampered with)"
                    : "sealed secret cannot be opened with key " + value.keyId(), e);
        }
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    /** Whether the ring holds a key of this id. */
    boolean hasKey(String keyId) {
        return keyId != null && keys.containsKey(keyId);
    }

    /**
     * A key of its own for one use, derived from the ring's key {@code keyId}: HMAC-SHA256 of
     * {@code label} under that key (HKDF-Expand's single block, with the label as its info), so
     * what it is used for never touches the key that seals secrets.
     */
    byte[] derive(String keyId, String label) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("no key '" + keyId + "' in the keyring");
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(new byte[] { 1 });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Associated data: the key id, and for a bound value a NUL and the binding (workspace|kind|id|field). */
    private Cipher cipher(int mode, String keyId, byte[] iv, String binding) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, keys.get(keyId), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
        if (binding != null) {
            cipher.updateAAD(new byte[] { 0 });
            cipher.updateAAD(binding.getBytes(StandardCharsets.UTF_8));
        }
        return cipher;
    }

    private static SecretKeySpec decodeKey(String id, String encoded) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret key '" + id + "' is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("secret key '" + id + "' must be 32 bytes (AES-256), got " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }
}
