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
import io.jobplane.events.payload.TaskProgress;
import io.jobplane.events.payload.TaskStarted;
import io.jobplane.harvester.readmodel.RunReadModel;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
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
        List<Read> readable = new ArrayList<>();
        RunReadModel.Changes changes = new RunReadModel.Changes();
        Uni<Void> rejected = Uni.createFrom().voidItem();
        for (ConsumerRecord<String, String> record : records) {
            // Each event's changes are made apart first: one found malformed halfway leaves nothing behind.
            RunReadModel.Changes own = new RunReadModel.Changes();
            try {
                add(own, EventCodec.decode(record.value()));
            } catch (MalformedEventException e) {
                rejected = rejected.call(() -> deadLetter(record, e));
                continue;
            }
            changes.addAll(own);
            readable.add(new Read(record, own));
        }
        return rejected.chain(() -> changes.isEmpty() ? Uni.createFrom().voidItem() : applyBatch(changes, readable));
    }

    private Uni<Void> applyBatch(RunReadModel.Changes changes, List<Read> events) {
        return retryingOutages(pool.withTransaction(connection -> readModel.apply(connection, changes)),
                "a batch of " + events.size())
                .onFailure(RunEventListener::isPoison).recoverWithUni(() -> applyOneByOne(events));
    }

    /** The batch held an event the read model refuses: apply each alone and dead-letter the ones refused. */
    private Uni<Void> applyOneByOne(List<Read> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Read event : events) {
            ConsumerRecord<String, String> record = event.record();
            chain = chain.chain(() -> retryingOutages(pool.withTransaction(c -> readModel.apply(c, event.changes())),
                    record.topic() + "-" + record.partition() + "@" + record.offset())
                    .onFailure(RunEventListener::isPoison).recoverWithUni(e -> deadLetter(record, e)));
        }
        return chain;
    }

    /** A record that could be read, and what its event changes. */
    private record Read(ConsumerRecord<String, String> record, RunReadModel.Changes changes) {
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

    /** Adds the event's changes; an event that lacks what its type requires is malformed. */
    private static void add(RunReadModel.Changes changes, CloudEvent event) {
        try {
            switch (event.type()) {
                case EventTypes.RUN_QUEUED -> changes.queued(event.dataAs(RunQueued.class));
                case EventTypes.RUN_STARTED -> changes.started(event.dataAs(RunStarted.class));
                case EventTypes.RUN_CANCELLING -> changes.cancelling(event.dataAs(RunCancelling.class));
                case EventTypes.RUN_FINISHED -> changes.finished(event.dataAs(RunFinished.class));
                case EventTypes.TASK_STARTED -> changes.taskStarted(event.dataAs(TaskStarted.class));
                case EventTypes.TASK_FINISHED -> changes.taskFinished(event.dataAs(TaskFinished.class));
                case EventTypes.TASK_PROGRESS -> changes.taskProgress(event.dataAs(TaskProgress.class));
                case EventTypes.RUN_LOG -> changes.log(event.dataAs(RunLog.class));
                // Heartbeats are job-api's business (run supervision); dashboards read them from the topic.
                case EventTypes.RUN_HEARTBEAT -> {
                }
                // Newer producers may add event types; ignoring them keeps this consumer compatible.
                default -> LOG.debugf("ignoring run event of unknown type %s", event.type());
            }
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new MalformedEventException("event " + event.id() + " lacks a required field: " + e.getMessage());
        }
    }
}
