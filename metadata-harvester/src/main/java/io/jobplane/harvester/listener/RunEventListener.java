package io.jobplane.harvester.listener;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.jobplane.events.EventTypes;
import io.jobplane.events.consume.ApplyLag;
import io.jobplane.events.consume.EventConsumer;
import io.jobplane.events.consume.EventRoutes;
import io.jobplane.events.consume.KafkaDeadLetters;
import io.jobplane.events.payload.RunCancelling;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunMarked;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskProgress;
import io.jobplane.events.payload.TaskStarted;
import io.jobplane.events.payload.WorkspaceRetention;
import io.jobplane.events.trace.Traces;
import io.jobplane.harvester.readmodel.RetentionPolicies;
import io.jobplane.harvester.readmodel.RunReadModel;
import io.jobplane.harvester.readmodel.RunReadModel.Changes;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Applies {@code jobplane.run-events} to the run read model a poll at a time, in one transaction
 * per batch and in the order of the partition, through job-events' {@link EventConsumer}: a record
 * that cannot be read goes to the dead-letter topic; when the batch's transaction fails because of
 * one event's data, the batch is applied again event by event, so only that event is dead-lettered;
 * a database outage is retried with backoff instead, because dead-lettering a good event would lose
 * it from the read model.
 */
@ApplicationScoped
public class RunEventListener {

    /** The span of applying events, a child of the span that sent them (docs/tracing.md). */
    static final String SPAN = "apply run events";

    /**
     * Each event's changes are made apart first, so one found malformed halfway leaves nothing behind.
     * Heartbeats are job-api's business (run supervision; dashboards read them from the topic), and
     * types newer producers add are ignored, which keeps this consumer compatible.
     */
    private static final EventRoutes<Changes> ROUTES = EventRoutes.<Changes>create()
            .on(EventTypes.RUN_QUEUED, RunQueued.class, e -> changes(c -> c.queued(e)))
            .on(EventTypes.RUN_STARTED, RunStarted.class, e -> changes(c -> c.started(e)))
            .on(EventTypes.RUN_CANCELLING, RunCancelling.class, e -> changes(c -> c.cancelling(e)))
            .on(EventTypes.RUN_FINISHED, RunFinished.class, e -> changes(c -> c.finished(e)))
            .on(EventTypes.RUN_MARKED, RunMarked.class, e -> changes(c -> c.marked(e)))
            .on(EventTypes.TASK_STARTED, TaskStarted.class, e -> changes(c -> c.taskStarted(e)))
            .on(EventTypes.TASK_FINISHED, TaskFinished.class, e -> changes(c -> c.taskFinished(e)))
            .on(EventTypes.TASK_PROGRESS, TaskProgress.class, e -> changes(c -> c.taskProgress(e)))
            .on(EventTypes.RUN_LOG, RunLog.class, e -> changes(c -> c.log(e)))
            .on(EventTypes.WORKSPACE_RETENTION, WorkspaceRetention.class, e -> changes(c -> c.retention(e)));

    private final Pool pool;
    private final RunReadModel readModel;
    private final EventConsumer<Changes> events;
    private final ApplyLag lag;

    public RunEventListener(Pool pool, RunReadModel readModel, @Channel("dead-letter") MutinyEmitter<String> deadLetters,
            MeterRegistry registry, Tracer tracer) {
        this.pool = pool;
        this.lag = ApplyLag.of(registry, "runs");
        this.readModel = readModel;
        this.events = EventConsumer.deadLettering("run read model", ROUTES, new KafkaDeadLetters(deadLetters))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .within(Traces.consumerSpans(tracer, SPAN));
    }

    @Incoming("run-events")
    public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
        return events.consume(records, this::apply).invoke(() -> lag.applied(records));
    }

    /** The events' changes, in their order, written in one transaction. */
    private Uni<Void> apply(List<Changes> changes) {
        Changes batch = new Changes();
        changes.forEach(batch::addAll);
        return pool.withTransaction(connection -> readModel.apply(connection, batch)
                .chain(() -> RetentionPolicies.save(connection, batch.policies())));
    }

    private static Changes changes(Consumer<Changes> event) {
        Changes changes = new Changes();
        event.accept(changes);
        return changes;
    }
}
