package io.jobplane.events.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

import io.jobplane.events.EventRecords;
import io.jobplane.events.failure.Failures;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Sends refused records to {@code jobplane.dead-letter} through a service's dead-letter channel:
 * key, value and headers as received, plus the dead-letter headers (see {@link EventRecords#deadLetter}).
 * A record the dead-letter topic itself refuses (larger than it takes) goes there without its value,
 * with {@value #VALUE_DROPPED} saying how many bytes it had, so the reason and the place are still on record.
 */
public final class KafkaDeadLetters implements DeadLetterSink {

    private static final Logger LOG = Logger.getLogger(KafkaDeadLetters.class);
    /** Header of a dead letter sent without its value: the value's size in bytes (UTF-8). */
    public static final String VALUE_DROPPED = "dead-letter-value-dropped";

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
        return emitter.sendMessage(Message.of(value).addMetadata(EventRecords.deadLetter(record, why)))
                .onFailure(Failures::isPoison).recoverWithUni(refused -> {
                    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
                    LOG.warnf("%s-%d@%d: the dead-letter topic refused the record (%s); sending it without its %d-byte value",
                            record.topic(), record.partition(), record.offset(), refused.getMessage(), bytes);
                    var metadata = EventRecords.deadLetter(record, why);
                    metadata.getHeaders().add(VALUE_DROPPED, Integer.toString(bytes).getBytes(StandardCharsets.UTF_8));
                    return emitter.sendMessage(Message.of("").addMetadata(metadata));
                });
    }
}
