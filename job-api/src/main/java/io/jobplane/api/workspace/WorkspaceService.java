package io.jobplane.api.workspace;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Registers workspaces and replaces their settings. Membership is not stored: it is what the
 * caller's token says, so a workspace the token names exists for it whether registered or not.
 */
@ApplicationScoped
public class WorkspaceService {

    private final Audit audit;

    public WorkspaceService(Audit audit) {
        this.audit = audit;
    }

    /** Registers the caller's workspace; it must not be registered yet. */
    @WithTransaction
    public Uni<WorkspaceView> create(Caller caller, WorkspaceRequest request) {
        return WorkspaceEntity.<WorkspaceEntity>findById(request.workspaceId())
                .invoke(existing -> requireUnregistered(existing, request.workspaceId()))
                .chain(() -> WorkspaceEntity.register(request, caller.subject()).<WorkspaceEntity>persist())
                .call(e -> audit.record(caller, "workspace.created", "workspace", e.id, Map.of("display_name", e.displayName)))
                .map(e -> WorkspaceView.of(e.id, caller.role(), e));
    }

    /** Replaces the settings of the caller's registered workspace, if it is still at the version {@code ifMatch} names. */
    @WithTransaction
    public Uni<WorkspaceView> update(Caller caller, String ifMatch, WorkspaceUpdate change) {
        String workspace = caller.workspace();
        return WorkspaceEntity.<WorkspaceEntity>findById(workspace)
                .onItem().ifNull().failWith(() -> notRegistered(workspace))
                .invoke(e -> Versions.requireMatch(ifMatch, e))
                .call(e -> replace(caller, e, change))
                // Flushed here so the view shows the version the change gave.
                .call(e -> Panache.getSession().chain(s -> s.flush()))
                .map(e -> WorkspaceView.of(workspace, caller.role(), e));
    }

    /** The workspaces the token names, with the caller's role in each. */
    @WithSession
    public Uni<List<WorkspaceView>> list(Map<String, Role> mine) {
        if (mine.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return WorkspaceEntity.<WorkspaceEntity>list("id in ?1", List.copyOf(mine.keySet()))
                .map(registered -> WorkspaceView.all(mine, registered));
    }

    /** The caller's workspace. */
    @WithSession
    public Uni<WorkspaceView> get(Caller caller) {
        return WorkspaceEntity.<WorkspaceEntity>findById(caller.workspace())
                .map(e -> WorkspaceView.of(caller.workspace(), caller.role(), e));
    }

    private Uni<Void> replace(Caller caller, WorkspaceEntity workspace, WorkspaceUpdate change) {
        Map<String, Object> recorded = workspace.replace(change);
        return audit.record(caller, "workspace.updated", "workspace", workspace.id, recorded);
    }

    private static void requireUnregistered(WorkspaceEntity existing, String id) {
        if (existing != null) {
            throw ApiException.conflict("WORKSPACE_EXISTS", "Workspace '" + id + "' is already registered",
                    "Read it with GET /api/v1/workspaces/" + id + ".");
        }
    }

    private static ApiException notRegistered(String workspace) {
        return new ApiException(Status.NOT_FOUND, "WORKSPACE_NOT_REGISTERED",
                "Workspace '" + workspace + "' is not registered, so it has no settings to replace",
                "Register it with POST /api/v1/workspaces {\"workspace_id\": \"" + workspace
                        + "\", \"display_name\": …}; its settings are given there.");
    }
}
