package io.jobplane.api.job;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
                        .tag(Versions.etag(view.version())).entity(view).build());
    }

    @GET
    @Operation(summary = "List jobs: filter by type, label, status, name prefix; sort; page with a cursor")
    public Uni<JobView.Page> list(@PathParam("workspace") String workspace,
            @QueryParam("type") JobType type,
            @QueryParam("label") @Size(max = 63) String label,
            @QueryParam("status") JobStatus status,
            @QueryParam("name_prefix") @Size(max = 255) String namePrefix,
            @QueryParam("include_archived") @DefaultValue("false") boolean includeArchived,
            @QueryParam("sort") @DefaultValue("name") String sort,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") @Size(max = 2048) String cursor) {
        return jobs.list(guard.require(workspace, Role.VIEWER),
                new JobQuery(type, label, status, namePrefix, includeArchived, sort, limit, cursor));
    }

    @GET
    @Path("/{job_id}")
    @Operation(summary = "Get one job with its tasks; the ETag is its version")
    public Uni<Response> get(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        return jobs.get(guard.require(workspace, Role.VIEWER), jobId)
                .map(view -> Response.ok(view).tag(Versions.etag(view.version())).build());
    }

    @PUT
    @Path("/{job_id}")
    @Operation(summary = "Change a job; fields left out keep their value. If-Match makes the change conditional (412)")
    public Uni<Response> update(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Valid @NotNull JobUpdate change) {
        return jobs.update(guard.require(workspace, Role.EDITOR), jobId, change, ifMatch)
                .map(view -> Response.ok(view).tag(Versions.etag(view.version())).build());
    }

    @DELETE
    @Path("/{job_id}")
    @Operation(summary = "Delete a job and its tasks (not while it runs); its run history stays")
    public Uni<Response> delete(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return jobs.delete(guard.require(workspace, Role.EDITOR), jobId, ifMatch)
                .map(ignored -> Response.noContent().build());
    }
}
