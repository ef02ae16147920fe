package io.jobplane.api.secret;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;

import io.jobplane.api.json.StoredJson;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.secret.Masking;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;

/**
 * The write-only fields of one object (a connection's password, a job parameter's access key…),
 * each sealed with AES-GCM under the keyring's active key, bound to its workspace, object and field
 * ({@link SecretOwner}), and stored as {@code {field: {key_id, ciphertext}}}. Reads show which
 * fields are set, never their values.
 */
public final class SealedFields {

    private static final TypeReference<Map<String, SealedValue>> TYPE = new TypeReference<>() {
    };

    private final Map<String, SealedValue> sealed;
    private boolean resealed;

    private SealedFields(Map<String, SealedValue> sealed) {
        this.sealed = sealed;
    }

    public static SealedFields read(String json) {
        return new SealedFields(StoredJson.readMap(json, TYPE));
    }

    public String json() {
        return StoredJson.write(sealed);
    }

    public SealedValue get(String field) {
        return sealed.get(field);
    }

    /** The names of the fields that hold a secret, sorted. */
    public List<String> names() {
        return List.copyOf(sealed.keySet());
    }

    /**
     * Seals the given clear values, each bound to {@code owner}'s field of its name. A null or empty
     * value keeps what is stored (the documents' rule: "if the value is empty, the secret does not
     * need to be updated"); {@code remove} names fields to drop. Values still sealed without a
     * binding (before bindings existed) are sealed again, bound, on the way ({@link #resealed}).
     * Returns the fields that changed, for the audit trail.
     */
    public List<String> merge(Map<String, String> clear, Collection<String> remove, SecretKeyring keyring, SecretOwner owner) {
        List<String> changed = new ArrayList<>();
        for (String field : remove) {
            if (sealed.remove(field) != null) {
                changed.add(field);
            }
        }
        new TreeMap<>(clear).forEach((field, value) -> {
            if (value != null && !value.isEmpty()) {
                sealed.put(field, keyring.seal(value, owner, field));
                changed.add(field);
            }
        });
        for (Map.Entry<String, SealedValue> e : sealed.entrySet()) {
            if (!SecretKeyring.isBound(e.getValue())) {
                e.setValue(keyring.seal(keyring.open(e.getValue(), owner, e.getKey()), owner, e.getKey()));
                resealed = true;
            }
        }
        return changed;
    }

    /** Whether {@link #merge} sealed values again that were stored without a binding: the fields must be written back. */
    public boolean resealed() {
        return resealed;
    }

    /** Every clear value, for the rare moment that needs them (a connection test) and for masking output. */
    public Map<String, String> open(SecretKeyring keyring, SecretOwner owner) {
        Map<String, String> clear = new TreeMap<>();
        sealed.forEach((field, value) -> clear.put(field, keyring.open(value, owner, field)));
        return clear;
    }

    /** Replaces every secret value found in {@code text} by {@code ***}. */
    public static String mask(String text, Collection<String> secrets) {
        return Masking.mask(text, secrets);
    }
}
