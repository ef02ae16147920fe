package io.jobplane.events.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.smallrye.mutiny.Uni;

/** Where a consumer puts a record it gives up on ({@link KafkaDeadLetters}: {@code jobplane.dead-letter}). */
@FunctionalInterface
public interface DeadLetterSink {

    /** Puts the record away with the reason; completes once it is safely there. */
    Uni<Void> send(ConsumerRecord<String, String> record, Throwable why);
}
