package io.jobplane.api.freeze;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** A workspace's freeze window: while it lasts no new run is admitted. */
@Path("/api/v1/workspaces/{workspace}/freeze")
@Authenticated
@Tag(name = "Workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FreezeResource {

    private final FreezeService freezes;
    private final WorkspaceGuard guard;

    public FreezeResource(FreezeService freezes, WorkspaceGuard guard) {
        this.freezes = freezes;
        this.guard = guard;
    }

    @PUT
    @Operation(summary = "Freeze the workspace from a time until a time: launches wait or are refused (admin)")
    public Uni<FreezeView> put(@PathParam("workspace") String workspace, @NotNull FreezeRequest request) {
        return freezes.put(guard.require(workspace, Role.ADMIN), request);
    }

    @GET
    @Operation(summary = "The workspace's freeze window (viewer)")
    public Uni<FreezeView> get(@PathParam("workspace") String workspace) {
        return freezes.get(guard.require(workspace, Role.VIEWER));
    }

    @DELETE
    @Operation(summary = "End the freeze now; runs it held start (admin)")
    public Uni<Response> delete(@PathParam("workspace") String workspace) {
        return freezes.delete(guard.require(workspace, Role.ADMIN)).replaceWith(Response.noContent().build());
    }
}
