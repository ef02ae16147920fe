package io.jobplane.api.job.source;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobType;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
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

    private final WorkspaceGuard guard;
    private final Audit audit;

    public JobSourceResource(WorkspaceGuard guard, Audit audit) {
        this.guard = guard;
        this.audit = audit;
    }

    /** One stored version, without its bytes. */
    public record SourceVersion(UUID jobId, int version, String sha256, int sizeBytes, List<String> steps, Instant uploadedAt,
            String uploadedBy) {
    }

    @POST
    @WithTransaction
    // Any media type: the body is read as bytes and checked as a zip, so a wrong one gets our JSON error.
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload a new version of the job's step package (a zip; .sql, .py and .sh steps run in name order)")
    public Uni<Response> upload(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId, byte[] body) {
        Caller caller = guard.require(workspace, Role.EDITOR);
        StepPackage uploaded = StepPackage.read(body);
        return stepsJob(caller, jobId, true)
                .chain(job -> JobSourceEntity.find("jobId = ?1 order by version desc", job.id).<JobSourceEntity>firstResult())
                .<JobSourceEntity>chain(latest -> {
                    JobSourceEntity e = new JobSourceEntity();
                    e.jobId = jobId;
                    e.version = latest == null ? 1 : latest.version + 1;
                    e.sha256 = uploaded.sha256();
                    e.sizeBytes = uploaded.content().length;
                    e.steps = uploaded.steps().toArray(new String[0]);
                    e.content = uploaded.content();
                    e.uploadedAt = Instant.now();
                    e.uploadedBy = caller.subject();
                    return e.<JobSourceEntity>persist();
                })
                .call(e -> audit.record(caller, "job.sources.uploaded", "job", jobId,
                        Map.of("version", e.version, "sha256", e.sha256, "steps", List.of(e.steps))))
                .map(e -> Response.created(URI.create("/api/v1/workspaces/" + workspace + "/jobs/" + jobId + "/sources"))
                        .entity(view(e)).build());
    }

    @GET
    @WithSession
    @Operation(summary = "The versions of the job's step package, newest first (their checksums and steps, not their bytes)")
    public Uni<List<SourceVersion>> versions(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        return stepsJob(caller, jobId, false).chain(job -> Panache.getSession().chain(s -> s.createSelectionQuery(
                "select version, sha256, sizeBytes, steps, uploadedAt, uploadedBy from JobSourceEntity"
                        + " where jobId = ?1 order by version desc", Object[].class)
                .setParameter(1, jobId).getResultList()))
                .map(rows -> rows.stream().map(r -> new SourceVersion(jobId, (Integer) r[0], (String) r[1], (Integer) r[2],
                        List.of((String[]) r[3]), (Instant) r[4], (String) r[5])).toList());
    }

    @DELETE
    @WithTransaction
    @Operation(summary = "Delete the job's step package, every version")
    public Uni<Response> delete(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        Caller caller = guard.require(workspace, Role.EDITOR);
        return stepsJob(caller, jobId, true)
                .chain(job -> JobSourceEntity.delete("jobId", job.id))
                .call(deleted -> audit.record(caller, "job.sources.deleted", "job", jobId, Map.of("versions", deleted)))
                .map(deleted -> Response.noContent().build());
    }

    /** The caller's STEPS job; locked when the caller changes its sources, so versions never collide. */
    static Uni<JobEntity> stepsJob(Caller caller, UUID jobId, boolean lock) {
        var query = JobEntity.<JobEntity>find("workspace = ?1 and id = ?2", caller.workspace(), jobId);
        return (lock ? query.withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE) : query).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId))
                .invoke(job -> {
                    if (job.type != JobType.STEPS) {
                        throw ApiException.conflict("SOURCES_NOT_APPLICABLE", "Job '" + job.name + "' is of type " + job.type
                                + "; only STEPS jobs have step packages, properties and secrets", "Create a job of type STEPS for packaged steps.");
                    }
                });
    }

    private static SourceVersion view(JobSourceEntity e) {
        return new SourceVersion(e.jobId, e.version, e.sha256, e.sizeBytes, List.of(e.steps), e.uploadedAt, e.uploadedBy);
    }
}
