package io.jobplane.events.consume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.failure.FailureKind;
import io.jobplane.events.failure.Failures;
import io.smallrye.mutiny.Uni;

/**
 * The one way jobplane consumes CloudEvents records. For a batch (or one record) it decodes each
 * record and reads it through the consumer's {@link EventRoutes}; records that cannot be read are
 * refused. Then it applies the items read, in record order, with the consumer's own step, and
 * classifies a failure with {@link Failures}:
 * <ul>
 * <li>POISON or DUPLICATE of a batch: one record is at fault, so each is applied alone;</li>
 * <li>POISON of one record: it is refused; DUPLICATE of one record: it was applied before, so it is done;</li>
 * <li>anything else (RETRIABLE, PERMANENT, UNKNOWN) is not the record's fault: the step is tried
 *     again with backoff until it succeeds, since giving a good record up would lose it.</li>
 * </ul>
 * A refused record goes to the {@link DeadLetterSink}; a consumer that must not dead-letter (another
 * consumer already does for its topic, or every replica reads the topic) logs and skips it instead.
 * Either way the consumer keeps going. The returned Uni completes once everything is applied or put
 * away, so the caller acknowledges the batch then.
 *
 * @param <E> what an event becomes for the consumer
 */
public final class EventConsumer<E> {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final String name;
    private final EventRoutes<E> routes;
    private final DeadLetterSink refused;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final ApplyScope scope;

    private EventConsumer(String name, EventRoutes<E> routes, DeadLetterSink refused, Duration firstBackoff,
            Duration maxBackoff) {
        this(name, routes, refused, firstBackoff, maxBackoff, ApplyScope.NONE);
    }

    private EventConsumer(String name, EventRoutes<E> routes, DeadLetterSink refused, Duration firstBackoff,
            Duration maxBackoff, ApplyScope scope) {
        this.name = name;
        this.routes = routes;
        this.refused = refused;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.scope = scope;
    }

    /** A consumer, named for its logs, that sends the records it refuses to {@code deadLetters}. */
    public static <E> EventConsumer<E> deadLettering(String name, EventRoutes<E> routes, DeadLetterSink deadLetters) {
        return new EventConsumer<>(name, routes, deadLetters, FIRST_BACKOFF, MAX_BACKOFF);
    }

    /** A consumer that must not dead-letter, for the reason given: it logs the records it refuses and skips them. */
    public static <E> EventConsumer<E> skippingRefused(String name, EventRoutes<E> routes, String why) {
        return new EventConsumer<>(name, routes, (record, failure) -> {
            LOG.warnf("%s: %s-%d@%d cannot be applied (%s); skipped, %s", name, record.topic(), record.partition(),
                    record.offset(), failure.getMessage(), why);
            return Uni.createFrom().voidItem();
        }, FIRST_BACKOFF, MAX_BACKOFF);
    }

    /** The same consumer, retrying after {@code first}, doubling up to {@code max} (default 200 ms to 5 s). */
    public EventConsumer<E> withBackoff(Duration first, Duration max) {
        return new EventConsumer<>(name, routes, refused, first, max, scope);
    }

    /** The same consumer, applying the events it read inside {@code scope} (a trace span, say). */
    public EventConsumer<E> within(ApplyScope scope) {
        return new EventConsumer<>(name, routes, refused, firstBackoff, maxBackoff, scope);
    }

    /** Consumes one record: {@link #consume(Iterable, Function)} of a batch of one. */
    public Uni<Void> consume(ConsumerRecord<String, String> record, Function<List<E>, Uni<Void>> apply) {
        return consume(List.of(record), apply);
    }

    /**
     * Reads the records, refuses the unreadable ones, then applies the items read with {@code apply}
     * (called again on each retry, and with one item at a time after a batch failed for one record's fault).
     */
    public Uni<Void> consume(Iterable<ConsumerRecord<String, String>> records, Function<List<E>, Uni<Void>> apply) {
        List<Read<E>> reads = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                if (routes.passesOver(record.value())) {
                    continue;
                }
                CloudEvent event = EventCodec.decode(record.value());
                E item = routes.read(event);
                if (item != null) {
                    reads.add(new Read<>(record, event, item));
                }
            } catch (MalformedEventException e) {
                refusals.add(new Refusal(record, e));
            }
        }
        return refuseAll(refusals).chain(() -> applyAll(reads, apply));
    }

    private Uni<Void> applyAll(List<Read<E>> reads, Function<List<E>, Uni<Void>> apply) {
        if (reads.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<E> items = reads.stream().map(Read::item).toList();
        List<CloudEvent> events = reads.stream().map(Read::event).toList();
        return scope.around(events, () -> retrying(() -> apply.apply(items),
                        reads.size() == 1 ? where(reads.get(0).record()) : reads.size() + " events"))
                .onFailure(EventConsumer::recordsFault)
                .recoverWithUni(failure -> reads.size() == 1 ? settle(reads.get(0).record(), failure) : oneByOne(reads, apply));
    }

    /** One record of the batch is at fault: each is applied alone, so only that one is refused. */
    private Uni<Void> oneByOne(List<Read<E>> reads, Function<List<E>, Uni<Void>> apply) {
        LOG.infof("%s: a batch of %d events was refused; applying them one by one", name, reads.size());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Read<E> read : reads) {
            chain = chain.chain(() -> applyAll(List.of(read), apply));
        }
        return chain;
    }

    /** One record's own failure: done when it was applied before, refused otherwise. */
    private Uni<Void> settle(ConsumerRecord<String, String> record, Throwable failure) {
        if (Failures.classify(failure) == FailureKind.DUPLICATE) {
            LOG.debugf("%s: %s was applied before (%s)", name, where(record), failure.getMessage());
            return Uni.createFrom().voidItem();
        }
        return refuseAll(List.of(new Refusal(record, failure)));
    }

    private Uni<Void> refuseAll(List<Refusal> refusals) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Refusal r : refusals) {
            // A dead letter that cannot be sent for its own sake (not a broker outage, which is retried) is
            // logged and passed over: one record must not stop the consumer.
            chain = chain.chain(() -> retrying(() -> refused.send(r.record(), r.why()), "the dead letter of " + where(r.record()))
                    .onFailure().recoverWithUni(failure -> {
                        LOG.errorf("%s: %s was refused (%s) and could not be dead-lettered either (%s); passed over",
                                name, where(r.record()), r.why().getMessage(), failure.getMessage());
                        return Uni.createFrom().voidItem();
                    }));
        }
        return chain;
    }

    /** Tries {@code work} until it succeeds or fails for a record's fault. */
    private Uni<Void> retrying(Supplier<Uni<Void>> work, String what) {
        return Uni.createFrom().<Void>deferred(work::get)
                .onFailure(failure -> !recordsFault(failure)).invoke(failure -> logRetry(what, failure))
                .onFailure(failure -> !recordsFault(failure)).retry().withBackOff(firstBackoff, maxBackoff).indefinitely();
    }

    private void logRetry(String what, Throwable failure) {
        FailureKind kind = Failures.classify(failure);
        LOG.logf(kind == FailureKind.PERMANENT ? Logger.Level.ERROR : Logger.Level.WARN,
                "%s: %s did not go through (%s: %s); trying again", name, what, kind, failure.getMessage());
    }

    private static boolean recordsFault(Throwable failure) {
        FailureKind kind = Failures.classify(failure);
        return kind == FailureKind.POISON || kind == FailureKind.DUPLICATE;
    }

    private static String where(ConsumerRecord<String, String> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** A record read, its event, and what it became. */
    private record Read<E>(ConsumerRecord<String, String> record, CloudEvent event, E item) {
    }

    /** A record refused, and why. */
    private record Refusal(ConsumerRecord<String, String> record, Throwable why) {
    }
}
