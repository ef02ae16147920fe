package io.jobplane.api.security;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Takes the request's one credential from wherever the platform's clients put it
 * ({@link PresentedCredentials}: {@code Authorization: Bearer}, {@code X-Auth-Token},
 * {@code x-cdata-authtoken}, {@code Authorization: Basic}) and has it verified by the identity
 * providers, exactly as a bearer token: {@code ApiTokenIdentityProvider} for API tokens, then
 * {@link CachedTokenIdentityProvider} and quarkus-oidc for JWTs. It runs ahead of quarkus-oidc's own
 * mechanism, which is left only requests without a credential (and finds none either).
 */
@ApplicationScoped
public class PlatformCredentialsMechanism implements HttpAuthenticationMechanism {

    /** Ahead of quarkus-oidc's mechanism (1001). */
    static final int PRIORITY = 2000;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        Optional<String> token;
        try {
            token = PresentedCredentials.find(name -> context.request().headers().getAll(name));
        } catch (PresentedCredentials.Refused refused) {
            return Uni.createFrom().failure(refused.failure().exception());
        }
        if (token.isEmpty()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new AccessTokenCredential(token.get())), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(HttpResponseStatus.UNAUTHORIZED.code(),
                HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER,
                PresentedCredentials.X_AUTH_TOKEN.toLowerCase(), "jobplane"));
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
