package io.jobplane.api.connection;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.jobplane.api.workspace.WorkspaceObject;
import io.jobplane.events.payload.SealedValue;
import io.smallrye.mutiny.Uni;

/** A connection to a system tasks run against. The password is stored sealed, never in clear. */
@Entity
@Table(name = "connection")
public class ConnectionEntity extends WorkspaceObject {

    public String name;
    public String type;
    public String host;
    public Integer port;
    @Column(name = "database_name")
    public String databaseName;
    @Column(name = "jdbc_url")
    public String jdbcUrl;
    public String username;
    @Column(name = "password_key_id")
    public String passwordKeyId;
    @Column(name = "password_ciphertext")
    public String passwordCiphertext;

    /** The sealed password, or null when the connection has none. */
    public SealedValue sealedPassword() {
        return passwordCiphertext == null ? null : new SealedValue(passwordKeyId, passwordCiphertext);
    }

    public void sealedPassword(SealedValue sealed) {
        passwordKeyId = sealed == null ? null : sealed.keyId();
        passwordCiphertext = sealed == null ? null : sealed.ciphertext();
    }

    public static Uni<ConnectionEntity> findInWorkspace(String workspace, UUID id) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult();
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + workspace + "/" + name + "]";
    }
}
