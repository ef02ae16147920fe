package io.jobplane.api.audit;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The audit trail of a workspace. */
@Path("/api/v1/workspaces/{workspace}/audit")
@Authenticated
@Tag(name = "Audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final Audit audit;
    private final WorkspaceGuard guard;

    public AuditResource(Audit audit, WorkspaceGuard guard) {
        this.audit = audit;
        this.guard = guard;
    }

    @GET
    @Operation(summary = "Changes made in the workspace, newest first; page back with before=<id of the last entry>")
    public Uni<List<Audit.AuditEventView>> list(@PathParam("workspace") String workspace,
            @QueryParam("before") @Min(1) Long before,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return audit.list(guard.require(workspace, Role.VIEWER), before, limit);
    }
}
