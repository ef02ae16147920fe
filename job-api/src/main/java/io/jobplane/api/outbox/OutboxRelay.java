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
import io.jobplane.api.metrics.RunMetrics;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventRecords;
import io.jobplane.events.EventTypes;
import io.jobplane.events.TraceContext;
import io.jobplane.events.Topics;
import io.jobplane.events.consume.ApplyLag;
import io.jobplane.events.failure.Failures;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.jobplane.events.trace.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
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
 * <p>
 * A record Kafka refuses whatever the retry (too large, invalid: {@link Failures#isPoison}) does not hold
 * the others back: when every failure of a batch is such a refusal, the refused rows move to
 * {@code api.outbox_dead_letter} in the batch's transaction, a refused launch command's run ends
 * {@code FAILED} ({@value #REFUSED}) with its end event written to the outbox, and the rest of the batch
 * commits as relayed. Any other failure (the broker away) rolls the whole batch back as before.
 * <p>
 * A row written inside a trace (a launch or cancel request) is sent inside a {@value #SPAN} span, a child of
 * the span that wrote it, and the record carries that span's trace context (docs/tracing.md).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary, fixed: identifies the relay's advisory lock among all of the database's. */
    private static final long RELAY_LOCK = 0x6a6f62706c616e65L;
    /** The oldest rows, taken out of the table; they come back if the transaction does not commit. */
    private static final String TAKE = """
            delete from api.outbox where id in (select id from api.outbox order by id limit $1)
            returning id, topic, message_key, payload, created_at, traceparent, tracestate""";

    /** The error code of a run whose launch command Kafka refused. */
    public static final String REFUSED = "LAUNCH_COMMAND_REFUSED";
    private static final String DEAD_LETTER = """
            insert into api.outbox_dead_letter (id, topic, message_key, event_type, payload, payload_bytes, reason, created_at)
            values ($1, $2, $3, $4, $5::text, octet_length($5::text), $6, $7)
            on conflict (id) do nothing""";
    /** The run of a refused launch command ends, if it has not: it is failed for good, not retried. */
    private static final String FAIL_RUN = """
            update api.run set state = 'FAILED', error_code = $2, finished_at = now()
             where id = $1 and state in ('DISPATCHED', 'RUNNING', 'CANCELLING')
            returning workspace, job_id, attempt, started_at, finished_at,
                      (select j.type from api.job j where j.id = run.job_id) as job_type""";
    private static final String APPEND = """
            insert into api.outbox (topic, message_key, payload, traceparent, tracestate) values ($1, $2, $3, $4, $5)""";
    /** The span of a row's send. */
    static final String SPAN = "outbox relay";

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final Vertx vertx;
    private final OutboxConfig config;
    private final Tracer tracer;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long timerId = -1;
    private final AtomicLong relayedSinceVacuum = new AtomicLong();
    private final AtomicBoolean vacuuming = new AtomicBoolean();
    private volatile long lastVacuum;
    private final RunMetrics runMetrics;
    private final MeterRegistry registry;
    /** The relay lag's buckets: those of every lag histogram. */
    private final java.time.Duration[] relayBuckets = ApplyLag.lagBuckets();

    public OutboxRelay(Pool pool, @Channel("outbox") MutinyEmitter<String> emitter, Vertx vertx, OutboxConfig config,
            RunMetrics runMetrics, MeterRegistry registry, Tracer tracer) {
        this.pool = pool;
        this.emitter = emitter;
        this.vertx = vertx;
        this.config = config;
        this.runMetrics = runMetrics;
        this.registry = registry;
        this.tracer = tracer;
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
                    List<Uni<Throwable>> sends = new ArrayList<>();
                    for (Row row : taken) {
                        String topic = row.getString("topic");
                        java.time.OffsetDateTime written = row.getOffsetDateTime("created_at");
                        sends.add(publish(row)
                                .invoke(() -> relayed(topic, written))
                                .replaceWith((Throwable) null).onFailure().recoverWithItem(failure -> failure));
                    }
                    return Uni.join().all(sends).andFailFast().chain(failures -> settle(connection, taken, failures));
                });
    }

    /**
     * The batch's outcome: all sent, or refused rows moved aside and the rest relayed; fails (rolling the
     * batch back) when any record failed for another reason than being refused.
     */
    private Uni<Integer> settle(SqlConnection connection, List<Row> taken, List<Throwable> failures) {
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < failures.size(); i++) {
            Throwable failure = failures.get(i);
            if (failure == null) {
                continue;
            }
            if (!Failures.isPoison(failure)) {
                return Uni.createFrom().failure(failure);
            }
            refused.add(i);
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i : refused) {
            chain = chain.chain(() -> moveAside(connection, taken.get(i), failures.get(i)));
        }
        return chain.replaceWith(taken.size());
    }

    /** Moves a refused row to the dead-letter table and ends the run of a refused launch command. */
    private Uni<Void> moveAside(SqlConnection connection, Row row, Throwable failure) {
        long id = row.getLong("id");
        String topic = row.getString("topic");
        String key = row.getString("message_key");
        String payload = row.getString("payload");
        String type = EventCodec.type(payload);
        String reason = String.valueOf(failure.getMessage());
        // Never the payload: it may hold sealed secrets and is the operators' to read in the table.
        LOG.errorf("outbox row %d (%s on %s, key %s, %d characters) refused by Kafka: %s; moved to api.outbox_dead_letter",
                id, type, topic, key, payload.length(), reason);
        Uni<Void> stored = connection.preparedQuery(DEAD_LETTER).execute(Tuple.tuple(List.of(id, topic, key,
                type == null ? "" : type, payload, reason, row.getValue("created_at")))).replaceWithVoid();
        if (!Topics.COMMANDS.equals(topic) || !EventTypes.LAUNCH.equals(type)) {
            return stored;
        }
        java.util.UUID runId;
        try {
            runId = java.util.UUID.fromString(key);
        } catch (IllegalArgumentException e) {
            return stored;
        }
        String why = "Kafka refused the run's launch command (" + payload.length() + " characters): " + reason;
        return stored.chain(() -> connection.preparedQuery(FAIL_RUN).execute(Tuple.of(runId, REFUSED)))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Row run = rows.iterator().next();
                    java.time.OffsetDateTime started = run.getOffsetDateTime("started_at");
                    runMetrics.ended(run.getString("job_type"), RunStatus.FAILED, started == null ? null : started.toInstant(),
                            run.getOffsetDateTime("finished_at").toInstant());
                    int attempt = run.getInteger("attempt");
                    String workspace = run.getString("workspace");
                    java.time.Instant at = run.getOffsetDateTime("finished_at").toInstant();
                    String log = EventCodec.encode(Outbox.SOURCE, EventTypes.RUN_LOG, key,
                            new RunLog(key, attempt, workspace, null, null, Long.MAX_VALUE, "ERROR", why, false, at));
                    String end = EventCodec.encode(Outbox.SOURCE, EventTypes.RUN_FINISHED, key, new RunFinished(key, attempt,
                            workspace, run.getUUID("job_id").toString(), RunStatus.FAILED, why, at, REFUSED, null));
                    String traceparent = row.getString("traceparent");
                    String tracestate = row.getString("tracestate");
                    return connection.preparedQuery(APPEND).executeBatch(List.of(
                            Tuple.of(Topics.RUN_EVENTS, key, log, traceparent, tracestate),
                            Tuple.of(Topics.RUN_EVENTS, key, end, traceparent, tracestate))).replaceWithVoid();
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

    /** A row Kafka acknowledged: the time from its write to the outbox to the acknowledgement, by topic (a few fixed names). */
    private void relayed(String topic, java.time.OffsetDateTime written) {
        if (written == null) {
            return;
        }
        Timer.builder("jobplane.outbox.relay.lag").description("Time from an outbox row's write to Kafka's acknowledgement")
                .tag("topic", topic).serviceLevelObjectives(relayBuckets).register(registry)
                .record(java.time.Duration.between(written.toInstant(), java.time.Instant.now()));
    }

    /** Sends the row's record; inside a span continuing the row's trace, when it has one. */
    private Uni<Void> publish(Row row) {
        String topic = row.getString("topic");
        String key = row.getString("message_key");
        String payload = row.getString("payload");
        TraceContext written = TraceContext.of(row.getString("traceparent"), row.getString("tracestate"));
        if (written == null) {
            return send(topic, key, payload);
        }
        Span span = tracer.spanBuilder(SPAN).setSpanKind(SpanKind.PRODUCER).setParent(Traces.parent(written))
                .setAttribute("messaging.destination.name", topic).setAttribute(Traces.RUN_ID, key == null ? "" : key)
                .startSpan();
        return send(topic, key, EventCodec.withTrace(payload, Traces.of(span)))
                .onTermination().invoke((done, failure, cancelled) -> Traces.end(span, failure));
    }

    private Uni<Void> send(String topic, String key, String payload) {
        return emitter.sendMessage(Message.of(payload).addMetadata(EventRecords.cloudEvent(topic, key)));
    }
}
