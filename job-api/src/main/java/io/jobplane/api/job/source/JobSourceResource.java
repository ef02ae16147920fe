package io.jobplane.api.job.source;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/**
 * The step packages of a STEPS job (VDK's "sources"): each upload is a new version; the newest is
 * what the job's runs execute. Uploads are checked whole before they are stored (see {@link StepPackage}).
 */
@Path("/api/v1/workspaces/{workspace}/jobs/{job_id}/sources")
@Authenticated
@Tag(name = "Job sources")
@Produces(MediaType.APPLICATION_JSON)
public class JobSourceResource {

    private final JobSourceService sources;
    private final WorkspaceGuard guard;

    public JobSourceResource(JobSourceService sources, WorkspaceGuard guard) {
        this.sources = sources;
        this.guard = guard;
    }

    @POST
    // Any media type: the body is read as bytes and checked as a zip, so a wrong one gets our JSON error.
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload a new version of the job's step package (a zip; .sql, .py and .sh steps run in name order)")
    public Uni<Response> upload(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId, byte[] body) {
        return sources.upload(guard.require(workspace, Role.EDITOR), jobId, body)
                .map(version -> Response.created(URI.create("/api/v1/workspaces/" + workspace + "/jobs/" + jobId + "/sources"))
                        .entity(version).build());
    }

    @GET
    @Operation(summary = "The versions of the job's step package, newest first (their checksums and steps, not their bytes)")
    public Uni<List<SourceVersion>> versions(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        return sources.versions(guard.require(workspace, Role.VIEWER), jobId);
    }

    @DELETE
    @Operation(summary = "Delete the job's step package, every version")
    public Uni<Response> delete(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        return sources.delete(guard.require(workspace, Role.EDITOR), jobId).map(deleted -> Response.noContent().build());
    }
}
