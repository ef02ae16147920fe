package io.jobplane.api.run;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An operator's word on an ended run: its status from now on, and why. */
public record MarkRequest(
        @Schema(description = "SUCCESS or FAILED", required = true)
        @NotNull @Pattern(regexp = "SUCCESS|FAILED", message = "must be SUCCESS or FAILED") String status,
        @Schema(description = "Why, at most 1000 characters", required = true)
        @NotBlank @Size(max = 1000) String reason) {
}
