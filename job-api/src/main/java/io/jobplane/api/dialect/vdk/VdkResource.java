package io.jobplane.api.dialect.vdk;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.api.dialect.DialectBodies;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJob;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobApiInfo;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobDeployment;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobDeploymentStatus;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobExecution;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobExecutionLogs;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobExecutionRequest;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobVersion;
import io.jobplane.api.dialect.vdk.query.VdkJobsQuery;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * VDK's control service Data Jobs API at VDK's own paths (docs/dialects/vdk.md): data jobs, their
 * sources, their one deployment, executions, logs, properties, secrets, the service info and the
 * GraphQL {@code jobs_query}. A thin adapter over {@link VdkService}; errors leave in VDK's
 * {@code {"messages": […]}} form ({@link VdkErrors}). The deployment id in paths is accepted as VDK's
 * server accepts it: a job has one deployment, whatever id names it.
 */
@Path("/data-jobs")
@Authenticated
@Tag(name = "VDK", description = "VMware Versatile Data Kit's control service Data Jobs API over the native core; see docs/dialects/vdk.md")
@Produces(MediaType.APPLICATION_JSON)
public class VdkResource {

    private static final int MAX_BODY = 1024 * 1024;
    private static final String REFERENCE = "docs/dialects/vdk.md";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** The GraphQL engine: its schema is built once and it holds no state per request. */
    private static final VdkJobsQuery JOBS_QUERY = new VdkJobsQuery();

    private final VdkService vdk;
    private final WorkspaceGuard guard;
    private final VdkJobsQuery jobsQuery;
    private final int maxJobsInQuery;

    public VdkResource(VdkService vdk, WorkspaceGuard guard,
            @ConfigProperty(name = "jobplane.dialects.vdk.max-jobs-in-query", defaultValue = "2000") int maxJobsInQuery) {
        this.vdk = vdk;
        this.guard = guard;
        this.jobsQuery = JOBS_QUERY;
        this.maxJobsInQuery = maxJobsInQuery;
    }

    @GET
    @Path("/for-team/{team_name}/info")
    @Operation(summary = "info: the API version and the Python versions deployments may use")
    public DataJobApiInfo info(@PathParam("team_name") String team) {
        guard.require(team, Role.VIEWER);
        return new DataJobApiInfo("1.0", vdk.pythonVersions());
    }

    // --- data jobs ------------------------------------------------------------------------------

    @GET
    @Path("/for-team/{team_name}/jobs")
    @Operation(summary = "jobs_query: the team's data jobs through VDK's GraphQL query (query, variables, operation_name)")
    public Uni<Response> jobsQuery(@PathParam("team_name") String team, @QueryParam("query") String query,
            @QueryParam("variables") String variables, @QueryParam("operation_name") String operationName,
            @QueryParam("operationName") String operationNameCamel, @Context UriInfo uri) {
        Caller caller = guard.require(team, Role.VIEWER);
        String operation = operationName != null ? operationName : operationNameCamel;
        return vdk.views(caller, maxJobsInQuery, VdkJobsQuery.wantsExecutions(query), jobsBase(uri, team))
                .map(views -> {
                    VdkJobsQuery.Result result = jobsQuery.execute(query, variables, operation, views);
                    return Response.status(result.status()).entity(result.body()).type(MediaType.APPLICATION_JSON).build();
                });
    }

    @POST
    @Path("/for-team/{team_name}/jobs")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "data_job_create: a new data job (a STEPS job of the team)")
    public Uni<Response> create(@PathParam("team_name") String team, @QueryParam("name") String name, String body) {
        Caller caller = guard.require(team, Role.EDITOR);
        return vdk.create(caller, name, read(body, DataJob.class, "the data job (job_name, description, config)"))
                .replaceWith(Response.status(Status.CREATED).build());
    }

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}")
    @Operation(summary = "data_job_read")
    public Uni<DataJob> read(@PathParam("team_name") String team, @PathParam("job_name") String name) {
        return vdk.job(guard.require(team, Role.VIEWER), name).map(vdk::dataJob);
    }

    @PUT
    @Path("/for-team/{team_name}/jobs/{job_name}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "data_job_update: the job's description and config")
    public Uni<Response> update(@PathParam("team_name") String team, @PathParam("job_name") String name, String body) {
        Caller caller = guard.require(team, Role.EDITOR);
        return vdk.update(caller, name, read(body, DataJob.class, "the data job (job_name, description, config)"))
                .replaceWith(Response.noContent().build());
    }

    @DELETE
    @Path("/for-team/{team_name}/jobs/{job_name}")
    @Operation(summary = "data_job_delete: the job with its sources, deployment, properties and secrets")
    public Uni<Response> delete(@PathParam("team_name") String team, @PathParam("job_name") String name) {
        return vdk.delete(guard.require(team, Role.EDITOR), name).replaceWith(Response.ok().build());
    }

    @PUT
    @Path("/for-team/{team_name}/jobs/{job_name}/team/{new_team}")
    @Operation(summary = "data_job_team_update: move the job to another team (editor of both)")
    public Uni<Response> changeTeam(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("new_team") String newTeam) {
        Caller from = guard.require(team, Role.EDITOR);
        Caller to = guard.require(newTeam, Role.EDITOR);
        return vdk.changeTeam(from, to, name).replaceWith(Response.ok().build());
    }

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}/keytab")
    @Produces({ MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON })
    @Operation(summary = "data_job_keytab_download: not supported (jobplane issues no Kerberos keytabs)")
    public Uni<Response> keytab(@PathParam("team_name") String team, @PathParam("job_name") String name) {
        return vdk.job(guard.require(team, Role.VIEWER), name).map(job -> {
            throw ApiException.badRequest("KEYTAB_NOT_SUPPORTED", "jobplane issues no Kerberos keytabs",
                    "Give the job what it needs to reach a database as secrets (PUT …/deployments/{id}/secrets) or a "
                            + "destination connection; see " + REFERENCE + ".");
        });
    }

    // --- sources --------------------------------------------------------------------------------

    @POST
    @Path("/for-team/{team_name}/jobs/{job_name}/sources")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "sources_upload: the job's zip as its next version; answers its version_sha")
    public Uni<DataJobVersion> upload(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @QueryParam("reason") String reason, byte[] body) {
        return vdk.upload(guard.require(team, Role.EDITOR), name, body).map(v -> new DataJobVersion(v.sha256()));
    }

    @DELETE
    @Path("/for-team/{team_name}/jobs/{job_name}/sources")
    @Operation(summary = "sources_delete: every version of the job's sources")
    public Uni<Response> deleteSources(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @QueryParam("reason") String reason) {
        return vdk.deleteSources(guard.require(team, Role.EDITOR), name).replaceWith(Response.ok().build());
    }

    // --- deployments ----------------------------------------------------------------------------

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments")
    @Operation(summary = "deployment_list: the job's deployment, if any")
    public Uni<List<DataJobDeploymentStatus>> deployments(@PathParam("team_name") String team,
            @PathParam("job_name") String name) {
        return vdk.job(guard.require(team, Role.VIEWER), name)
                .map(job -> job.deployment() == null ? List.of() : List.of(vdk.deployment(job)));
    }

    @POST
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "deployment_update: deploy a version (job_version), enable or disable it, set its schedule")
    public Uni<Response> deploy(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @QueryParam("send_notification") @DefaultValue("true") boolean sendNotification, String body) {
        Caller caller = guard.require(team, Role.EDITOR);
        return vdk.deploy(caller, name, readOptional(body, DataJobDeployment.class), false)
                .replaceWith(Response.accepted().build());
    }

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments/{deployment_id}")
    @Operation(summary = "deployment_read")
    public Uni<DataJobDeploymentStatus> deployment(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("deployment_id") String deploymentId) {
        return vdk.job(guard.require(team, Role.VIEWER), name).map(vdk::deployment);
    }

    @PATCH
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments/{deployment_id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "deployment_patch: enable or disable, schedule, resources, Python version (synchronous)")
    public Uni<Response> patch(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("deployment_id") String deploymentId, String body) {
        Caller caller = guard.require(team, Role.EDITOR);
        return vdk.deploy(caller, name, read(body, DataJobDeployment.class, "the deployment's fields to change"), true)
                .replaceWith(Response.accepted().build());
    }

    @DELETE
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments/{deployment_id}")
    @Operation(summary = "deployment_delete: its schedule stops; a running execution goes on to its end")
    public Uni<Response> undeploy(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("deployment_id") String deploymentId) {
        return vdk.undeploy(guard.require(team, Role.EDITOR), name).replaceWith(Response.accepted().build());
    }

    // --- executions -----------------------------------------------------------------------------

    @POST
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments/{deployment_id}/executions")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "data_job_execution_start: 202 with the execution's Location")
    public Uni<Response> execute(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("deployment_id") String deploymentId, @HeaderParam("X-OPID") String opId, String body,
            @Context UriInfo uri) {
        Caller caller = guard.require(team, Role.OPERATOR);
        return vdk.execute(caller, name, readOptional(body, DataJobExecutionRequest.class), opId)
                .map(id -> Response.accepted().location(URI.create(jobsBase(uri, team) + "/" + name + "/executions/" + id)).build());
    }

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}/executions")
    @Operation(summary = "data_job_execution_list: the job's recent executions, newest first")
    public Uni<List<DataJobExecution>> executions(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @QueryParam("execution_status") List<String> statuses, @Context UriInfo uri) {
        return vdk.job(guard.require(team, Role.VIEWER), name)
                .chain(job -> vdk.executions(job, statuses, jobsBase(uri, team)));
    }

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments/{deployment_id}/executions")
    @Operation(summary = "data_job_deployment_execution_list: the deployment's recent executions, newest first")
    public Uni<List<DataJobExecution>> deploymentExecutions(@PathParam("team_name") String team,
            @PathParam("job_name") String name, @PathParam("deployment_id") String deploymentId,
            @QueryParam("execution_status") List<String> statuses, @Context UriInfo uri) {
        return executions(team, name, statuses, uri);
    }

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}/executions/{execution_id}")
    @Operation(summary = "data_job_execution_read")
    public Uni<DataJobExecution> execution(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("execution_id") String executionId, @Context UriInfo uri) {
        return vdk.job(guard.require(team, Role.VIEWER), name)
                .chain(job -> vdk.execution(job, executionId, jobsBase(uri, team)));
    }

    @DELETE
    @Path("/for-team/{team_name}/jobs/{job_name}/executions/{execution_id}")
    @Operation(summary = "data_job_execution_cancel")
    public Uni<Response> cancel(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("execution_id") String executionId) {
        return vdk.cancel(guard.require(team, Role.OPERATOR), name, executionId).replaceWith(Response.ok().build());
    }

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}/executions/{execution_id}/logs")
    @Operation(summary = "data_job_logs_download: the execution's log as text")
    public Uni<DataJobExecutionLogs> logs(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("execution_id") String executionId, @QueryParam("tail_lines") @DefaultValue("0") int tailLines) {
        return vdk.logs(guard.require(team, Role.VIEWER), name, executionId, tailLines).map(DataJobExecutionLogs::new);
    }

    // --- properties and secrets -----------------------------------------------------------------

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments/{deployment_id}/properties")
    @Operation(summary = "data_job_properties_read")
    public Uni<Map<String, Object>> properties(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("deployment_id") String deploymentId) {
        return vdk.properties(guard.require(team, Role.VIEWER), name);
    }

    @PUT
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments/{deployment_id}/properties")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "data_job_properties_update: replaces them all")
    public Uni<Response> replaceProperties(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("deployment_id") String deploymentId, String body) {
        Caller caller = guard.require(team, Role.EDITOR);
        return vdk.replaceProperties(caller, name, readMap(body)).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments/{deployment_id}/secrets")
    @Operation(summary = "data_job_secrets_read: the secrets WITH their values, for editors and admins only; every read is audited")
    public Uni<Map<String, Object>> secrets(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("deployment_id") String deploymentId) {
        return vdk.secrets(guard.require(team, Role.EDITOR), name);
    }

    @PUT
    @Path("/for-team/{team_name}/jobs/{job_name}/deployments/{deployment_id}/secrets")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "data_job_secrets_update: replaces them all")
    public Uni<Response> replaceSecrets(@PathParam("team_name") String team, @PathParam("job_name") String name,
            @PathParam("deployment_id") String deploymentId, String body) {
        Caller caller = guard.require(team, Role.EDITOR);
        return vdk.replaceSecrets(caller, name, readMap(body)).replaceWith(Response.noContent().build());
    }

    // --- OAuth team credentials: not kept here ---------------------------------------------------

    @GET
    @Path("/teams/{team_name}/oauth-credentials")
    @Operation(summary = "oauth_credentials_get: not supported; use API tokens")
    public Response oauthCredentials(@PathParam("team_name") String team) {
        guard.require(team, Role.VIEWER);
        throw oauthNotSupported(Status.NOT_FOUND, team);
    }

    @PUT
    @Path("/teams/{team_name}/oauth-credentials")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "oauth_credentials_put: not supported; use API tokens")
    public Response putOauthCredentials(@PathParam("team_name") String team, String body) {
        guard.require(team, Role.ADMIN);
        throw oauthNotSupported(Status.BAD_REQUEST, team);
    }

    @GET
    @Path("/teams/{team_name}/oauth-credentials/client-id")
    @Operation(summary = "client_id_get: not supported; use API tokens")
    public Response clientId(@PathParam("team_name") String team) {
        guard.require(team, Role.VIEWER);
        throw oauthNotSupported(Status.NOT_FOUND, team);
    }

    @POST
    @Path("/oauth-credentials/client-ids")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "get_team_ids_for_client_ids: not supported; use API tokens")
    public Response teamsOfClientIds(String body) {
        throw oauthNotSupported(Status.BAD_REQUEST, "{team}");
    }

    private static ApiException oauthNotSupported(Status status, String team) {
        return new ApiException(status, "OAUTH_CREDENTIALS_NOT_SUPPORTED",
                "jobplane keeps no OAuth application credentials for teams: scripts authenticate with API tokens",
                "An admin of the team creates one with POST /api/v1/workspaces/" + team + "/api-tokens and sends it as "
                        + "'Authorization: Bearer <token>'; see " + REFERENCE + ".");
    }

    // --- bodies ---------------------------------------------------------------------------------

    private <T> T read(String body, Class<T> type, String what) {
        return convert(DialectBodies.object(vdk.json(), body, MAX_BODY, true, what, REFERENCE), type);
    }

    private <T> T readOptional(String body, Class<T> type) {
        JsonNode node = DialectBodies.object(vdk.json(), body, MAX_BODY, false, "the request's fields", REFERENCE);
        return node == null ? null : convert(node, type);
    }

    private Map<String, Object> readMap(String body) {
        return vdk.json().convertValue(DialectBodies.object(vdk.json(), body, MAX_BODY, true, "a JSON object of names to values",
                REFERENCE), MAP);
    }

    private <T> T convert(JsonNode node, Class<T> type) {
        try {
            return vdk.json().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                            .reduce((a, b) -> a + "." + b).orElse("") : "a field";
            throw ApiException.badRequest("INVALID_FIELD_TYPE", "'" + field + "' has the wrong type",
                    "Send the fields as VDK's API document types them; see " + REFERENCE + ".");
        }
    }

    /** Where the team's data jobs are: the base of executions' Location and logs_url. */
    private static String jobsBase(UriInfo uri, String team) {
        String base = uri.getBaseUri().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/data-jobs/for-team/" + team + "/jobs";
    }
}
