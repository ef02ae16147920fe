package io.jobplane.api.run;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Launching runs and reading their status. */
@Path("/api/v1/workspaces/{workspace}")
@Authenticated
@Tag(name = "Runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunService runs;
    private final RunQueryService queries;
    private final WorkspaceGuard guard;

    public RunResource(RunService runs, RunQueryService queries, WorkspaceGuard guard) {
        this.runs = runs;
        this.queries = queries;
        this.guard = guard;
    }

    @POST
    @Path("/jobs/{job_id}/runs")
    @Operation(summary = "Launch a run of the job (202); repeat with the same Idempotency-Key to get the same run")
    public Uni<Response> launch(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @Parameter(description = "Makes retries safe: the same key for the same job gives the same run")
            @HeaderParam("Idempotency-Key") @Pattern(regexp = "[\\x21-\\x7e]{1,255}",
                    message = "must be 1 to 255 visible ASCII characters") String idempotencyKey) {
        return runs.launch(guard.require(workspace, Role.OPERATOR), jobId, idempotencyKey)
                .map(result -> Response.accepted(result)
                        .location(URI.create("/api/v1/workspaces/" + workspace + "/runs/" + result.runId()))
                        .header("Idempotent-Replayed", result.replayed())
                        .build());
    }

    @GET
    @Path("/runs/{run_id}")
    @Operation(summary = "Status of a run with per-task detail")
    public Uni<RunStatusView> status(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId) {
        return queries.status(guard.require(workspace, Role.VIEWER), runId);
    }
}
