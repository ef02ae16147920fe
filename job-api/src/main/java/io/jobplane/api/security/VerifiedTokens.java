package io.jobplane.api.security;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer tokens whose signature and claims quarkus-oidc has verified, kept until the earlier of the
 * token's expiry and {@code jobplane.security.token-cache.ttl} after the check, so a client that sends
 * the same token again is not checked again (an RSA verification and a claims parse were a quarter of
 * the API's CPU under load). Keyed by the token's exact text: any other text, a changed signature
 * included, is verified in full. What is kept is the identity as quarkus-oidc made it, without the
 * request it was made for. The ttl bounds how long a token keeps passing after its signing key was
 * withdrawn from the issuer's key set; 0 turns the cache off.
 */
@ApplicationScoped
public class VerifiedTokens {

    /** Set on identities served from here, so they are not stored again. */
    static final String FROM_CACHE = "jobplane.token-cache";
    /** Where quarkus-oidc puts the token's expiry (epoch seconds). */
    private static final String EXPIRE_TIME = "quarkus.identity.expire-time";
    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();

    private final Cache<String, Entry> cache;
    private final Duration ttl;

    public VerifiedTokens(@ConfigProperty(name = "jobplane.security.token-cache.max-size", defaultValue = "10000") long maxSize,
            @ConfigProperty(name = "jobplane.security.token-cache.ttl", defaultValue = "5m") Duration ttl) {
        this.ttl = ttl;
        this.cache = Caffeine.newBuilder().maximumSize(maxSize).recordStats().expireAfter(new Expiry<String, Entry>() {
            @Override
            public long expireAfterCreate(String token, Entry entry, long now) {
                return Math.max(0, TimeUnit.MILLISECONDS.toNanos(entry.until() - System.currentTimeMillis()));
            }

            @Override
            public long expireAfterUpdate(String token, Entry entry, long now, long current) {
                return expireAfterCreate(token, entry, now);
            }

            @Override
            public long expireAfterRead(String token, Entry entry, long now, long current) {
                return current;
            }
        }).build();
    }

    /** The identity verified earlier for exactly this token, for this request; null when there is none (any more). */
    SecurityIdentity find(String token, RoutingContext request) {
        Entry entry = cache.getIfPresent(token);
        if (entry == null) {
            return null;
        }
        if (entry.until() <= System.currentTimeMillis()) {
            cache.invalidate(token);
            return null;
        }
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder(entry.identity())
                .addAttribute(FROM_CACHE, Boolean.TRUE);
        if (request != null) {
            identity.addAttribute(ROUTING_CONTEXT, request);
        }
        return identity.build();
    }

    /** Keeps an identity quarkus-oidc has just verified for this token, until its expiry (or the ttl). */
    void keep(String token, SecurityIdentity verified) {
        if (ttl.isZero() || verified.isAnonymous() || verified.getAttribute(FROM_CACHE) != null) {
            return;
        }
        Object expires = verified.getAttribute(EXPIRE_TIME);
        if (!(expires instanceof Number seconds)) {
            return; // a token without an expiry is checked every time
        }
        long until = Math.min(seconds.longValue() * 1000, Instant.now().plus(ttl).toEpochMilli());
        if (until <= System.currentTimeMillis()) {
            return;
        }
        Map<String, Object> attributes = new HashMap<>(verified.getAttributes());
        attributes.remove(ROUTING_CONTEXT);
        QuarkusSecurityIdentity.Builder kept = QuarkusSecurityIdentity.builder().setPrincipal(verified.getPrincipal())
                .addRoles(verified.getRoles()).addCredentials(verified.getCredentials()).addAttributes(attributes);
        cache.put(token, new Entry(kept.build(), until));
    }

    /** Verifications saved so far (tests and diagnostics). */
    public long hits() {
        return cache.stats().hitCount();
    }

    private record Entry(SecurityIdentity identity, long until) {
    }
}
