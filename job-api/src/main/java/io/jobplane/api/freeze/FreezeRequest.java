package io.jobplane.api.freeze;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A freeze window as PUT gives it (checked by {@link FreezeWindow#of}). */
public record FreezeRequest(
        @Schema(description = "When the freeze starts; default now") Instant from,
        @Schema(description = "When it ends and the workspace resumes by itself; at most 30 days after from", required = true) Instant until,
        @Schema(description = "WAIT: launches are accepted and wait QUEUED; REFUSE: refused with 409 WORKSPACE_FROZEN", required = true) FreezeWindow.Mode mode,
        @Schema(description = "Why, shown to those whose launches wait or are refused; at most 500 characters", required = true) String reason) {
}
