package io.jobplane.events.payload;

import java.util.Map;

/**
 * A connection as the worker needs it, its secrets sealed. Database connections carry
 * {@code jdbcUrl}, {@code username} and {@code password}; a {@code filesystem} connection its
 * {@code basePath}; an {@code http} connection its {@code baseUrl} and plain {@code headers}.
 * {@code secrets} holds the connection's other sealed fields by name: {@code auth_token}, and one
 * {@code secret_headers.<header name>} per secret header (workers also take a single
 * {@code secret_headers}, a sealed JSON object of header name → value); absent when there are none.
 */
public record ConnectionSpec(
        String connectionId,
        String type,
        String jdbcUrl,
        String username,
        SealedValue password,
        String basePath,
        String baseUrl,
        Map<String, String> headers,
        Map<String, SealedValue> secrets) {

    /** A database connection. */
    public ConnectionSpec(String connectionId, String type, String jdbcUrl, String username, SealedValue password) {
        this(connectionId, type, jdbcUrl, username, password, null, null, null, null);
    }

    /** The sealed field of that name ({@code password} included), or null. */
    public SealedValue secret(String name) {
        if ("password".equals(name)) {
            return password;
        }
        return secrets == null ? null : secrets.get(name);
    }
}
