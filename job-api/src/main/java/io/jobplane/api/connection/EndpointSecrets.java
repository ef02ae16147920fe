package io.jobplane.api.connection;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jobplane.api.error.ApiException;

/**
 * A connection's secrets belong to its endpoint. An update that points the connection somewhere
 * else (a new {@code jdbc_url}, host, port or database, {@code base_url} or {@code base_path}) must
 * send every secret the connection keeps again, or name it in {@code remove_secrets}: otherwise an
 * editor could redirect a connection to a server of their own and receive its password there.
 * Decided without I/O, before anything is written.
 */
final class EndpointSecrets {

    /** The stored fields that say where a connection points; host, port and database change jdbc_url. */
    static final Set<String> ENDPOINT_FIELDS = Set.of("jdbc_url", "base_url", "base_path");

    private EndpointSecrets() {
    }

    /**
     * The secrets that must come again: those held, when an endpoint field changed, that the update
     * neither supplies (non-empty) nor removes. Empty when the endpoint is unchanged.
     */
    static List<String> missing(Collection<String> changedFields, Collection<String> held, Map<String, String> supplied,
            Collection<String> removed) {
        if (changedFields.stream().noneMatch(ENDPOINT_FIELDS::contains)) {
            return List.of();
        }
        return held.stream().sorted()
                .filter(name -> !removed.contains(name))
                .filter(name -> supplied.get(name) == null || supplied.get(name).isEmpty())
                .toList();
    }

    /** Refuses the update when {@link #missing} names any secret. */
    static void require(Collection<String> changedFields, Collection<String> held, Map<String, String> supplied,
            Collection<String> removed) {
        List<String> missing = missing(changedFields, held, supplied, removed);
        if (!missing.isEmpty()) {
            List<String> endpoint = changedFields.stream().filter(ENDPOINT_FIELDS::contains).sorted().toList();
            throw ApiException.badRequest("SECRET_REQUIRED",
                    "The connection's endpoint changes (" + String.join(", ", endpoint)
                            + ") but its secrets were not sent again: " + String.join(", ", missing),
                    "Send " + String.join(", ", missing) + " in the same update (secret_headers.<name> inside secret_headers),"
                            + " or name them in remove_secrets. Secrets never follow a connection to a new endpoint.");
        }
    }
}
