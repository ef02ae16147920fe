package io.jobplane.api.workspace;

import java.time.Instant;
import java.util.Map;

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
    public static WorkspaceEntity register(WorkspaceRequest request, String subject) {
        WorkspaceEntity e = new WorkspaceEntity();
        e.id = request.workspaceId();
        e.displayName = request.displayName();
        e.description = request.description();
        e.maxActiveRuns = request.maxActiveRuns();
        e.stampCreated(subject);
        return e;
    }

    /** Replaces the settings as a whole; answers what the audit trail records of the change. */
    public Map<String, Object> replace(WorkspaceUpdate change) {
        displayName = change.displayName();
        description = change.description();
        maxActiveRuns = change.maxActiveRuns();
        updatedAt = Instant.now();
        return maxActiveRuns == null ? Map.of("display_name", displayName)
                : Map.of("display_name", displayName, "max_active_runs", maxActiveRuns);
    }
}
