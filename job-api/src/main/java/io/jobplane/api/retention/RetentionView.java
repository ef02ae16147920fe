package io.jobplane.api.retention;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A workspace's retention policy as GET and PUT show it; {@code policy} DEFAULT: none set, the platform's defaults apply. */
public record RetentionView(String workspace, int logsDays, int runsDays,
        @Schema(description = "WORKSPACE: set for this workspace; DEFAULT: none set, the platform's defaults apply") String policy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String setBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant setAt) {
}
