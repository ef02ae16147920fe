package io.jobplane.api.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A run found by the run search, as the run read model holds it (without tasks: read one run for those). */
public record FoundRun(
        String runId,
        String jobId,
        @Schema(description = "The job's name at launch") String jobName,
        String status,
        int attempt,
        String trigger,
        @Schema(description = "Who launched the run: a token subject, scheduler, workflow <id>; null for runs launched before it was recorded")
        String requestedBy,
        @Schema(description = "The tags given at launch, key to value") Map<String, String> tags,
        @Schema(description = "The job's labels when the run was launched") List<String> jobLabels,
        Instant executionDate,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        String errorCode,
        String errorMessage) {

    /** A page of found runs, newest first by queued time; {@code next_cursor} continues, absent on the last page. */
    public record Page(List<FoundRun> runs, String nextCursor) {
    }
}
