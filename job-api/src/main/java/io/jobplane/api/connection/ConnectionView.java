package io.jobplane.api.connection;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A connection as the API shows it: the fields of its type and the names of the secrets it
 * holds ({@code secrets_set}), never their values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionView(
        UUID connectionId,
        String workspace,
        String name,
        ConnectionType type,
        String host,
        Integer port,
        String database,
        String jdbcUrl,
        String username,
        String basePath,
        String baseUrl,
        Map<String, String> headers,
        List<String> secretsSet,
        Instant createdAt,
        Instant updatedAt,
        int version) {

    static ConnectionView of(ConnectionEntity e) {
        Map<String, String> headers = e.type() == ConnectionType.HTTP ? e.headerMap() : null;
        return new ConnectionView(e.id, e.workspace, e.name, e.type(), e.host, e.port, e.databaseName, e.jdbcUrl,
                e.username, e.basePath, e.baseUrl, headers, e.sealed().names(), e.createdAt, e.updatedAt, e.version);
    }
}
