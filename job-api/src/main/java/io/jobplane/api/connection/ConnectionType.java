package io.jobplane.api.connection;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Kinds of systems a connection points at, each with the fields it takes. Secret fields are
 * write-only: stored sealed, never read back.
 */
public enum ConnectionType {
    POSTGRESQL("postgresql", List.of("jdbc:postgresql://"), 5432,
            Set.of("jdbc_url", "host", "port", "database", "username"), Set.of("password")),
    MYSQL("mysql", List.of("jdbc:mysql://"), 3306,
            Set.of("jdbc_url", "host", "port", "database", "username"), Set.of("password")),
    /** A Hive metastore reached through its backing database (MySQL or PostgreSQL). */
    HIVE_METASTORE("hive_metastore", List.of("jdbc:mysql://", "jdbc:postgresql://"), 0,
            Set.of("jdbc_url", "username"), Set.of("password")),
    /** A directory tree: folder loads read from it, file copies write to it. */
    FILESYSTEM("filesystem", List.of(), 0, Set.of("base_path"), Set.of()),
    /** An HTTP API: reverse ETL posts to it. */
    HTTP("http", List.of(), 0, Set.of("base_url", "headers", "username"),
            Set.of("password", "auth_token", "secret_headers")),
    /**
     * A Treasure Data account: its REST API endpoint ({@code base_url}, https) and the write-only API
     * key the worker sends as {@code Authorization: TD1 <api_key>}. Platform-metadata ingest reads
     * from it.
     */
    TREASURE_DATA("treasure_data", List.of(), 0, Set.of("base_url"), Set.of("api_key"));

    private final String wire;
    private final List<String> jdbcPrefixes;
    private final int defaultPort;
    private final Set<String> fields;
    private final Set<String> secretFields;

    ConnectionType(String wire, List<String> jdbcPrefixes, int defaultPort, Set<String> fields, Set<String> secretFields) {
        this.wire = wire;
        this.jdbcPrefixes = jdbcPrefixes;
        this.defaultPort = defaultPort;
        this.fields = fields;
        this.secretFields = secretFields;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ConnectionType fromWire(String value) {
        for (ConnectionType type : values()) {
            if (type.wire.equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown connection type '" + value + "'");
    }

    /** True for types reached over JDBC: they have a {@code jdbc_url}. */
    public boolean isJdbc() {
        return !jdbcPrefixes.isEmpty();
    }

    /** True for the databases jobs read from and write tables to. */
    public boolean isDatabase() {
        return this == POSTGRESQL || this == MYSQL;
    }

    List<String> jdbcPrefixes() {
        return jdbcPrefixes;
    }

    int defaultPort() {
        return defaultPort;
    }

    /** Whether a connection of this type takes the named field (plain or secret). */
    boolean takes(String field) {
        return fields.contains(field) || secretFields.contains(field);
    }

    /** Every field this type takes, for error messages. */
    String describeFields() {
        return new java.util.TreeSet<>(fields) + (secretFields.isEmpty() ? "" : ", write-only " + new java.util.TreeSet<>(secretFields));
    }

    @Override
    public String toString() {
        return wire;
    }
}
