package io.jobplane.api.token;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An API token as an admin asks for it. */
public record ApiTokenRequest(
        @Schema(description = "What the token is for, e.g. the script or system that uses it") @NotBlank @Size(max = 100) String name,
        @Size(max = 1000) String description,
        @Schema(description = "The role the token acts with in the workspace", enumeration = { "viewer", "operator", "editor",
                "admin" }) @NotBlank @Size(max = 20) String role,
        @Schema(description = "When the token stops working: an RFC 3339 timestamp in the future, at most "
                + "jobplane.api-tokens.max-lifetime (365 days) ahead", example = "2026-12-31T23:59:59Z") @NotBlank @Size(max = 64) String expiresAt) {
}
