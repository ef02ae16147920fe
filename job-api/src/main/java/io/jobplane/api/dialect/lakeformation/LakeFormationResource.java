package io.jobplane.api.dialect.lakeformation;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.lakeformation.JobParameter;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * LakeFormation's lf-jobs at LakeFormation's own paths (docs/dialects/lakeformation.md): create,
 * list, show, update, delete, start and stop. A thin adapter: {@link LakeFormationService} maps the
 * instance onto a workspace and calls the native services. Errors leave in LakeFormation's shape
 * ({@link LakeFormationErrors}).
 */
@Path("/v1/{project_id}/instances/{instance_id}/lf-jobs")
@Authenticated
@Tag(name = "LakeFormation", description = "LakeFormation's lf-jobs (create, list, show, update, delete, start, stop) over "
        + "the native core; the instance is the workspace <project_id>.<instance_id>; see docs/dialects/lakeformation.md")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LakeFormationResource {

    private final LakeFormationService lakeFormation;
    private final WorkspaceGuard guard;

    public LakeFormationResource(LakeFormationService lakeFormation, WorkspaceGuard guard) {
        this.lakeFormation = lakeFormation;
        this.guard = guard;
    }

    /** The body's documented shape (the adapter reads it itself, to answer every error in LakeFormation's shape). */
    @Schema(name = "LakeFormationJobRequest", description = "An lf-job: the parameter member of its type is used")
    public record Body(
            @Schema(required = true, description = "4 to 255 letters, digits and '_'", examples = "testjob") String name,
            @Schema(description = "0 to 4000 characters") String description,
            @Schema(required = true, enumeration = { "METADATA_MIGRATION", "PERMISSION_MIGRATION", "METADATA_DISCOVERY" }) String type,
            @Schema(required = true) JobParameter parameter) {
    }

    @POST
    @Operation(summary = "CreateLakeFormationJob: create an lf-job (a native job of its type)")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = LakeFormationJob.class)))
    public Uni<RestResponse<LakeFormationJob>> create(@PathParam("project_id") String project,
            @PathParam("instance_id") String instance,
            @RequestBody(content = @Content(schema = @Schema(implementation = Body.class))) String body) {
        return lakeFormation.create(guard, project, instance, body).map(job -> RestResponse.status(RestResponse.Status.CREATED, job));
    }

    @GET
    @Operation(summary = "ListLakeFormationJobs: the instance's lf-jobs, newest first")
    public Uni<LakeFormationJob.Page> list(@PathParam("project_id") String project, @PathParam("instance_id") String instance,
            @QueryParam("name_pattern") String namePattern, @QueryParam("type") String type, @QueryParam("status") String status,
            @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        return lakeFormation.list(guard, project, instance, namePattern, type, status, offset, limit);
    }

    @GET
    @Path("/{job_id}")
    @Operation(summary = "ShowLakeFormationJob: one lf-job")
    public Uni<LakeFormationJob> show(@PathParam("project_id") String project, @PathParam("instance_id") String instance,
            @PathParam("job_id") String jobId) {
        return lakeFormation.show(guard, project, instance, jobId);
    }

    @PUT
    @Path("/{job_id}")
    @Operation(summary = "UpdateLakeFormationJob: change name, description or parameter (the type cannot change)")
    public Uni<LakeFormationJob> update(@PathParam("project_id") String project, @PathParam("instance_id") String instance,
            @PathParam("job_id") String jobId,
            @RequestBody(content = @Content(schema = @Schema(implementation = Body.class))) String body) {
        return lakeFormation.update(guard, project, instance, jobId, body);
    }

    @DELETE
    @Path("/{job_id}")
    @Operation(summary = "DeleteLakeFormationJob: delete an lf-job (its run history stays)")
    @APIResponse(responseCode = "204")
    public Uni<RestResponse<Void>> delete(@PathParam("project_id") String project, @PathParam("instance_id") String instance,
            @PathParam("job_id") String jobId) {
        return lakeFormation.delete(guard, project, instance, jobId).map(v -> RestResponse.noContent());
    }

    @POST
    @Path("/{job_id}/start")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "StartLakeFormationJob: launch a run through the native launch pipeline")
    public Uni<LakeFormationJob> start(@PathParam("project_id") String project, @PathParam("instance_id") String instance,
            @PathParam("job_id") String jobId, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            throw ApiException.badRequest("VALIDATION_FAILED", "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    "Send a shorter key of visible ASCII characters, or none.");
        }
        return lakeFormation.start(guard, project, instance, jobId, idempotencyKey);
    }

    @POST
    @Path("/{job_id}/stop")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "StopLakeFormationJob: cancel the job's runs in progress")
    public Uni<LakeFormationJob> stop(@PathParam("project_id") String project, @PathParam("instance_id") String instance,
            @PathParam("job_id") String jobId) {
        return lakeFormation.stop(guard, project, instance, jobId);
    }
}
