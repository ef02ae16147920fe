package io.jobplane.harvester.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.DeadLetterHeaders;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.payload.RunCancelling;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskStarted;
import io.jobplane.harvester.readmodel.RunReadModel;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * Applies {@code jobplane.run-events} to the run read model a poll at a time, in one transaction
 * per batch and in the order of the partition. A record that cannot be read goes to the dead-letter
 * topic. When the batch's transaction fails because of one event's data, the batch is applied again
 * event by event, so only that event is dead-lettered. A database outage is retried with backoff
 * instead, because dead-lettering a good event would lose it from the read model.
 */
@ApplicationScoped
public class RunEventListener {

    private static final Logger LOG = Logger.getLogger(RunEventListener.class);

    private final Pool pool;
    private final RunReadModel readModel;
    private final MutinyEmitter<String> deadLetters;

    public RunEventListener(Pool pool, RunReadModel readModel, @Channel("dead-letter") MutinyEmitter<String> deadLetters) {
        this.pool = pool;
        this.readModel = readModel;
        this.deadLetters = deadLetters;
    }

    @Incoming("run-events")
    public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
        List<Decoded> events = new ArrayList<>();
        Uni<Void> rejected = Uni.createFrom().voidItem();
        for (ConsumerRecord<String, String> record : records) {
            try {
                events.add(new Decoded(record, EventCodec.decode(record.value())));
            } catch (MalformedEventException e) {
                rejected = rejected.call(() -> deadLetter(record, e));
            }
        }
        return rejected.chain(() -> events.isEmpty() ? Uni.createFrom().voidItem() : applyBatch(events));
    }

    private Uni<Void> applyBatch(List<Decoded> events) {
        return retryingOutages(pool.withTransaction(connection -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Decoded event : events) {
                chain = chain.chain(() -> apply(connection, event.event()));
            }
            return chain;
        }), "a batch of " + events.size())
                .onFailure(RunEventListener::isPoison).recoverWithUni(() -> applyOneByOne(events));
    }

    /** The batch held an event the read model refuses: apply each alone and dead-letter the ones refused. */
    private Uni<Void> applyOneByOne(List<Decoded> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Decoded event : events) {
            chain = chain.chain(() -> retryingOutages(pool.withTransaction(c -> apply(c, event.event())), event.event().id())
                    .onFailure(RunEventListener::isPoison).recoverWithUni(e -> deadLetter(event.record(), e)));
        }
        return chain;
    }

    private static Uni<Void> retryingOutages(Uni<Void> work, String what) {
        return work.onFailure(failure -> !isPoison(failure))
                .invoke(failure -> LOG.warnf("run events (%s) not applied yet, retrying: %s", what, failure.getMessage()))
                .onFailure(failure -> !isPoison(failure))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely();
    }

    /** Failures that no retry can cure: the event itself is wrong, so it goes to the dead-letter topic. */
    private static boolean isPoison(Throwable failure) {
        if (failure instanceof MalformedEventException) {
            return true;
        }
        // SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, Throwable why) {
        LOG.warnf("%s-%d@%d cannot be applied (%s); sent to the dead-letter topic", record.topic(), record.partition(),
                record.offset(), why.getMessage());
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.of(record.topic(), record.partition(), record.offset(), why)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return deadLetters.sendMessage(Message.of(record.value() == null ? "" : record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build()));
    }

    private Uni<Void> apply(SqlConnection sql, CloudEvent event) {
        try {
            return applyChecked(sql, event);
        } catch (NullPointerException | IllegalArgumentException e) {
            return Uni.createFrom().failure(
                    new MalformedEventException("event " + event.id() + " lacks a required field: " + e.getMessage()));
        }
    }

    private Uni<Void> applyChecked(SqlConnection sql, CloudEvent event) {
        return switch (event.type()) {
            case EventTypes.RUN_QUEUED -> readModel.queued(sql, event.dataAs(RunQueued.class));
            case EventTypes.RUN_STARTED -> readModel.started(sql, event.dataAs(RunStarted.class));
            case EventTypes.RUN_CANCELLING -> readModel.cancelling(sql, event.dataAs(RunCancelling.class));
            case EventTypes.RUN_FINISHED -> readModel.finished(sql, event.dataAs(RunFinished.class));
            case EventTypes.TASK_STARTED -> readModel.taskStarted(sql, event.dataAs(TaskStarted.class));
            case EventTypes.TASK_FINISHED -> readModel.taskFinished(sql, event.dataAs(TaskFinished.class));
            case EventTypes.RUN_LOG -> readModel.log(sql, event.dataAs(RunLog.class));
            // Heartbeats are job-api's business (run supervision); dashboards read them from the topic.
            case EventTypes.RUN_HEARTBEAT -> Uni.createFrom().voidItem();
            default -> {
                // Newer producers may add event types; ignoring them keeps this consumer compatible.
                LOG.debugf("ignoring run event of unknown type %s", event.type());
                yield Uni.createFrom().voidItem();
            }
        };
    }

    private record Decoded(ConsumerRecord<String, String> record, CloudEvent event) {
    }
}
