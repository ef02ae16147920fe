package io.jobplane.api.security;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import org.jboss.logging.Logger;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Verifies API tokens ({@code jpt_…}) against {@code api.api_token}, on every request: the row is
 * read by the SHA-256 of the token, and a token that is unknown, revoked or expired is refused. Nothing
 * is cached, so a revoke or an expiry takes effect on the very next request, on every replica. Other
 * credentials (JWTs) are left to the next providers.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(ApiTokenIdentityProvider.class);
    private static final String FIND = "select id, workspace, role, expires_at, revoked_at, last_used_at"
            + " from api.api_token where token_hash = $1";
    private static final String TOUCH = "update api.api_token set last_used_at = $2 where id = $1"
            + " and (last_used_at is null or last_used_at < $2)";
    /** last_used_at is written at most this often per token: reads stay reads. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Pool pool;

    public ApiTokenIdentityProvider(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return SYSTEM_FIRST * 3; // ahead of the JWT cache and quarkus-oidc
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken() == null ? null : request.getToken().getToken();
        if (!ApiTokenValue.claims(token)) {
            return Uni.createFrom().nullItem();
        }
        if (!ApiTokenValue.wellFormed(token)) {
            return Uni.createFrom().failure(rejected().exception());
        }
        return pool.preparedQuery(FIND).execute(Tuple.of(Buffer.buffer(ApiTokenValue.hash(token))))
                .onFailure().transform(e -> {
                    LOG.warnf("API tokens cannot be checked: %s", e.toString());
                    return new AuthFailure(Status.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE",
                            "API tokens cannot be checked right now", "Retry in a few seconds.").exception();
                })
                .chain(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return Uni.createFrom().failure(rejected().exception());
                    }
                    return admit(it.next());
                });
    }

    private Uni<SecurityIdentity> admit(Row row) {
        Instant now = Instant.now();
        UUID id = row.getUUID("id");
        if (row.getValue("revoked_at") != null || !instant(row.getOffsetDateTime("expires_at")).isAfter(now)) {
            return Uni.createFrom().failure(rejected().exception());
        }
        Role role = Role.parse(row.getString("role")).orElse(null);
        if (role == null) {
            return Uni.createFrom().failure(rejected().exception());
        }
        SecurityIdentity identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new ApiTokenPrincipal(id, row.getString("workspace"), role)).build();
        OffsetDateTime lastUsed = row.getOffsetDateTime("last_used_at");
        if (lastUsed != null && instant(lastUsed).isAfter(now.minus(TOUCH_EVERY))) {
            return Uni.createFrom().item(identity);
        }
        return pool.preparedQuery(TOUCH).execute(Tuple.of(id, now.atOffset(java.time.ZoneOffset.UTC)))
                .onFailure().invoke(e -> LOG.debugf("last use of API token %s not recorded: %s", id, e.toString()))
                .onFailure().recoverWithNull()
                .replaceWith(identity);
    }

    private static Instant instant(OffsetDateTime at) {
        return at.toInstant();
    }

    private static AuthFailure rejected() {
        return AuthFailure.unauthenticated("The API token is unknown, revoked or expired",
                "Ask an admin of the workspace for a new token (POST /api/v1/workspaces/{workspace}/api-tokens); "
                        + "admins see their tokens' state with GET /api/v1/workspaces/{workspace}/api-tokens.");
    }
}
