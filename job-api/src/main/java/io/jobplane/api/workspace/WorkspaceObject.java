package io.jobplane.api.workspace;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

import org.hibernate.annotations.UuidGenerator;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A definition that belongs to one workspace: a time-ordered id (UUIDv7), who made it and when,
 * and a version that guards against lost concurrent updates.
 */
@MappedSuperclass
public abstract class WorkspaceObject extends PanacheEntityBase {

    @Id
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    public String workspace;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "created_by")
    public String createdBy;
    @Version
    public int version;

    /** Stamps a new object as made now by {@code subject} in {@code workspaceId}. */
    public void createdBy(String workspaceId, String subject) {
        workspace = workspaceId;
        createdBy = subject;
        createdAt = Instant.now();
        updatedAt = createdAt;
    }
}
