package io.jobplane.api.job.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.Zips;

/** How an upload becomes the job's next stored version, and what a version shows. */
class SourceVersionTest {

    private final UUID job = UUID.randomUUID();
    private final StepPackage uploaded = StepPackage.read(Zips.of(Map.of("10_run.sh", "echo hi")));
    private final Instant now = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void theFirstUploadIsVersionOneAndEachLaterOneTheNext() {
        assertEquals(1, JobSourceEntity.next(job, null, uploaded, "alice", now).version);
        assertEquals(8, JobSourceEntity.next(job, 7, uploaded, "alice", now).version);
    }

    @Test
    void aVersionHoldsThePackageByteForByteAndShowsEverythingButTheBytes() {
        JobSourceEntity stored = JobSourceEntity.next(job, 2, uploaded, "alice", now);
        assertArrayEquals(uploaded.content(), stored.content);
        assertEquals(new SourceVersion(job, 3, uploaded.sha256(), uploaded.content().length, List.of("10_run.sh"), now, "alice"),
                SourceVersion.of(stored));
    }
}
