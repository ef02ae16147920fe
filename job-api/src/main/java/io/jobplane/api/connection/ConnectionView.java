package io.jobplane.api.connection;

import java.time.Instant;
import java.util.UUID;

/** A connection as the API shows it: everything but the secret, and whether one is set. */
public record ConnectionView(
        UUID connectionId,
        String workspace,
        String name,
        String type,
        String host,
        Integer port,
        String database,
        String jdbcUrl,
        String username,
        boolean passwordSet,
        Instant createdAt,
        Instant updatedAt,
        int version) {

    static ConnectionView of(ConnectionEntity e) {
        return new ConnectionView(e.id, e.workspace, e.name, e.type, e.host, e.port, e.databaseName, e.jdbcUrl,
                e.username, e.passwordCiphertext != null, e.createdAt, e.updatedAt, e.version);
    }
}
