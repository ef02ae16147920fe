package io.jobplane.api.retention;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.config.RetentionConfig;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.security.Caller;
import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.WorkspaceRetention;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Shows and sets a workspace's retention policy. A change is audited and announced to the read model
 * ({@code jobplane.workspace.retention} through the outbox) in its own transaction.
 */
@ApplicationScoped
public class RetentionService {

    private final Audit audit;
    private final Outbox outbox;
    private final RetentionPolicy defaults;

    public RetentionService(Audit audit, Outbox outbox, RetentionConfig config) {
        this.audit = audit;
        this.outbox = outbox;
        this.defaults = defaults(config);
    }

    /** The platform's defaults, checked like a workspace's policy (a bad configuration fails at start). */
    static RetentionPolicy defaults(RetentionConfig config) {
        try {
            return new RetentionPolicy(config.defaultLogsDays(), config.defaultRunsDays());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("jobplane.retention.default-logs-days/default-runs-days: " + e.getMessage(), e);
        }
    }

    public RetentionPolicy defaults() {
        return defaults;
    }

    @WithSession
    public Uni<RetentionView> get(Caller caller) {
        return RetentionEntity.<RetentionEntity>findById(caller.workspace()).map(e -> view(caller.workspace(), e));
    }

    /** Sets (or replaces) the caller's workspace's policy. */
    public Uni<RetentionView> put(Caller caller, RetentionRequest request) {
        RetentionPolicy policy = RetentionPolicy.of(request);
        String workspace = caller.workspace();
        Instant now = Instant.now();
        return Panache.withTransaction(() -> RetentionEntity.<RetentionEntity>findById(workspace)
                .chain(existing -> {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("logs_days", policy.logsDays());
                    details.put("runs_days", policy.runsDays());
                    RetentionPolicy before = existing == null ? defaults : new RetentionPolicy(existing.logsDays, existing.runsDays);
                    details.put("previous_logs_days", before.logsDays());
                    details.put("previous_runs_days", before.runsDays());
                    RetentionEntity e = existing == null ? new RetentionEntity() : existing;
                    e.workspace = workspace;
                    e.logsDays = policy.logsDays();
                    e.runsDays = policy.runsDays();
                    e.setBy = caller.subject();
                    e.setAt = now;
                    Uni<RetentionEntity> saved = existing == null ? e.<RetentionEntity>persist() : Uni.createFrom().item(e);
                    return saved.call(() -> audit.record(caller, "workspace.retention.set", "workspace", workspace, details))
                            .call(() -> outbox.append(Topics.RUN_EVENTS, announcement(workspace, policy, WorkspaceRetention.WORKSPACE, now)));
                })
                .map(e -> view(workspace, e)))
                .invoke(outbox::committed);
    }

    /** The event that tells the read model a workspace's policy; keyed (subject) by the workspace. */
    static CloudEvent announcement(String workspace, RetentionPolicy policy, String source, Instant now) {
        return CloudEvent.of(Outbox.SOURCE, EventTypes.WORKSPACE_RETENTION, workspace,
                new WorkspaceRetention(workspace, policy.logsDays(), policy.runsDays(), source, now));
    }

    private RetentionView view(String workspace, RetentionEntity e) {
        return e == null
                ? new RetentionView(workspace, defaults.logsDays(), defaults.runsDays(), WorkspaceRetention.DEFAULT, null, null)
                : new RetentionView(workspace, e.logsDays, e.runsDays, WorkspaceRetention.WORKSPACE, e.setBy, e.setAt);
    }
}
