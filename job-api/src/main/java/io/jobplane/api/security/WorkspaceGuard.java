package io.jobplane.api.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response.Status;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.jobplane.api.error.ApiException;

/**
 * Decides what a token may do in a workspace. The token's {@code workspaces} claim maps each
 * workspace it may use to a role. A workspace the token does not name answers 404, exactly as a
 * workspace that does not exist, so tokens cannot probe for other tenants.
 */
@RequestScoped
public class WorkspaceGuard {

    /** The claim holding workspace → role. */
    public static final String WORKSPACES_CLAIM = "workspaces";

    private final JsonWebToken token;

    public WorkspaceGuard(JsonWebToken token) {
        this.token = token;
    }

    /** The caller in {@code workspace} if the token holds at least {@code needed} there. */
    public Caller require(String workspace, Role needed) {
        Role held = roleIn(workspace);
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
        return new Caller(token.getSubject(), workspace, held);
    }

    /** Every workspace the token names, with its role there. */
    public java.util.Map<String, Role> workspaces() {
        java.util.Map<String, Role> out = new java.util.TreeMap<>();
        if (token.getClaim(WORKSPACES_CLAIM) instanceof JsonObject workspaces) {
            workspaces.forEach((id, value) -> {
                if (value instanceof JsonString role) {
                    Role.parse(role.getString()).ifPresent(r -> out.put(id, r));
                }
            });
        }
        return out;
    }

    private Role roleIn(String workspace) {
        Object claim = token.getClaim(WORKSPACES_CLAIM);
        if (!(claim instanceof JsonObject workspaces)) {
            return null;
        }
        JsonValue value = workspaces.get(workspace);
        if (value instanceof JsonString role) {
            return Role.parse(role.getString()).orElse(null);
        }
        return null;
    }
}
