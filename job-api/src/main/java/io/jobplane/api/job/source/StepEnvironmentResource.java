package io.jobplane.api.job.source;

import java.util.List;
import java.util.Map;
import java.util.UUID;

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

/**
 * The properties and secrets of a STEPS job (VDK's data job properties and secrets): its steps see
 * each as an environment variable of the same name. Properties are plain and replaced as a whole;
 * secrets are write-only — sealed when stored, listed by name only, set and removed one by one —
 * and masked in the run log.
 */
@Path("/api/v1/workspaces/{workspace}/jobs/{job_id}")
@Authenticated
@Tag(name = "Job sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class StepEnvironmentResource {

    private final StepEnvironmentService environment;
    private final WorkspaceGuard guard;

    public StepEnvironmentResource(StepEnvironmentService environment, WorkspaceGuard guard) {
        this.environment = environment;
        this.guard = guard;
    }

    /** A secrets update: values to set (an empty value keeps the stored one) and names to remove. */
    public record SecretsUpdate(Map<String, String> secrets, List<String> removeSecrets) {

        Map<String, String> toSet() {
            return secrets == null ? Map.of() : secrets;
        }

        List<String> toRemove() {
            return removeSecrets == null ? List.of() : removeSecrets;
        }
    }

    /** The names of the job's secrets; their values are never shown. */
    public record SecretNames(List<String> names) {
    }

    @GET
    @Path("/properties")
    @Operation(summary = "The properties a STEPS job's steps see as environment variables")
    public Uni<Map<String, String>> properties(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        return environment.properties(guard.require(workspace, Role.VIEWER), jobId);
    }

    @PUT
    @Path("/properties")
    @Operation(summary = "Replace the job's properties (a JSON object of strings)")
    public Uni<Map<String, String>> replaceProperties(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            Map<String, String> properties) {
        return environment.replaceProperties(guard.require(workspace, Role.EDITOR), jobId, properties == null ? Map.of() : properties);
    }

    @GET
    @Path("/secrets")
    @Operation(summary = "The names of the job's secrets (values are write-only)")
    public Uni<SecretNames> secrets(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        return environment.secretNames(guard.require(workspace, Role.VIEWER), jobId).map(SecretNames::new);
    }

    @PUT
    @Path("/secrets")
    @Operation(summary = "Set or remove secrets of the job; answers their names")
    public Uni<SecretNames> updateSecrets(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            SecretsUpdate update) {
        SecretsUpdate given = update == null ? new SecretsUpdate(null, null) : update;
        return environment.updateSecrets(guard.require(workspace, Role.EDITOR), jobId, given.toSet(), given.toRemove())
                .map(SecretNames::new);
    }
}
