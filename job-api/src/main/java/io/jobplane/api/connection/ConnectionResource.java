package io.jobplane.api.connection;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.POST;
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
import io.jobplane.api.workspace.Versions;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Connections of a workspace. */
@Path("/api/v1/workspaces/{workspace}/connections")
@Authenticated
@Tag(name = "Connections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectionResource {

    private final ConnectionService connections;
    private final WorkspaceGuard guard;

    public ConnectionResource(ConnectionService connections, WorkspaceGuard guard) {
        this.connections = connections;
        this.guard = guard;
    }

    @POST
    @Operation(summary = "Create a connection; the password is write-only")
    public Uni<Response> create(@PathParam("workspace") String workspace, @Valid @NotNull ConnectionRequest request) {
        return connections.create(guard.require(workspace, Role.EDITOR), request)
                .map(view -> Response.created(URI.create(
                        "/api/v1/workspaces/" + workspace + "/connections/" + view.connectionId()))
                        .entity(view).build());
    }

    @GET
    @Operation(summary = "List the connections of a workspace")
    public Uni<List<ConnectionView>> list(@PathParam("workspace") String workspace) {
        return connections.list(guard.require(workspace, Role.VIEWER));
    }

    @GET
    @Path("/{connection_id}")
    @Operation(summary = "Get one connection; the ETag is its version")
    public Uni<Response> get(@PathParam("workspace") String workspace, @PathParam("connection_id") UUID connectionId) {
        return connections.get(guard.require(workspace, Role.VIEWER), connectionId)
                .map(view -> Response.ok(view).tag(Versions.etag(view.version())).build());
    }

    @PUT
    @Path("/{connection_id}")
    @Operation(summary = "Change a connection; fields left out, and an empty password, keep their value")
    public Uni<Response> update(@PathParam("workspace") String workspace, @PathParam("connection_id") UUID connectionId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Valid @NotNull ConnectionUpdate change) {
        return connections.update(guard.require(workspace, Role.EDITOR), connectionId, change, ifMatch)
                .map(view -> Response.ok(view).tag(Versions.etag(view.version())).build());
    }

    @POST
    @Path("/{connection_id}/test")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Check that the connection really connects; answers ok, latency and server version, or the error")
    public Uni<ConnectionTester.Result> test(@PathParam("workspace") String workspace,
            @PathParam("connection_id") UUID connectionId) {
        return connections.test(guard.require(workspace, Role.EDITOR), connectionId);
    }

    @DELETE
    @Path("/{connection_id}")
    @Operation(summary = "Delete a connection no job uses")
    public Uni<Response> delete(@PathParam("workspace") String workspace, @PathParam("connection_id") UUID connectionId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return connections.delete(guard.require(workspace, Role.EDITOR), connectionId, ifMatch)
                .map(ignored -> Response.noContent().build());
    }
}
