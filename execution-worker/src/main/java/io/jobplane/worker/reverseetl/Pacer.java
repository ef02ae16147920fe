package io.jobplane.worker.reverseetl;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Keeps requests at most {@code rate} a second by spacing their starts at least {@code 1/rate}
 * apart: in any window of {@code w} seconds at most {@code w × rate + 1} requests start, however
 * many of them are retries. No bursts are saved up while the task waits for something else.
 */
final class Pacer {

    private final long intervalNanos;
    private long next = Long.MIN_VALUE;

    /** {@code rate} null: no limit. */
    Pacer(BigDecimal rate) {
        this.intervalNanos = rate == null ? 0
                : BigDecimal.valueOf(1_000_000_000L).divide(rate, 0, java.math.RoundingMode.CEILING).longValueExact();
    }

    /** How long to wait before the next request may start; zero when it may start now. */
    Duration delay(long now) {
        if (intervalNanos == 0 || next == Long.MIN_VALUE || now - next >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(next - now);
    }

    /** A request starts at {@code now}. */
    void started(long now) {
        next = now + intervalNanos;
    }
}
