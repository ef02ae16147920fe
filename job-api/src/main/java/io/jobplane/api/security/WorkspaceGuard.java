package io.jobplane.api.security;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response.Status;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.jobplane.api.error.ApiException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Decides what the caller may do in a workspace. A JWT's {@code workspaces} claim maps each
 * workspace it may use to a role; an API token holds exactly one workspace and one role. A workspace
 * the caller does not hold answers 404, exactly as a workspace that does not exist, so callers cannot
 * probe for other tenants.
 */
@RequestScoped
public class WorkspaceGuard {

    /** The claim holding workspace → role. */
    public static final String WORKSPACES_CLAIM = "workspaces";

    private final SecurityIdentity identity;

    public WorkspaceGuard(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller in {@code workspace} if it holds at least {@code needed} there. */
    public Caller require(String workspace, Role needed) {
        Role held = workspace == null ? null : workspaces().get(workspace);
        if (held == null) {
            throw new ApiException(Status.NOT_FOUND, "WORKSPACE_NOT_FOUND",
                    "Workspace '" + workspace + "' does not exist",
                    "Check the workspace id; your token lists the workspaces you may use.");
        }
        if (!held.includes(needed)) {
            throw new ApiException(Status.FORBIDDEN, "INSUFFICIENT_ROLE",
                    "Your role '" + held.name().toLowerCase() + "' in workspace '" + workspace
                            + "' does not allow this; it needs '" + needed.name().toLowerCase() + "'",
                    "Ask an admin of the workspace for the '" + needed.name().toLowerCase() + "' role.");
        }
        return new Caller(subject(), workspace, held);
    }

    /** Whether the caller is an API token rather than a person's (or service's) JWT. */
    public boolean isApiToken() {
        return identity.getPrincipal() instanceof ApiTokenPrincipal;
    }

    /** Every workspace the caller holds, with its role there. */
    public Map<String, Role> workspaces() {
        Map<String, Role> out = new TreeMap<>();
        if (identity.getPrincipal() instanceof ApiTokenPrincipal token) {
            out.put(token.workspace(), token.role());
        } else if (identity.getPrincipal() instanceof JsonWebToken jwt
                && jwt.getClaim(WORKSPACES_CLAIM) instanceof JsonObject workspaces) {
            workspaces.forEach((id, value) -> role(value).ifPresent(r -> out.put(id, r)));
        }
        return out;
    }

    private String subject() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            return jwt.getSubject();
        }
        return identity.getPrincipal().getName();
    }

    private static java.util.Optional<Role> role(JsonValue value) {
        return value instanceof JsonString role ? Role.parse(role.getString()) : java.util.Optional.empty();
    }
}
