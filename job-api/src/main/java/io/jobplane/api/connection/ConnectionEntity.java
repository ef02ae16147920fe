package io.jobplane.api.connection;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.UuidGenerator;

import io.jobplane.events.payload.SealedValue;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A connection to a system tasks run against. The password is stored sealed, never in clear. */
@Entity
@Table(name = "connection")
public class ConnectionEntity extends PanacheEntityBase {

    @Id
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    public String workspace;
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
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "created_by")
    public String createdBy;
    @Version
    public int version;

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
