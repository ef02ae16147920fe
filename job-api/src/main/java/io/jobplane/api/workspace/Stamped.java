package io.jobplane.api.workspace;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Who made a definition and when, and the version that guards it against lost concurrent updates. */
@MappedSuperclass
public abstract class Stamped extends PanacheEntityBase {

    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "created_by")
    public String createdBy;
    @Version
    public int version;

    /** Stamps a new object as made now by {@code subject}. */
    protected void stampCreated(String subject) {
        createdBy = subject;
        createdAt = Instant.now();
        updatedAt = createdAt;
    }
}
