package io.jobplane.harvester.listener;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.jobplane.events.consume.ApplyLag;
import io.jobplane.events.consume.EventConsumer;
import io.jobplane.events.consume.EventRoutes;
import io.jobplane.events.consume.KafkaDeadLetters;
import io.jobplane.events.trace.Traces;
import io.jobplane.harvester.readmodel.catalog.CatalogEvent;
import io.jobplane.harvester.readmodel.catalog.CatalogReadModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Applies {@code jobplane.catalog-changes} to the catalog read model a poll at a time (up to 100
 * events), in one transaction per batch and in the order of the partition, through job-events'
 * {@link EventConsumer}: a record that cannot be read, or whose change is malformed, goes to the
 * dead-letter topic; when the batch's transaction fails because of one event's data, the batch is
 * applied again event by event, so only that event is dead-lettered; a database outage is retried
 * with backoff. Types that are not catalog changes are ignored.
 */
@ApplicationScoped
public class CatalogEventListener {

    /** The span of applying events, a child of the span that sent them (docs/tracing.md). */
    static final String SPAN = "apply catalog changes";

    private static final EventRoutes<CatalogEvent> ROUTES = EventRoutes.<CatalogEvent>create().otherwise(CatalogEvent::read);

    private final Pool pool;
    private final CatalogReadModel readModel;
    private final EventConsumer<CatalogEvent> events;
    private final ApplyLag lag;

    public CatalogEventListener(Pool pool, CatalogReadModel readModel,
            @Channel("dead-letter") MutinyEmitter<String> deadLetters, MeterRegistry registry, Tracer tracer) {
        this.pool = pool;
        this.lag = ApplyLag.of(registry, "catalog");
        this.readModel = readModel;
        this.events = EventConsumer.deadLettering("catalog read model", ROUTES, new KafkaDeadLetters(deadLetters))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .within(Traces.consumerSpans(tracer, SPAN));
    }

    @Incoming("catalog-changes")
    public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
        return events.consume(records, this::apply).invoke(() -> lag.applied(records));
    }

    private Uni<Void> apply(List<CatalogEvent> changes) {
        return pool.withTransaction(connection -> readModel.apply(connection, changes));
    }
}
