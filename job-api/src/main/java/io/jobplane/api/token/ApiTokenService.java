package io.jobplane.api.token;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.ApiTokenValue;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Creates, lists and revokes the API tokens of a workspace, each action in the audit trail. A token's
 * value is made here, returned once and then forgotten: only its SHA-256 is stored.
 */
@ApplicationScoped
public class ApiTokenService {

    static final String OBJECT_TYPE = "api_token";

    private final Audit audit;
    private final Duration maxLifetime;

    public ApiTokenService(Audit audit,
            @ConfigProperty(name = "jobplane.api-tokens.max-lifetime", defaultValue = "365d") Duration maxLifetime) {
        this.audit = audit;
        this.maxLifetime = maxLifetime;
    }

    /** A new token of the caller's workspace; the answer is the only place its value ever appears. */
    @WithTransaction
    public Uni<ApiTokenView> create(Caller caller, ApiTokenRequest request) {
        Instant now = Instant.now();
        Role role = ApiTokenRules.role(request.role());
        Instant expiresAt = ApiTokenRules.expiry(request.expiresAt(), now, maxLifetime);
        String value = ApiTokenValue.generate();
        ApiTokenEntity e = new ApiTokenEntity();
        e.workspace = caller.workspace();
        e.name = request.name().trim();
        e.description = request.description();
        e.role = role.name();
        e.tokenHash = ApiTokenValue.hash(value);
        e.createdBy = caller.subject();
        e.createdAt = now;
        e.expiresAt = expiresAt;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", e.name);
        details.put("role", role.name().toLowerCase());
        details.put("expires_at", expiresAt.toString());
        return e.<ApiTokenEntity>persist()
                .call(saved -> audit.record(caller, "api_token.created", OBJECT_TYPE, saved.id, details))
                .map(saved -> ApiTokenView.withValue(saved, now, value));
    }

    /** Every token of the caller's workspace, newest first, without values. */
    @WithTransaction
    public Uni<List<ApiTokenView>> list(Caller caller) {
        Instant now = Instant.now();
        return ApiTokenEntity.<ApiTokenEntity>list("workspace = ?1 order by createdAt desc, id desc", caller.workspace())
                .call(rows -> audit.record(caller, "api_token.listed", OBJECT_TYPE, "*", Map.of("count", rows.size())))
                .map(rows -> rows.stream().map(e -> ApiTokenView.of(e, now)).toList());
    }

    /** One token of the caller's workspace, without its value. */
    @WithTransaction
    public Uni<ApiTokenView> get(Caller caller, UUID id) {
        return find(caller, id)
                .call(e -> audit.record(caller, "api_token.read", OBJECT_TYPE, e.id, null))
                .map(e -> ApiTokenView.of(e, Instant.now()));
    }

    /**
     * Revokes a token of the caller's workspace: its next request is refused. Revoking a revoked token
     * changes nothing (and is recorded as such).
     */
    @WithTransaction
    public Uni<ApiTokenView> revoke(Caller caller, UUID id) {
        Instant now = Instant.now();
        return find(caller, id).call(e -> {
            if (e.revokedAt != null) {
                return audit.record(caller, "api_token.revoked", OBJECT_TYPE, e.id, Map.of("already_revoked", true));
            }
            e.revokedAt = now;
            e.revokedBy = caller.subject();
            return audit.record(caller, "api_token.revoked", OBJECT_TYPE, e.id, Map.of("name", e.name));
        }).map(e -> ApiTokenView.of(e, now));
    }

    private static Uni<ApiTokenEntity> find(Caller caller, UUID id) {
        return ApiTokenEntity.findInWorkspace(caller.workspace(), id).onItem().ifNull()
                .failWith(() -> new ApiException(Status.NOT_FOUND, "API_TOKEN_NOT_FOUND",
                        "API token '" + id + "' does not exist in this workspace",
                        "Check the id; list the workspace's tokens with GET /api/v1/workspaces/" + caller.workspace()
                                + "/api-tokens."));
    }
}
