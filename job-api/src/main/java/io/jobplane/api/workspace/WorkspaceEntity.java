package io.jobplane.api.workspace;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What a workspace is: its name and description. Membership lives in the caller's token. */
@Entity
@Table(name = "workspace")
public class WorkspaceEntity extends Stamped {

    @Id
    public String id;
    @Column(name = "display_name")
    public String displayName;
    public String description;

    /** A new workspace registered now by {@code subject}. */
    public static WorkspaceEntity register(String id, String displayName, String description, String subject) {
        WorkspaceEntity e = new WorkspaceEntity();
        e.id = id;
        e.displayName = displayName;
        e.description = description;
        e.stampCreated(subject);
        return e;
    }
}
