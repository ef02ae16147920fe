package io.jobplane.stack;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/** Signs dev JWTs (RS256) the local job-api accepts: issuer, audience, expiry and workspace roles. */
public final class DevTokens {

    public static final String ISSUER = "jobplane-dev";
    public static final String AUDIENCE = "jobplane";
    public static final String WORKSPACES_CLAIM = "workspaces";
    public static final Set<String> ROLES = Set.of("viewer", "operator", "editor", "admin");

    private DevTokens() {
    }

    /** A token for {@code subject} holding the given role in each workspace, valid for {@code ttl}. */
    public static String mint(PrivateKey key, String subject, Map<String, String> workspaceRoles, Duration ttl) {
        Builder builder = builder(key).subject(subject).expiresAt(Instant.now().plus(ttl));
        workspaceRoles.forEach(builder::workspace);
        return builder.sign();
    }

    public static Builder builder(PrivateKey key) {
        return new Builder(key);
    }

    /** For tokens that are deliberately wrong in one way: issuer, audience or expiry. */
    public static final class Builder {
        private final PrivateKey key;
        private String subject = "dev";
        private String issuer = ISSUER;
        private String audience = AUDIENCE;
        private Instant expiresAt = Instant.now().plus(Duration.ofHours(1));
        private final Map<String, String> workspaces = new LinkedHashMap<>();

        private Builder(PrivateKey key) {
            this.key = key;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder workspace(String workspace, String role) {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "': use one of viewer, operator, editor, admin");
            }
            workspaces.put(workspace, role);
            return this;
        }

        public String sign() {
            Instant issuedAt = expiresAt.isBefore(Instant.now()) ? expiresAt.minus(Duration.ofHours(1)) : Instant.now();
            return Jwt.claims()
                    .issuer(issuer)
                    .audience(audience)
                    .subject(subject)
                    .upn(subject)
                    .issuedAt(issuedAt)
                    .expiresAt(expiresAt)
                    .claim(WORKSPACES_CLAIM, workspaces)
                    .jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                    .sign(key);
        }
    }
}
