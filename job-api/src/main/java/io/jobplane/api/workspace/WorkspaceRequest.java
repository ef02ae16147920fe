package io.jobplane.api.workspace;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.jobplane.api.quota.QuotaLimits;

/** A workspace to register; its id must be one the token holds the admin role in. */
public record WorkspaceRequest(
        @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "may contain letters, digits, '_', '.', '-'") String workspaceId,
        @NotBlank @Size(max = 255) String displayName,
        @Size(max = 4000) String description,
        @Min(1) @Max(100000) Integer maxActiveRuns,
        @Schema(description = "Quotas tighter than the deployment's; a field left out takes the deployment's value")
        @Valid QuotaLimits quotas) {
}
