package io.jobplane.api.backfill;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The range of schedule ticks to run, both ends included. */
public record BackfillRequest(
        @Schema(description = "First instant of the range (RFC 3339), included") @NotNull Instant from,
        @Schema(description = "Last instant of the range (RFC 3339), included") @NotNull Instant to) {
}
