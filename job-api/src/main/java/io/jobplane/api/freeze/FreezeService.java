package io.jobplane.api.freeze;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Sets, shows and ends a workspace's freeze window; every change is audited. */
@ApplicationScoped
public class FreezeService {

    private final Audit audit;
    private final LaunchPipeline launches;

    public FreezeService(Audit audit, LaunchPipeline launches) {
        this.audit = audit;
        this.launches = launches;
    }

    /** Sets (or replaces) the caller's workspace's freeze window. */
    public Uni<FreezeView> put(Caller caller, FreezeRequest request) {
        Instant now = Instant.now();
        FreezeWindow window = FreezeWindow.of(request, now);
        String workspace = caller.workspace();
        return Panache.withTransaction(() -> FreezeEntity.<FreezeEntity>findById(workspace)
                .chain(existing -> {
                    FreezeEntity e = existing == null ? new FreezeEntity() : existing;
                    e.workspace = workspace;
                    e.startsAt = window.from();
                    e.endsAt = window.until();
                    e.mode = window.mode();
                    e.reason = window.reason();
                    e.setBy = caller.subject();
                    e.setAt = now;
                    return existing == null ? e.<FreezeEntity>persist() : Uni.createFrom().item(e);
                })
                .call(e -> audit.record(caller, "workspace.frozen", "workspace", workspace, Map.of("from",
                        e.startsAt.toString(), "until", e.endsAt.toString(), "mode", e.mode.name(), "reason", e.reason)))
                .map(e -> FreezeView.of(e, now)))
                // A window moved to the future lets the runs an earlier one held go now.
                .call(view -> view.active() ? Uni.createFrom().voidItem() : admit(workspace));
    }

    @WithSession
    public Uni<FreezeView> get(Caller caller) {
        return FreezeEntity.<FreezeEntity>findById(caller.workspace())
                .onItem().ifNull().failWith(() -> none(caller.workspace()))
                .map(e -> FreezeView.of(e, Instant.now()));
    }

    /** Ends the freeze at once: once that is committed, the runs it held are admitted. */
    public Uni<Void> delete(Caller caller) {
        String workspace = caller.workspace();
        return Panache.withTransaction(() -> FreezeEntity.<FreezeEntity>findById(workspace)
                .onItem().ifNull().failWith(() -> none(workspace))
                .call(e -> audit.record(caller, "workspace.unfrozen", "workspace", workspace, Map.of("until",
                        e.endsAt.toString(), "mode", e.mode.name())))
                .call(e -> e.delete()))
                .chain(() -> admit(workspace));
    }

    /** Admits the workspace's waiting runs, in a transaction of its own: admission reads the freeze as committed. */
    private Uni<Void> admit(String workspace) {
        return Panache.withTransaction(() -> launches.admitWaiting(workspace)).replaceWithVoid();
    }

    private static ApiException none(String workspace) {
        return new ApiException(Status.NOT_FOUND, "FREEZE_NOT_FOUND", "Workspace '" + workspace + "' has no freeze window",
                "Set one with PUT /api/v1/workspaces/" + workspace + "/freeze.");
    }
}
