package io.jobplane.harvester.listener;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskStarted;
import io.jobplane.harvester.readmodel.RunReadModel;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * Applies {@code jobplane.run-events} to the run read model, one transaction per event. An event
 * that cannot be read goes to the dead-letter topic. A database failure is retried with backoff
 * instead, because dead-lettering a good event would lose it from the read model.
 */
@ApplicationScoped
public class RunEventListener {

    private static final Logger LOG = Logger.getLogger(RunEventListener.class);

    private final Pool pool;
    private final RunReadModel readModel;

    public RunEventListener(Pool pool, RunReadModel readModel) {
        this.pool = pool;
        this.readModel = readModel;
    }

    @Incoming("run-events")
    public Uni<Void> onEvent(String value) {
        // Decoding inside the pipeline turns an unreadable record into a failed Uni, i.e. a nack.
        return Uni.createFrom().item(() -> EventCodec.decode(value)).chain(this::applyInTransaction);
    }

    private Uni<Void> applyInTransaction(CloudEvent event) {
        return pool.withTransaction(connection -> apply(connection, event))
                .onFailure(failure -> !isPoison(failure))
                .invoke(failure -> LOG.warnf("run %s: event %s not applied yet, retrying: %s", event.subject(),
                        event.id(), failure.getMessage()))
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

    private Uni<Void> apply(SqlConnection sql, CloudEvent event) {
        try {
            return applyChecked(sql, event);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new MalformedEventException("event " + event.id() + " lacks a required field: " + e.getMessage());
        }
    }

    private Uni<Void> applyChecked(SqlConnection sql, CloudEvent event) {
        return switch (event.type()) {
            case EventTypes.RUN_QUEUED -> readModel.queued(sql, event.dataAs(RunQueued.class));
            case EventTypes.RUN_STARTED -> readModel.started(sql, event.dataAs(RunStarted.class));
            case EventTypes.RUN_FINISHED -> readModel.finished(sql, event.dataAs(RunFinished.class));
            case EventTypes.TASK_STARTED -> readModel.taskStarted(sql, event.dataAs(TaskStarted.class));
            case EventTypes.TASK_FINISHED -> readModel.taskFinished(sql, event.dataAs(TaskFinished.class));
            default -> {
                // Newer producers may add event types; ignoring them keeps this consumer compatible.
                LOG.debugf("ignoring run event of unknown type %s", event.type());
                yield Uni.createFrom().voidItem();
            }
        };
    }
}
