package io.jobplane.api.pool;

import java.util.List;

import jakarta.validation.Valid;
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

/** A workspace's named pools of slots, which jobs share (execution.pool). */
@Path("/api/v1/workspaces/{workspace}/pools")
@Authenticated
@Tag(name = "Workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PoolResource {

    private final PoolService pools;
    private final WorkspaceGuard guard;

    public PoolResource(PoolService pools, WorkspaceGuard guard) {
        this.pools = pools;
        this.guard = guard;
    }

    @GET
    @Operation(summary = "The workspace's pools, by name, with the slots in use (viewer)")
    public Uni<List<PoolView>> list(@PathParam("workspace") String workspace) {
        return pools.list(guard.require(workspace, Role.VIEWER));
    }

    @PUT
    @Path("/{name}")
    @Operation(summary = "Create or change a pool: 201 when created, 200 when changed (admin)")
    public Uni<Response> put(@PathParam("workspace") String workspace, @PathParam("name") String name,
            @Valid @NotNull PoolRequest request) {
        return pools.put(guard.require(workspace, Role.ADMIN), name, request)
                .map(put -> Response.status(put.created() ? Response.Status.CREATED : Response.Status.OK).entity(put.pool())
                        .build());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One pool, with the slots its active runs hold (viewer)")
    public Uni<PoolView> get(@PathParam("workspace") String workspace, @PathParam("name") String name) {
        return pools.get(guard.require(workspace, Role.VIEWER), name);
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a pool no job names; 409 POOL_IN_USE otherwise (admin)")
    public Uni<Response> delete(@PathParam("workspace") String workspace, @PathParam("name") String name) {
        return pools.delete(guard.require(workspace, Role.ADMIN), name).replaceWith(Response.noContent().build());
    }
}
