package io.jobplane.api.retention;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** A workspace's retention policy: how long ended runs and their logs are kept before they are purged. */
@Path("/api/v1/workspaces/{workspace}/retention")
@Authenticated
@Tag(name = "Workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RetentionResource {

    private final RetentionService retention;
    private final WorkspaceGuard guard;

    public RetentionResource(RetentionService retention, WorkspaceGuard guard) {
        this.retention = retention;
        this.guard = guard;
    }

    @PUT
    @Operation(summary = "Set how many days ended runs and their logs are kept before they are purged (admin)")
    public Uni<RetentionView> put(@PathParam("workspace") String workspace, RetentionRequest request) {
        return retention.put(guard.require(workspace, Role.ADMIN), request);
    }

    @GET
    @Operation(summary = "The workspace's retention policy, or the platform's defaults (viewer)")
    public Uni<RetentionView> get(@PathParam("workspace") String workspace) {
        return retention.get(guard.require(workspace, Role.VIEWER));
    }
}
