package io.jobplane.events.payload;

/**
 * A secret as it travels and rests: AES-GCM ciphertext with the id of the key that sealed it.
 * Its plaintext never appears on a topic, in a response or in a log line.
 */
public record SealedValue(String keyId, String ciphertext) {
    @Override
    public String toString() {
        return "SealedValue[keyId=" + keyId + ", ciphertext=***]";
    }
}
