package io.jobplane.api.backfill;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.jobplane.api.run.RunEntity;
import io.jobplane.api.run.RunState;

/** A backfill as the API shows it: its range, its state, and one run per tick. */
public record BackfillView(
        UUID backfillId,
        UUID jobId,
        Instant from,
        Instant to,
        @Schema(description = "RUNNING while a run has not ended; then SUCCESS (every run succeeded) or FAILED; "
                + "CANCELLED once cancelled") String status,
        @Schema(description = "How many of its runs are in each status") Map<String, Integer> runCounts,
        List<BackfillRun> runs,
        String requestedBy,
        Instant requestedAt,
        String cancelledBy,
        Instant cancelledAt) {

    /** One run of the backfill. */
    public record BackfillRun(UUID runId, Instant executionDate, String status) {
    }

    static BackfillView of(BackfillEntity b, List<RunEntity> runs) {
        Map<String, Integer> counts = new TreeMap<>();
        runs.forEach(r -> counts.merge(r.state.publicStatus(), 1, Integer::sum));
        String status = b.cancelledAt != null ? "CANCELLED"
                : runs.stream().anyMatch(r -> RunState.UNFINISHED.contains(r.state)) ? "RUNNING"
                : runs.stream().allMatch(r -> r.state == RunState.SUCCESS) ? "SUCCESS" : "FAILED";
        return new BackfillView(b.id, b.jobId, b.rangeFrom, b.rangeTo, status, counts,
                runs.stream().map(r -> new BackfillRun(r.id, r.executionDate, r.state.publicStatus())).toList(),
                b.requestedBy, b.requestedAt, b.cancelledBy, b.cancelledAt);
    }
}
