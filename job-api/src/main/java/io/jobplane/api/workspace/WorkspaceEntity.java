package io.jobplane.api.workspace;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** What a workspace is: its name and description. Membership lives in the caller's token. */
@Entity
@Table(name = "workspace")
public class WorkspaceEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "display_name")
    public String displayName;
    public String description;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "created_by")
    public String createdBy;
    @Version
    public int version;
}
