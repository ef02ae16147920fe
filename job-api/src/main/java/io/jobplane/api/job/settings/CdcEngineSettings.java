package io.jobplane.api.job.settings;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The change-data-capture engine's identity at the source (CData {@code CDC_Engine_Settings}). */
public record CdcEngineSettings(
        @Schema(description = "Name of the capture (e.g. the replication slot)") @NotBlank @Size(max = 63) @Pattern(regexp = Replication.IDENTIFIER, message = Replication.IDENTIFIER_RULE) String name,
        @Schema(description = "Schema holding the engine's bookkeeping tables") @Size(max = 63) @Pattern(regexp = Replication.IDENTIFIER, message = Replication.IDENTIFIER_RULE) String schema) {
}
