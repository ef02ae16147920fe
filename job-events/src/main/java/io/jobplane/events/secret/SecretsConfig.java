package io.jobplane.events.secret;

import java.util.Map;

import io.smallrye.config.ConfigMapping;

/** The keyring that seals secrets at rest and in commands: {@code jobplane.secrets.*}. */
@ConfigMapping(prefix = "jobplane.secrets")
public interface SecretsConfig {
    /** Key that seals new secrets. */
    String activeKeyId();

    /** Key id → base64 of a 32-byte AES key; keep retired keys here until nothing uses them. */
    Map<String, String> keys();
}
