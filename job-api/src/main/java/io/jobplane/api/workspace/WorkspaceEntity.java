package io.jobplane.api.workspace;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.jobplane.api.json.StoredJson;
import io.jobplane.api.quota.QuotaLimits;

/** What a workspace is: its name, description, run cap and quotas. Membership lives in the caller's token. */
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
    /** {@link QuotaLimits} the workspace sets for itself, JSON; fields left out take the deployment's. */
    public String quotas = "{}";

    /** A new workspace registered now by {@code subject}. */
    public static WorkspaceEntity register(WorkspaceRequest request, String subject) {
        WorkspaceEntity e = new WorkspaceEntity();
        e.id = request.workspaceId();
        e.displayName = request.displayName();
        e.description = request.description();
        e.maxActiveRuns = request.maxActiveRuns();
        e.quotas = StoredJson.write(request.quotas() == null ? QuotaLimits.NONE : request.quotas());
        e.stampCreated(subject);
        return e;
    }

    /** Replaces the settings as a whole; answers what the audit trail records of the change. */
    public Map<String, Object> replace(WorkspaceUpdate change) {
        displayName = change.displayName();
        description = change.description();
        maxActiveRuns = change.maxActiveRuns();
        quotas = StoredJson.write(change.quotas() == null ? QuotaLimits.NONE : change.quotas());
        updatedAt = Instant.now();
        Map<String, Object> recorded = new java.util.LinkedHashMap<>();
        recorded.put("display_name", displayName);
        if (maxActiveRuns != null) {
            recorded.put("max_active_runs", maxActiveRuns);
        }
        if (!quotas().isEmpty()) {
            recorded.put("quotas", quotas());
        }
        return recorded;
    }

    /** The quotas the workspace sets for itself (fields left out: none of its own). */
    public QuotaLimits quotas() {
        QuotaLimits own = quotas == null ? null : StoredJson.read(quotas, QuotaLimits.class);
        return own == null ? QuotaLimits.NONE : own;
    }
}
