package io.jobplane.api.job.source;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One stored version of a job's step package, without its bytes. */
public record SourceVersion(UUID jobId, int version, String sha256, int sizeBytes, List<String> steps, Instant uploadedAt,
        String uploadedBy) {

    static SourceVersion of(JobSourceEntity e) {
        return new SourceVersion(e.jobId, e.version, e.sha256, e.sizeBytes, List.of(e.steps), e.uploadedAt, e.uploadedBy);
    }
}
