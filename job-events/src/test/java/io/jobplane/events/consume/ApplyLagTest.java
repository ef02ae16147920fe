package io.jobplane.events.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ApplyLagTest {

    @Test
    void eachRecordCountsFromItsTimestampToNowAndRecordsWithoutOneAreLeftOut() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ApplyLag lag = ApplyLag.of(registry, "runs");
        long now = System.currentTimeMillis();
        TopicPartition tp = new TopicPartition("t", 0);
        ConsumerRecords<String, String> records = new ConsumerRecords<>(Map.of(tp, List.of(
                record(tp, 0, now - 2_000), record(tp, 1, now - 1_000), record(tp, 2, -1))), Map.of());

        lag.applied(records);

        Timer timer = registry.get("jobplane.read_model.apply.lag").tag("read_model", "runs").timer();
        assertEquals(2, timer.count());
        assertTrue(timer.max(TimeUnit.MILLISECONDS) >= 2_000, "the older record's lag, at least 2 s");
        assertTrue(timer.totalTime(TimeUnit.MILLISECONDS) >= 3_000);
    }

    private static ConsumerRecord<String, String> record(TopicPartition tp, long offset, long timestamp) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, timestamp,
                timestamp < 0 ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME, 0, 0, "k", "v",
                new RecordHeaders(), Optional.empty());
    }
}
