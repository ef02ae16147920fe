package io.jobplane.api.run;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** The answer to a launch or a cancel: the run id to poll. {@code replayed} is true for a repeated Idempotency-Key. */
public record LaunchResult(
        UUID runId,
        UUID jobId,
        String status,
        int attempt,
        String trigger,
        Instant queuedAt,
        @JsonIgnore boolean replayed) {

    public static LaunchResult of(RunEntity run, boolean replayed) {
        return new LaunchResult(run.id, run.jobId, run.state.publicStatus(), run.attempt, run.trigger, run.requestedAt,
                replayed);
    }
}
