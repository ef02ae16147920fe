package io.jobplane.events.secret;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

/** CDI producer of the keyring for services on Quarkus; a bad key fails startup, not a request. */
public class KeyringProducer {

    @Produces
    @Singleton
    SecretKeyring keyring(SecretsConfig config) {
        return new SecretKeyring(config.activeKeyId(), config.keys());
    }
}
