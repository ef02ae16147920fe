package io.jobplane.api.job.settings;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How often work is tried: a failed task is tried up to {@code attempts} times within its run, and a
 * run whose worker was lost is started again as a new attempt up to {@code attempts} times. The
 * wait before a retry is {@code backoff_seconds}, doubling after each.
 */
public record Retry(
        @Schema(description = "Tries in all, 1 (no retry) to 10; default 1") @Min(1) @Max(10) Integer attempts,
        @Schema(description = "Seconds before the first retry, doubling after each; default 10") @Min(0) @Max(3600) Integer backoffSeconds) {

    static final Retry DEFAULT = new Retry(1, 10);

    Retry withDefaults() {
        return new Retry(attempts == null ? 1 : attempts, backoffSeconds == null ? 10 : backoffSeconds);
    }
}
