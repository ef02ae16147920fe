package io.jobplane.events.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.jobplane.events.EventRecords;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Sends refused records to {@code jobplane.dead-letter} through a service's dead-letter channel:
 * key, value and headers as received, plus the dead-letter headers (see {@link EventRecords#deadLetter}).
 */
public final class KafkaDeadLetters implements DeadLetterSink {

    private static final Logger LOG = Logger.getLogger(KafkaDeadLetters.class);

    private final MutinyEmitter<String> emitter;

    public KafkaDeadLetters(MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Uni<Void> send(ConsumerRecord<String, String> record, Throwable why) {
        LOG.warnf("%s-%d@%d cannot be applied (%s); sent to the dead-letter topic", record.topic(), record.partition(),
                record.offset(), why.getMessage());
        // A tombstone has no value to keep; the headers still say where it was.
        String value = record.value() == null ? "" : record.value();
        return emitter.sendMessage(Message.of(value).addMetadata(EventRecords.deadLetter(record, why)));
    }
}
