package io.jobplane.api.outbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.jobplane.api.config.OutboxConfig;
import io.jobplane.events.EventRecords;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Moves committed outbox rows to Kafka. A batch is read, published, and deleted in one database
 * transaction that only ends after Kafka acknowledged every record: a broker outage rolls the
 * transaction back and the rows wait for the next attempt, so an acknowledged launch is never lost.
 * A transaction-scoped advisory lock lets one replica relay at a time, which keeps each run's
 * records in the order they were written. A batch is taken with one statement (delete … returning):
 * the rows are gone only if the transaction commits. Relayed rows are dead rows the next batch would
 * step over, so the relay vacuums the table after every {@code jobplane.outbox.vacuum-every} rows.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary, fixed: identifies the relay's advisory lock among all of the database's. */
    private static final long RELAY_LOCK = 0x6a6f62706c616e65L;
    /** The oldest rows, taken out of the table; they come back if the transaction does not commit. */
    private static final String TAKE = """
            delete from api.outbox where id in (select id from api.outbox order by id limit $1)
            returning id, topic, message_key, payload""";

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final Vertx vertx;
    private final OutboxConfig config;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long timerId = -1;
    private final AtomicLong relayedSinceVacuum = new AtomicLong();
    private final AtomicBoolean vacuuming = new AtomicBoolean();
    private volatile long lastVacuum;

    public OutboxRelay(Pool pool, @Channel("outbox") MutinyEmitter<String> emitter, Vertx vertx, OutboxConfig config) {
        this.pool = pool;
        this.emitter = emitter;
        this.vertx = vertx;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(config.pollInterval().toMillis(), id -> nudge());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Drains now, or right after the drain in progress. */
    public void nudge() {
        if (!draining.compareAndSet(false, true)) {
            pending.set(true);
            return;
        }
        pending.set(false);
        drainBatch().subscribe().with(
                relayed -> {
                    draining.set(false);
                    vacuumIfDue(relayed);
                    if (relayed >= config.batchSize() || pending.get()) {
                        nudge();
                    }
                },
                failure -> {
                    draining.set(false);
                    LOG.warnf("outbox relay failed, rows stay queued for the next attempt: %s", failure.getMessage());
                });
    }

    private Uni<Integer> drainBatch() {
        return pool.withTransaction(connection -> lock(connection)
                .chain(locked -> locked ? relayBatch(connection) : Uni.createFrom().item(0)));
    }

    private Uni<Boolean> lock(SqlConnection connection) {
        return connection.preparedQuery("select pg_try_advisory_xact_lock($1)").execute(Tuple.of(RELAY_LOCK))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    private Uni<Integer> relayBatch(SqlConnection connection) {
        return connection.preparedQuery(TAKE).execute(Tuple.of(config.batchSize()))
                .chain(rows -> {
                    List<Row> taken = new ArrayList<>();
                    rows.forEach(taken::add);
                    if (taken.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    taken.sort(Comparator.comparingLong(row -> row.getLong("id")));
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : taken) {
                        sends.add(publish(row.getString("topic"), row.getString("message_key"), row.getString("payload")));
                    }
                    return Uni.join().all(sends).andFailFast().replaceWith(taken.size());
                });
    }

    /** Vacuums the table once enough relayed rows lie dead in it; one at a time, at most once a second. */
    private void vacuumIfDue(int relayed) {
        if (config.vacuumEvery() <= 0 || relayedSinceVacuum.addAndGet(relayed) < config.vacuumEvery()
                || System.currentTimeMillis() - lastVacuum < 1_000 || !vacuuming.compareAndSet(false, true)) {
            return;
        }
        relayedSinceVacuum.set(0);
        lastVacuum = System.currentTimeMillis();
        pool.query("vacuum api.outbox").execute().subscribe().with(done -> vacuuming.set(false), failure -> {
            vacuuming.set(false);
            LOG.debugf("outbox vacuum skipped: %s", failure.getMessage());
        });
    }

    private Uni<Void> publish(String topic, String key, String payload) {
        return emitter.sendMessage(Message.of(payload).addMetadata(EventRecords.cloudEvent(topic, key)));
    }
}
