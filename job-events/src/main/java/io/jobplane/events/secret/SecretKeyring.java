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
 */
public final class SecretKeyring {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

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

    /** Seals a plaintext with the active key. */
    public SealedValue seal(String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, activeKeyId, iv);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return new SealedValue(activeKeyId, Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal secret with key " + activeKeyId, e);
        }
    }

    /** Opens a sealed value; fails if its key is unknown or the ciphertext was tampered with. */
    public String open(SealedValue value) {
        if (!keys.containsKey(value.keyId())) {
            throw new IllegalStateException("secret sealed with unknown key id '" + value.keyId() + "'");
        }
        byte[] in = Base64.getDecoder().decode(value.ciphertext());
        if (in.length <= IV_BYTES) {
            throw new IllegalStateException("sealed secret is truncated");
        }
        try {
            byte[] iv = java.util.Arrays.copyOfRange(in, 0, IV_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, value.keyId(), iv);
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealed secret cannot be opened with key " + value.keyId(), e);
        }
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    private Cipher cipher(int mode, String keyId, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, keys.get(keyId), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
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
