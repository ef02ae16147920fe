package io.jobplane.api.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The run metrics job-api measures (docs/observability.md): a run is counted launched by the launch
 * pipeline when it is first written (a retry is no new launch), and ended where job-api records its
 * end, exactly once per run: the supervision update that moves an active run to its end (an end a
 * worker reported), and the ends job-api makes itself (a lost worker, a queued run cancelled, a
 * command too large or refused by Kafka). Labels are bounded: job type, trigger, status.
 */
@ApplicationScoped
public class RunMetrics {

    /** Run durations are counted into these buckets (SLOs), besides their sum and count. */
    static final Duration[] RUN_BUCKETS = { Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6) };

    private final MeterRegistry registry;
    /**
     * The meters by their labels, registered once: looking a meter up in the registry builds its id and
     * sorts its tags, work the launch and supervision paths need not do for every run. Labels are bounded.
     */
    private final Map<String, Counter> launched = new ConcurrentHashMap<>();
    private final Map<String, Counter> ended = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    public RunMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A run written for the first time; {@code trigger}: manual, schedule, workflow or backfill. */
    public void launched(Object jobType, String trigger) {
        String type = label(jobType);
        String why = label(trigger);
        launched.computeIfAbsent(type + '\n' + why, k -> Counter.builder("jobplane.runs.launched")
                .description("Runs launched, once per run (retries are not launches)")
                .tag("job_type", type).tag("trigger", why).register(registry)).increment();
    }

    /**
     * A run ended (once per run); its duration from start to end is recorded when it started (a run
     * cancelled while queued never did).
     */
    public void ended(Object jobType, Object status, Instant startedAt, Instant finishedAt) {
        String type = label(jobType);
        String state = label(status);
        String key = type + '\n' + state;
        ended.computeIfAbsent(key, k -> Counter.builder("jobplane.runs.ended")
                .description("Runs ended, once per run, by final status")
                .tag("job_type", type).tag("status", state).register(registry)).increment();
        if (startedAt != null && finishedAt != null && !finishedAt.isBefore(startedAt)) {
            durations.computeIfAbsent(key, k -> Timer.builder("jobplane.run.duration")
                    .description("Run duration from start to end")
                    .tag("job_type", type).tag("status", state).serviceLevelObjectives(RUN_BUCKETS)
                    .register(registry)).record(Duration.between(startedAt, finishedAt));
        }
    }

    /** An enum name or bounded word as a label value; "UNKNOWN" for none. */
    static String label(Object value) {
        return value == null ? "UNKNOWN" : value.toString();
    }
}
