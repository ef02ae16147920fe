package io.jobplane.api.workspace;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A registered workspace's settings, replaced as a whole; a left-out max_active_runs removes the cap. */
public record WorkspaceUpdate(
        @NotBlank @Size(max = 255) String displayName,
        @Size(max = 4000) String description,
        @Min(1) @Max(100000) Integer maxActiveRuns) {
}
