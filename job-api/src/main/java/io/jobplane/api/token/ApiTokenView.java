package io.jobplane.api.token;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An API token as the API shows it: never its value, except in the one answer that creates it
 * ({@code token}).
 */
public record ApiTokenView(UUID tokenId, String workspace, String name, String description, String role,
        @Schema(enumeration = { "active", "expired", "revoked" }) String status, String createdBy, Instant createdAt,
        Instant expiresAt, Instant lastUsedAt, Instant revokedAt, String revokedBy,
        @Schema(description = "The token's value: only in the answer to its creation, never again. Send it as "
                + "'Authorization: Bearer <token>' (or X-Auth-Token, x-cdata-authtoken, Basic password)")
        @JsonInclude(JsonInclude.Include.NON_NULL) String token) {

    static ApiTokenView of(ApiTokenEntity e, Instant now) {
        return withValue(e, now, null);
    }

    static ApiTokenView withValue(ApiTokenEntity e, Instant now, String token) {
        return new ApiTokenView(e.id, e.workspace, e.name, e.description, e.role.toLowerCase(Locale.ROOT),
                status(e.revokedAt, e.expiresAt, now), e.createdBy, e.createdAt, e.expiresAt, e.lastUsedAt,
                e.revokedAt, e.revokedBy, token);
    }

    static String status(Instant revokedAt, Instant expiresAt, Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        return expiresAt.isAfter(now) ? "active" : "expired";
    }

    @Override
    public String toString() {
        return "ApiTokenView[" + tokenId + ", " + name + "]"; // never the value
    }
}
