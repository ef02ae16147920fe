package io.jobplane.api.workspace;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What a workspace is: its name, description and run cap. Membership lives in the caller's token. */
@Entity
@Table(name = "workspace")
public class WorkspaceEntity extends Stamped {

    @Id
    public String id;
    @Column(name = "display_name")
    public String displayName;
    public String description;
    /** Runs of the workspace active at once; null: the deployment's default. */
    @Column(name = "max_active_runs")
    public Integer maxActiveRuns;

    /** A new workspace registered now by {@code subject}. */
    public static WorkspaceEntity register(String id, String displayName, String description, Integer maxActiveRuns,
            String subject) {
        WorkspaceEntity e = new WorkspaceEntity();
        e.id = id;
        e.displayName = displayName;
        e.description = description;
        e.maxActiveRuns = maxActiveRuns;
        e.stampCreated(subject);
        return e;
    }
}
