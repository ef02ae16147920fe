package io.jobplane.api.pool;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A pool as PUT gives it. */
public record PoolRequest(
        @Schema(description = "Slots the pool has: the runs holding them take at most this many in all", required = true)
        @NotNull @Min(1) @Max(PoolRequest.MAX_SLOTS) Integer slots,
        @Schema(description = "What the pool guards, e.g. the database its jobs share; at most 500 characters")
        @Size(max = 500) String description) {

    /** The most slots a pool has. */
    public static final int MAX_SLOTS = 10_000;
}
