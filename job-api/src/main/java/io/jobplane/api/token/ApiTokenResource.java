package io.jobplane.api.token;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * API tokens of a workspace: credentials for scripts with one role in one workspace and an expiry.
 * Only admins of the workspace administer them, and only with a JWT: an API token (even an admin's)
 * may list and revoke tokens but never create one, so a leaked token cannot outlive its own revocation
 * by minting successors.
 */
@Path("/api/v1/workspaces/{workspace}/api-tokens")
@Authenticated
@Tag(name = "API tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiTokenResource {

    private final ApiTokenService tokens;
    private final WorkspaceGuard guard;

    public ApiTokenResource(ApiTokenService tokens, WorkspaceGuard guard) {
        this.tokens = tokens;
        this.guard = guard;
    }

    @POST
    @Operation(summary = "Create an API token for the workspace with a role and an expiry (admin, with a JWT); "
            + "the answer holds its value, shown this once only")
    public Uni<Response> create(@PathParam("workspace") String workspace, @Valid @NotNull ApiTokenRequest request) {
        Caller caller = guard.require(workspace, Role.ADMIN);
        if (guard.isApiToken()) {
            throw new ApiException(Status.FORBIDDEN, "API_TOKEN_CANNOT_CREATE_TOKENS",
                    "API tokens cannot create API tokens",
                    "Create tokens with the JWT of a workspace admin (from your identity provider; locally "
                            + "./jobplane token --workspace " + workspace + " --role admin).");
        }
        return tokens.create(caller, request).map(view -> Response
                .created(URI.create("/api/v1/workspaces/" + workspace + "/api-tokens/" + view.tokenId()))
                .header("Cache-Control", "no-store").entity(view).build());
    }

    @GET
    @Operation(summary = "The workspace's API tokens, newest first, revoked and expired ones included; never their values (admin)")
    public Uni<List<ApiTokenView>> list(@PathParam("workspace") String workspace) {
        return tokens.list(guard.require(workspace, Role.ADMIN));
    }

    @GET
    @Path("/{token_id}")
    @Operation(summary = "One API token, without its value (admin)")
    public Uni<ApiTokenView> get(@PathParam("workspace") String workspace, @PathParam("token_id") UUID tokenId) {
        return tokens.get(guard.require(workspace, Role.ADMIN), tokenId);
    }

    @DELETE
    @Path("/{token_id}")
    @Operation(summary = "Revoke an API token at once: its next request is refused (admin); it stays listed as revoked")
    public Uni<Response> revoke(@PathParam("workspace") String workspace, @PathParam("token_id") UUID tokenId) {
        return tokens.revoke(guard.require(workspace, Role.ADMIN), tokenId).map(view -> Response.noContent().build());
    }
}
