package io.jobplane.api.retention;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A retention policy as PUT gives it (checked by {@link RetentionPolicy#of}). */
public record RetentionRequest(
        @Schema(description = "Days log lines are kept after their run ended: 1 to 3650", required = true) Integer logsDays,
        @Schema(description = "Days ended runs and their task runs are kept: logs_days to 3650", required = true) Integer runsDays) {
}
