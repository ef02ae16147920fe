package io.jobplane.api.workspace;

import java.util.UUID;

import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import org.hibernate.annotations.UuidGenerator;

/** A definition that belongs to one workspace, with a time-ordered id (UUIDv7). */
@MappedSuperclass
public abstract class WorkspaceObject extends Stamped {

    @Id
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    public String workspace;

    /** Stamps a new object as made now by {@code subject} in {@code workspaceId}. */
    public void createdBy(String workspaceId, String subject) {
        workspace = workspaceId;
        stampCreated(subject);
    }
}
