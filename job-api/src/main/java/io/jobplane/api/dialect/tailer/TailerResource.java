package io.jobplane.api.dialect.tailer;

import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Tailer's DAG API at Tailer's own paths (docs/dialects/tailer.md): launch a configuration, check a
 * run, get the last statuses, reset a workflow, activate, disable or archive a configuration. A thin
 * adapter: {@link TailerService} finds the job by its Tailer identity and calls the native services.
 * Errors leave in Tailer's KO form ({@link TailerErrors}).
 */
@Path("/v1")
@Authenticated
@Tag(name = "Tailer", description = "Tailer's DAG API (launch_job, check_run_status, get_last_status, reset_workflow_status, "
        + "set_configuration_status) over the native core; see docs/dialects/tailer.md")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TailerResource {

    private final TailerService tailer;
    private final WorkspaceGuard guard;

    public TailerResource(TailerService tailer, WorkspaceGuard guard) {
        this.tailer = tailer;
        this.guard = guard;
    }

    /** The body's documented shape (the resource reads it itself, to answer every error in Tailer's form). */
    @Schema(name = "TailerRequest", description = "A Tailer DAG API request; which fields apply depends on action")
    public record Body(
            @Schema(required = true, enumeration = { "launch_job", "check_run_status", "get_last_status",
                    "reset_workflow_status", "set_configuration_status" }) String action,
            @Schema(required = true, examples = "000099") String account,
            @Schema(required = true, examples = "DEV") String environment,
            @Schema(required = true, enumeration = { "table-to-table", "storage-to-storage", "storage-to-tables",
                    "vm-launcher", "workflow" }) String configurationType,
            @Schema(required = true, description = "table-to-table ids end with _<environment>",
                    examples = "000099_iowa_liquor_prepare_pda_DEV") String configurationId,
            @Schema(description = "check_run_status, get_last_status: the job id results show") String jobId,
            @Schema(description = "check_run_status: the run id launch_job answered") String runId,
            @Schema(description = "launch_job: the run's execution date; get_last_status: runs of that day (UTC)",
                    examples = "2020-12-09") String executionDate,
            @Schema(description = "get_last_status: only runs in this status",
                    enumeration = { "WAITING", "RUNNING", "SUCCESS", "FAILED" }) String status,
            @Schema(description = "get_last_status: how many runs, newest first (1-100, default 10)") Integer limit,
            @Schema(description = "set_configuration_status") Boolean activated,
            @Schema(description = "set_configuration_status") Boolean archived) {
    }

    @POST
    @Path("/dag/launch")
    @Operation(summary = "launch_job: launch a run of the configuration; answers its run_id")
    public Uni<Map<String, String>> launch(
            @RequestBody(content = @Content(schema = @Schema(implementation = Body.class))) String body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        TailerRequest request = TailerRequest.parse(body, Set.of(TailerRequest.LAUNCH_JOB));
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            throw ApiException.badRequest("VALIDATION_FAILED", "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    "Send a shorter key of visible ASCII characters, or none.");
        }
        return tailer.launch(request, guard, idempotencyKey);
    }

    @POST
    @Path("/dag/status")
    @Operation(summary = "check_run_status: one run of the configuration; get_last_status: its latest runs, filtered")
    public Uni<TailerResults> status(@RequestBody(content = @Content(schema = @Schema(implementation = Body.class))) String body) {
        TailerRequest request = TailerRequest.parse(body,
                Set.of(TailerRequest.CHECK_RUN_STATUS, TailerRequest.GET_LAST_STATUS));
        return TailerRequest.CHECK_RUN_STATUS.equals(request.action()) ? tailer.runStatus(request, guard)
                : tailer.lastStatus(request, guard);
    }

    @POST
    @Path("/workflow/status")
    @Operation(summary = "reset_workflow_status: forget which trigger jobs of the workflow have succeeded")
    public Uni<TailerReply> workflowStatus(
            @RequestBody(content = @Content(schema = @Schema(implementation = Body.class))) String body) {
        return tailer.resetWorkflow(TailerRequest.parse(body, Set.of(TailerRequest.RESET_WORKFLOW_STATUS)), guard);
    }

    @POST
    @Path("/configuration/status")
    @Operation(summary = "set_configuration_status: activate, disable or archive the configuration")
    public Uni<TailerReply> configurationStatus(
            @RequestBody(content = @Content(schema = @Schema(implementation = Body.class))) String body) {
        return tailer.setConfigurationStatus(TailerRequest.parse(body, Set.of(TailerRequest.SET_CONFIGURATION_STATUS)), guard);
    }
}
