package io.jobplane.api.notify;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new webhook: where run ends are POSTed, which ones, and the secret that signs them. */
public record WebhookRequest(
        @Schema(description = "http or https URL that receives a POST per run end; shown in reads, so no credentials in it")
        @NotBlank @Size(max = 2048) String url,
        @Schema(description = "Run statuses that trigger it; absent or empty: every run end") @Size(max = 3) List<@NotNull RunEnd> events,
        @Schema(description = "Write-only: the key of the HMAC-SHA256 signature (X-Jobplane-Signature), 16 to 256 characters")
        @NotBlank @Size(min = 16, max = 256) String secret) {

    /** How a run ended. */
    public enum RunEnd {
        SUCCESS, FAILED, STOPPED
    }
}
