package io.jobplane.api.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;

/**
 * Answers a bearer token from {@link VerifiedTokens} before quarkus-oidc would verify it again. It
 * runs first among the token providers; when it has nothing, quarkus-oidc verifies the token as
 * always, and {@link Keeper} (the first augmentor) keeps what it verified.
 */
@ApplicationScoped
public class CachedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final VerifiedTokens tokens;

    public CachedTokenIdentityProvider(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return SYSTEM_FIRST * 2; // ahead of quarkus-oidc's provider
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        TokenCredential token = request.getToken();
        if (token == null || token.getToken() == null) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(tokens.find(token.getToken(), HttpSecurityUtils.getRoutingContextAttribute(request)));
    }

    /** Keeps identities quarkus-oidc verified, before any other augmentor has changed them. */
    @ApplicationScoped
    public static class Keeper implements SecurityIdentityAugmentor {

        private final VerifiedTokens tokens;

        public Keeper(VerifiedTokens tokens) {
            this.tokens = tokens;
        }

        @Override
        public int priority() {
            return Integer.MAX_VALUE;
        }

        @Override
        public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
            TokenCredential token = identity.getCredential(TokenCredential.class);
            if (token != null && token.getToken() != null) {
                tokens.keep(token.getToken(), identity);
            }
            return Uni.createFrom().item(identity);
        }
    }
}
