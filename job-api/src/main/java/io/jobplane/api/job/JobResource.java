package io.jobplane.api.job;

import java.net.URI;
import java.util.List;
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

/** Job definitions of a workspace. */
@Path("/api/v1/workspaces/{workspace}/jobs")
@Authenticated
@Tag(name = "Jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobService jobs;
    private final WorkspaceGuard guard;

    public JobResource(JobService jobs, WorkspaceGuard guard) {
        this.jobs = jobs;
        this.guard = guard;
    }

    @POST
    @Operation(summary = "Create a job with its ordered tasks")
    public Uni<Response> create(@PathParam("workspace") String workspace, @Valid @NotNull JobRequest request) {
        return jobs.create(guard.require(workspace, Role.EDITOR), request)
                .map(view -> Response.created(URI.create("/api/v1/workspaces/" + workspace + "/jobs/" + view.jobId()))
                        .entity(view).build());
    }

    @GET
    @Operation(summary = "List the jobs of a workspace")
    public Uni<List<JobView>> list(@PathParam("workspace") String workspace) {
        return jobs.list(guard.require(workspace, Role.VIEWER));
    }

    @GET
    @Path("/{job_id}")
    @Operation(summary = "Get one job with its tasks")
    public Uni<JobView> get(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        return jobs.get(guard.require(workspace, Role.VIEWER), jobId);
    }
}
