package io.jobplane.api.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.jobplane.events.secret.SecretKeyring;

/** Builds the secret keyring once from configuration; a bad key fails startup, not a request. */
public class Keyring {

    @Produces
    @ApplicationScoped
    SecretKeyring keyring(SecretsConfig config) {
        return new SecretKeyring(config.activeKeyId(), config.keys());
    }
}
