package io.jobplane.api.pool;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A workspace's pool as the API shows it, with the slots its active runs hold now. */
public record PoolView(String name, int slots, String description,
        @Schema(description = "Slots the pool's active runs hold now") int slotsInUse,
        Instant createdAt, Instant updatedAt) {
}
