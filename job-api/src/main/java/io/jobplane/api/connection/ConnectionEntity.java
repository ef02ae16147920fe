package io.jobplane.api.connection;

import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import com.fasterxml.jackson.core.type.TypeReference;

import io.jobplane.api.json.StoredJson;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.api.workspace.WorkspaceObject;
import io.jobplane.events.sql.SqlTemplate;
import io.smallrye.mutiny.Uni;

/** A connection to a system jobs read from or write to. Its secrets are stored sealed, never in clear. */
@Entity
@Table(name = "connection")
public class ConnectionEntity extends WorkspaceObject {

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    public String name;
    public String type;
    public String host;
    public Integer port;
    @Column(name = "database_name")
    public String databaseName;
    @Column(name = "jdbc_url")
    public String jdbcUrl;
    public String username;
    @Column(name = "base_path")
    public String basePath;
    @Column(name = "base_url")
    public String baseUrl;
    /** Plain HTTP headers, JSON. */
    public String headers = "{}";
    /** Sealed secrets by field name, JSON; see {@link SealedFields}. */
    public String secrets = "{}";

    public ConnectionType type() {
        return ConnectionType.fromWire(type);
    }

    public Map<String, String> headerMap() {
        return StoredJson.readMap(headers, HEADERS);
    }

    public SealedFields sealed() {
        return SealedFields.read(secrets);
    }

    /** The SQL dialect tasks on this destination are read in; PostgreSQL's when there is none. */
    public static SqlTemplate.Dialect dialectOf(ConnectionEntity destination) {
        return SqlTemplate.Dialect.of(destination == null ? null : destination.type);
    }

    public static Uni<ConnectionEntity> findInWorkspace(String workspace, UUID id) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult();
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + workspace + "/" + name + "]";
    }
}
