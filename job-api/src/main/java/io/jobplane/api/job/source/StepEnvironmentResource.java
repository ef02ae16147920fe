package io.jobplane.api.job.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.type.TypeReference;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.jobplane.events.secret.SecretKeyring;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
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

    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** Names the worker sets itself, or that would change how a step's interpreter runs. */
    private static final Set<String> RESERVED = Set.of("PATH", "HOME", "SHELL", "IFS", "PWD", "ENV", "BASH_ENV", "PYTHONPATH",
            "PYTHONHOME", "PYTHONSTARTUP");
    private static final List<String> RESERVED_PREFIXES = List.of("JOBPLANE_", "LD_", "PG");
    private static final int MAX_ENTRIES = 100;
    private static final int MAX_VALUE = 32 * 1024;

    private final WorkspaceGuard guard;
    private final Audit audit;
    private final SecretKeyring keyring;

    public StepEnvironmentResource(WorkspaceGuard guard, Audit audit, SecretKeyring keyring) {
        this.guard = guard;
        this.audit = audit;
        this.keyring = keyring;
    }

    /** A secrets update: values to set (an empty value keeps the stored one) and names to remove. */
    public record SecretsUpdate(Map<String, String> secrets, List<String> removeSecrets) {
    }

    /** The names of the job's secrets; their values are never shown. */
    public record SecretNames(List<String> names) {
    }

    @GET
    @Path("/properties")
    @WithSession
    @Operation(summary = "The properties a STEPS job's steps see as environment variables")
    public Uni<Map<String, String>> properties(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        return JobSourceResource.stepsJob(caller, jobId, false).map(job -> new TreeMap<>(StoredJson.readMap(job.properties, STRINGS)));
    }

    @PUT
    @Path("/properties")
    @WithTransaction
    @Operation(summary = "Replace the job's properties (a JSON object of strings)")
    public Uni<Map<String, String>> replaceProperties(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            Map<String, String> properties) {
        Caller caller = guard.require(workspace, Role.EDITOR);
        Map<String, String> given = properties == null ? Map.of() : properties;
        check(given, "property");
        return JobSourceResource.stepsJob(caller, jobId, true)
                .invoke(job -> requireNoOverlap(given.keySet(), SealedFields.read(job.stepSecrets).names(), "secret"))
                .invoke(job -> job.properties = StoredJson.write(new TreeMap<>(given)))
                .call(job -> audit.record(caller, "job.properties.replaced", "job", jobId, Map.of("names", List.copyOf(new TreeMap<>(given).keySet()))))
                .map(job -> new TreeMap<>(given));
    }

    @GET
    @Path("/secrets")
    @WithSession
    @Operation(summary = "The names of the job's secrets (values are write-only)")
    public Uni<SecretNames> secrets(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        return JobSourceResource.stepsJob(caller, jobId, false).map(job -> new SecretNames(SealedFields.read(job.stepSecrets).names()));
    }

    @PUT
    @Path("/secrets")
    @WithTransaction
    @Operation(summary = "Set or remove secrets of the job; answers their names")
    public Uni<SecretNames> updateSecrets(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            SecretsUpdate update) {
        Caller caller = guard.require(workspace, Role.EDITOR);
        Map<String, String> set = update == null || update.secrets() == null ? Map.of() : update.secrets();
        List<String> remove = update == null || update.removeSecrets() == null ? List.of() : update.removeSecrets();
        check(set, "secret");
        return JobSourceResource.stepsJob(caller, jobId, true).chain(job -> {
            SealedFields sealed = SealedFields.read(job.stepSecrets);
            for (String name : remove) {
                if (sealed.get(name) == null) {
                    throw ApiException.badRequest("UNKNOWN_SECRET", "The job holds no secret '" + name + "'",
                            "List the job's secrets with GET .../jobs/" + jobId + "/secrets.");
                }
            }
            requireNoOverlap(set.keySet(), StoredJson.readMap(job.properties, STRINGS).keySet(), "property");
            List<String> changed = sealed.merge(set, remove, keyring);
            if (sealed.names().size() > MAX_ENTRIES) {
                throw invalid("a job holds at most " + MAX_ENTRIES + " secrets", "Remove secrets the steps no longer need.");
            }
            job.stepSecrets = sealed.json();
            return audit.record(caller, "job.secrets.updated", "job", jobId, Map.of("changed", changed, "removed", remove))
                    .map(ignored -> new SecretNames(sealed.names()));
        });
    }

    private static void check(Map<String, String> entries, String kind) {
        if (entries.size() > MAX_ENTRIES) {
            throw invalid("at most " + MAX_ENTRIES + " " + kind + " entries", "Send fewer entries; put bulk data in a table the steps read.");
        }
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String name = e.getKey();
            if (!NAME.matcher(name).matches()) {
                throw invalid(kind + " name '" + name + "' is not an environment variable name",
                        "Use letters, digits and '_', starting with a letter or '_' (at most 128 characters).");
            }
            if (RESERVED.contains(name) || RESERVED_PREFIXES.stream().anyMatch(name::startsWith)) {
                throw invalid(kind + " name '" + name + "' is reserved (the worker sets it, or it changes how steps run)",
                        "Pick another name; names starting with " + RESERVED_PREFIXES + " and "
                                + new java.util.TreeSet<>(RESERVED) + " are reserved.");
            }
            if (e.getValue() != null && e.getValue().length() > MAX_VALUE) {
                throw invalid(kind + " '" + name + "' is longer than " + MAX_VALUE + " characters", "Keep values short; steps read bulk data from tables.");
            }
            if (e.getValue() == null && kind.equals("property")) {
                throw invalid("property '" + name + "' has no value", "Send a string, or leave the property out.");
            }
        }
    }

    private static void requireNoOverlap(Set<String> names, java.util.Collection<String> others, String otherKind) {
        List<String> both = new ArrayList<>(names);
        both.retainAll(others);
        if (!both.isEmpty()) {
            throw invalid("name(s) " + both + " are already " + otherKind + " names of this job",
                    "A step sees properties and secrets in one environment: give each its own name.");
        }
    }

    private static ApiException invalid(String problem, String fix) {
        return ApiException.badRequest("INVALID_ENVIRONMENT", problem, fix);
    }
}
