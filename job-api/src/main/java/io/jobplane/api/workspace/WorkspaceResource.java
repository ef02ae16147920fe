package io.jobplane.api.workspace;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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

import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The workspaces a token may use, and their settings. */
@Path("/api/v1/workspaces")
@Authenticated
@Tag(name = "Workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WorkspaceResource {

    private final WorkspaceService workspaces;
    private final WorkspaceGuard guard;

    public WorkspaceResource(WorkspaceService workspaces, WorkspaceGuard guard) {
        this.workspaces = workspaces;
        this.guard = guard;
    }

    @POST
    @Operation(summary = "Register a workspace's name and description (admin of that workspace)")
    public Uni<Response> create(@Valid @NotNull WorkspaceRequest request) {
        return workspaces.create(guard.require(request.workspaceId(), Role.ADMIN), request)
                .map(view -> Response.created(URI.create("/api/v1/workspaces/" + view.workspaceId()))
                        .tag(Versions.etag(view.version())).entity(view).build());
    }

    @PUT
    @Path("/{workspace}")
    @Operation(summary = "Replace a registered workspace's name, description and run cap (admin of that workspace)")
    public Uni<Response> update(@PathParam("workspace") String workspace, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull WorkspaceUpdate change) {
        return workspaces.update(guard.require(workspace, Role.ADMIN), ifMatch, change)
                .map(view -> Response.ok(view).tag(Versions.etag(view.version())).build());
    }

    @GET
    @Operation(summary = "The workspaces your token may use, with your role in each")
    public Uni<List<WorkspaceView>> list() {
        return workspaces.list(guard.workspaces());
    }

    @GET
    @Path("/{workspace}")
    @Operation(summary = "One workspace")
    public Uni<WorkspaceView> get(@PathParam("workspace") String workspace) {
        return workspaces.get(guard.require(workspace, Role.VIEWER));
    }
}
