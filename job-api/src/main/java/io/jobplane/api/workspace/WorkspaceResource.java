package io.jobplane.api.workspace;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The workspaces a token may use, and their settings. */
@Path("/api/v1/workspaces")
@Authenticated
@Tag(name = "Workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WorkspaceResource {

    private final WorkspaceGuard guard;
    private final Audit audit;

    public WorkspaceResource(WorkspaceGuard guard, Audit audit) {
        this.guard = guard;
        this.audit = audit;
    }

    /** A workspace to register; its id must be one the token holds the admin role in. */
    public record WorkspaceRequest(
            @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "may contain letters, digits, '_', '.', '-'") String workspaceId,
            @NotBlank @Size(max = 255) String displayName,
            @Size(max = 4000) String description,
            @Min(1) @Max(100000) Integer maxActiveRuns) {
    }

    /** A registered workspace's settings, replaced as a whole; a left-out max_active_runs removes the cap. */
    public record WorkspaceUpdate(
            @NotBlank @Size(max = 255) String displayName,
            @Size(max = 4000) String description,
            @Min(1) @Max(100000) Integer maxActiveRuns) {
    }

    /** A workspace as the API shows it, with the caller's role in it. */
    public record WorkspaceView(String workspaceId, String displayName, String description, Integer maxActiveRuns,
            String role, boolean registered, Instant createdAt, Integer version) {
        static WorkspaceView of(String id, Role role, WorkspaceEntity e) {
            return e == null ? new WorkspaceView(id, id, null, null, role.name().toLowerCase(), false, null, null)
                    : new WorkspaceView(id, e.displayName, e.description, e.maxActiveRuns, role.name().toLowerCase(), true,
                            e.createdAt, e.version);
        }
    }

    @POST
    @WithTransaction
    @Operation(summary = "Register a workspace's name and description (admin of that workspace)")
    public Uni<Response> create(@Valid @NotNull WorkspaceRequest request) {
        Caller caller = guard.require(request.workspaceId(), Role.ADMIN);
        return WorkspaceEntity.<WorkspaceEntity>findById(request.workspaceId())
                .invoke(existing -> {
                    if (existing != null) {
                        throw ApiException.conflict("WORKSPACE_EXISTS", "Workspace '" + request.workspaceId()
                                + "' is already registered", "Read it with GET /api/v1/workspaces/" + request.workspaceId() + ".");
                    }
                })
                .chain(() -> WorkspaceEntity.register(request.workspaceId(), request.displayName(), request.description(),
                        request.maxActiveRuns(), caller.subject()).<WorkspaceEntity>persist())
                .call(e -> audit.record(caller, "workspace.created", "workspace", e.id, Map.of("display_name", e.displayName)))
                .map(e -> Response.created(URI.create("/api/v1/workspaces/" + e.id))
                        .tag(Versions.etag(e.version)).entity(WorkspaceView.of(e.id, caller.role(), e)).build());
    }

    @PUT
    @Path("/{workspace}")
    @WithTransaction
    @Operation(summary = "Replace a registered workspace's name, description and run cap (admin of that workspace)")
    public Uni<Response> update(@PathParam("workspace") String workspace, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull WorkspaceUpdate change) {
        Caller caller = guard.require(workspace, Role.ADMIN);
        return WorkspaceEntity.<WorkspaceEntity>findById(workspace)
                .onItem().ifNull().failWith(() -> new ApiException(Response.Status.NOT_FOUND, "WORKSPACE_NOT_REGISTERED",
                        "Workspace '" + workspace + "' is not registered, so it has no settings to replace",
                        "Register it with POST /api/v1/workspaces {\"workspace_id\": \"" + workspace
                                + "\", \"display_name\": …}; its settings are given there."))
                .invoke(e -> {
                    Versions.requireMatch(ifMatch, e);
                    e.displayName = change.displayName();
                    e.description = change.description();
                    e.maxActiveRuns = change.maxActiveRuns();
                    e.updatedAt = Instant.now();
                })
                .call(e -> audit.record(caller, "workspace.updated", "workspace", e.id,
                        change.maxActiveRuns() == null ? Map.of("display_name", e.displayName)
                                : Map.of("display_name", e.displayName, "max_active_runs", change.maxActiveRuns())))
                .call(e -> WorkspaceEntity.getSession().chain(s -> s.flush()))
                .map(e -> Response.ok(WorkspaceView.of(workspace, caller.role(), e)).tag(Versions.etag(e.version)).build());
    }

    @GET
    @WithSession
    @Operation(summary = "The workspaces your token may use, with your role in each")
    public Uni<List<WorkspaceView>> list() {
        Map<String, Role> mine = guard.workspaces();
        if (mine.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return WorkspaceEntity.<WorkspaceEntity>list("id in ?1", List.copyOf(mine.keySet()))
                .map(found -> mine.entrySet().stream()
                        .map(m -> WorkspaceView.of(m.getKey(), m.getValue(),
                                found.stream().filter(f -> f.id.equals(m.getKey())).findFirst().orElse(null)))
                        .toList());
    }

    @GET
    @Path("/{workspace}")
    @WithSession
    @Operation(summary = "One workspace")
    public Uni<WorkspaceView> get(@PathParam("workspace") String workspace) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        return WorkspaceEntity.<WorkspaceEntity>findById(workspace).map(e -> WorkspaceView.of(workspace, caller.role(), e));
    }
}
