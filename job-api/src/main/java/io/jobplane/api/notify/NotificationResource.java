package io.jobplane.api.notify;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Webhooks of a workspace and of its jobs, and the deliveries of run-end notifications. */
@Path("/api/v1/workspaces/{workspace}")
@Authenticated
@Tag(name = "Notifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NotificationResource {

    private final WebhookService webhooks;
    private final WorkspaceGuard guard;

    public NotificationResource(WebhookService webhooks, WorkspaceGuard guard) {
        this.webhooks = webhooks;
        this.guard = guard;
    }

    @POST
    @Path("/webhooks")
    @Operation(summary = "Add a webhook for every job of the workspace; the secret is write-only")
    public Uni<Response> createForWorkspace(@PathParam("workspace") String workspace, @Valid @NotNull WebhookRequest request) {
        return webhooks.create(guard.require(workspace, Role.EDITOR), null, request).map(view -> created(workspace, view));
    }

    @GET
    @Path("/webhooks")
    @Operation(summary = "List every webhook of the workspace, its jobs' included")
    public Uni<List<WebhookView>> list(@PathParam("workspace") String workspace) {
        return webhooks.list(guard.require(workspace, Role.VIEWER), null);
    }

    @GET
    @Path("/webhooks/{webhook_id}")
    @Operation(summary = "Get one webhook")
    public Uni<WebhookView> get(@PathParam("workspace") String workspace, @PathParam("webhook_id") UUID webhookId) {
        return webhooks.get(guard.require(workspace, Role.VIEWER), webhookId);
    }

    @DELETE
    @Path("/webhooks/{webhook_id}")
    @Operation(summary = "Delete a webhook with its deliveries; pending ones are not sent")
    public Uni<Response> delete(@PathParam("workspace") String workspace, @PathParam("webhook_id") UUID webhookId) {
        return webhooks.delete(guard.require(workspace, Role.EDITOR), webhookId).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/webhooks/{webhook_id}/deliveries")
    @Operation(summary = "The webhook's deliveries, newest first, each with every try: when, response code, error, next try")
    public Uni<List<DeliveryView>> deliveries(@PathParam("workspace") String workspace,
            @PathParam("webhook_id") UUID webhookId, @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return webhooks.deliveries(guard.require(workspace, Role.VIEWER), webhookId, limit);
    }

    @POST
    @Path("/jobs/{job_id}/webhooks")
    @Operation(summary = "Add a webhook for one job; the secret is write-only")
    public Uni<Response> createForJob(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @Valid @NotNull WebhookRequest request) {
        return webhooks.create(guard.require(workspace, Role.EDITOR), jobId, request).map(view -> created(workspace, view));
    }

    @GET
    @Path("/jobs/{job_id}/webhooks")
    @Operation(summary = "List the webhooks of one job (the workspace's own apply to it too)")
    public Uni<List<WebhookView>> listForJob(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        return webhooks.list(guard.require(workspace, Role.VIEWER), jobId);
    }

    @GET
    @Path("/runs/{run_id}/notifications")
    @Operation(summary = "Every notification of a run's end (mails and webhooks), each with every try")
    public Uni<List<DeliveryView>> ofRun(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId) {
        return webhooks.ofRun(guard.require(workspace, Role.VIEWER), runId);
    }

    private static Response created(String workspace, WebhookView view) {
        return Response.created(URI.create("/api/v1/workspaces/" + workspace + "/webhooks/" + view.webhookId()))
                .entity(view).build();
    }
}
