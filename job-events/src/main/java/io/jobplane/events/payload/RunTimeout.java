package io.jobplane.events.payload;

import java.time.Duration;
import java.time.Instant;

/**
 * A job's {@code execution.run_timeout_seconds}: how long a run may take in all. The worker stops a
 * run at {@link #deadline}; the API fails a run its worker did not stop by then, after a grace, as a
 * backstop. Both end it {@code FAILED} with {@link #CODE} and {@link #message}.
 */
public record RunTimeout(int seconds) {

    /** The error code of a run stopped for time. */
    public static final String CODE = "RUN_TIMEOUT";

    public RunTimeout {
        if (seconds < 1) {
            throw new IllegalArgumentException("run_timeout_seconds must be at least 1, was " + seconds);
        }
    }

    /** The run's timeout; null when the settings set none. */
    public static RunTimeout of(RunSettings settings) {
        return settings == null || settings.runTimeoutSeconds() == null ? null : new RunTimeout(settings.runTimeoutSeconds());
    }

    /** When a run started at {@code startedAt} is out of time. */
    public Instant deadline(Instant startedAt) {
        return startedAt.plusSeconds(seconds);
    }

    /** Whether a run started at {@code startedAt} is past its deadline by more than {@code grace} at {@code now}. */
    public boolean overdue(Instant startedAt, Instant now, Duration grace) {
        return now.isAfter(deadline(startedAt).plus(grace));
    }

    /** Why the run failed, for its end event and log. */
    public String message(Instant startedAt, Instant now) {
        long ran = Math.max(0, Duration.between(startedAt, now).toSeconds());
        return "run stopped after " + ran + " s: it may run " + seconds + " s in all (execution.run_timeout_seconds)";
    }
}
