package io.jobplane.api.workflow;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Tailer's workflows: a {@code WORKFLOW} job names trigger jobs and target jobs; its targets
 * launch when every trigger has succeeded since the workflow last fired. The definition is
 * checked whole when saved — jobs of the workspace, no job both trigger and target, and no cycle
 * through the workspace's workflows (workflows chain: a target may trigger another workflow).
 * {@code reset} forgets which triggers have succeeded.
 */
@Path("/api/v1/workspaces/{workspace}/workflows/{workflow_id}")
@Authenticated
@Tag(name = "Workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    private final WorkflowService workflows;
    private final WorkspaceGuard guard;

    public WorkflowResource(WorkflowService workflows, WorkspaceGuard guard) {
        this.workflows = workflows;
        this.guard = guard;
    }

    /** Which jobs trigger the workflow and which it launches. */
    public record Definition(
            @Schema(description = "Jobs whose success (all of them, since the last firing) fires the workflow")
            @NotNull @Size(min = 1, max = 100) List<@NotNull UUID> triggers,
            @Schema(description = "Jobs launched when the workflow fires")
            @NotNull @Size(min = 1, max = 100) List<@NotNull UUID> targets) {
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Define (or redefine) the workflow's trigger and target jobs")
    public Uni<WorkflowState> define(@PathParam("workspace") String workspace, @PathParam("workflow_id") UUID workflowId,
            @Valid @NotNull Definition definition) {
        return workflows.define(guard.require(workspace, Role.EDITOR), workflowId, definition.triggers(), definition.targets());
    }

    @GET
    @Operation(summary = "The workflow's triggers (which have succeeded since it last fired), targets and recent firings")
    public Uni<WorkflowState> get(@PathParam("workspace") String workspace, @PathParam("workflow_id") UUID workflowId) {
        return workflows.get(guard.require(workspace, Role.VIEWER), workflowId);
    }

    @POST
    @Path("/reset")
    @Operation(summary = "Forget which triggers have succeeded, so the workflow starts from scratch (Tailer's reset_workflow_status)")
    public Uni<WorkflowState> reset(@PathParam("workspace") String workspace, @PathParam("workflow_id") UUID workflowId) {
        return workflows.reset(guard.require(workspace, Role.OPERATOR), workflowId);
    }
}
