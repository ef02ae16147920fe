package io.jobplane.api.backfill;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

/** Backfills: runs of a job's schedule ticks over a past (or future) range. */
@Path("/api/v1/workspaces/{workspace}")
@Authenticated
@Tag(name = "Backfills")
@Produces(MediaType.APPLICATION_JSON)
public class BackfillResource {

    private final BackfillService backfills;
    private final WorkspaceGuard guard;

    public BackfillResource(BackfillService backfills, WorkspaceGuard guard) {
        this.backfills = backfills;
        this.guard = guard;
    }

    @POST
    @Path("/jobs/{job_id}/backfill")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Launch one run per schedule tick from..to (202), each with the tick as its execution date; "
            + "runs over the job's max_active_runs wait QUEUED")
    public Uni<Response> create(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @Valid @NotNull BackfillRequest request) {
        return backfills.create(guard.require(workspace, Role.OPERATOR), jobId, request)
                .map(view -> Response.accepted(view)
                        .location(URI.create("/api/v1/workspaces/" + workspace + "/backfills/" + view.backfillId())).build());
    }

    @GET
    @Path("/backfills/{backfill_id}")
    @Operation(summary = "A backfill's state and its runs")
    public Uni<BackfillView> get(@PathParam("workspace") String workspace, @PathParam("backfill_id") UUID backfillId) {
        return backfills.get(guard.require(workspace, Role.VIEWER), backfillId);
    }

    @POST
    @Path("/backfills/{backfill_id}/cancel")
    @Operation(summary = "Cancel a backfill (202): its queued runs stop at once, its running ones are cancelled")
    public Uni<Response> cancel(@PathParam("workspace") String workspace, @PathParam("backfill_id") UUID backfillId) {
        return backfills.cancel(guard.require(workspace, Role.OPERATOR), backfillId)
                .map(view -> Response.accepted(view).build());
    }
}
