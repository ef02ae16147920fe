package io.jobplane.events.consume;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A read model's apply lag: for each record of a batch once the batch's transaction committed, the time
 * from the record's Kafka timestamp (when its producer sent the event) to now, when the change is visible
 * to readers. Recorded as {@code jobplane_read_model_apply_lag_seconds{read_model=…}} (docs/observability.md).
 */
public final class ApplyLag {

    /** The buckets (SLOs) of jobplane's lag histograms, besides their sum and count. */
    private static final Duration[] BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5) };

    private final Timer timer;

    /**
     * The buckets of jobplane's lag histograms: this read-model apply lag and job-api's outbox relay lag
     * (10 ms to 5 min).
     */
    public static Duration[] lagBuckets() {
        return BUCKETS.clone();
    }

    private ApplyLag(Timer timer) {
        this.timer = timer;
    }

    /** The lag of one read model ({@code runs}, {@code catalog}, {@code grants}: a fixed name, never a tenant's). */
    public static ApplyLag of(MeterRegistry registry, String readModel) {
        return new ApplyLag(Timer.builder("jobplane.read_model.apply.lag")
                .description("Time from an event's Kafka timestamp to its change committed in a read model")
                .tag("read_model", readModel).serviceLevelObjectives(BUCKETS).register(registry));
    }

    /** The batch is committed: each of its records counts from its timestamp to now. */
    public void applied(ConsumerRecords<?, ?> records) {
        long now = System.currentTimeMillis();
        for (ConsumerRecord<?, ?> record : records) {
            if (record.timestamp() >= 0) {
                timer.record(Duration.ofMillis(Math.max(0, now - record.timestamp())));
            }
        }
    }
}
