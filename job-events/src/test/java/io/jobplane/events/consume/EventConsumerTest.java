package io.jobplane.events.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.smallrye.mutiny.Uni;

/** The skeleton's decisions, with an in-memory dead-letter sink and apply step: no broker. */
class EventConsumerTest {

    private static final String NOTE = "test.note";
    private static final String OTHER = "test.other";

    /** A payload with one required field. */
    record Note(String text) {
    }

    private final List<String> deadLettered = new ArrayList<>();
    private final List<String> reasons = new ArrayList<>();
    /** Every list of items the apply step was called with, failed calls included. */
    private final List<List<String>> calls = new ArrayList<>();
    /** The items applied by calls that succeeded. */
    private final List<String> applied = new ArrayList<>();
    private long offset;

    private final DeadLetterSink sink = (record, why) -> {
        deadLettered.add(record.value());
        reasons.add(why.getMessage());
        return Uni.createFrom().voidItem();
    };

    private static EventRoutes<String> notes() {
        return EventRoutes.<String>create().on(NOTE, Note.class, note -> Objects.requireNonNull(note.text(), "text"));
    }

    private EventConsumer<String> consumer(EventRoutes<String> routes) {
        return EventConsumer.deadLettering("test", routes, sink).withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
    }

    @Test
    void followedEventsAreReadAndAppliedInRecordOrderAsOneBatch() {
        consume(consumer(notes()), succeeding(), note("a"), event(OTHER, new Note("x")), note("b"), note("c"));

        assertEquals(List.of(List.of("a", "b", "c")), calls, "one call for the batch; the unfollowed type is ignored");
        assertEquals(List.of(), deadLettered);
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndTheRestApplied() {
        consume(consumer(notes()), succeeding(), note("a"), "{not json", "", note("b"));

        assertEquals(List.of("a", "b"), applied);
        assertEquals(List.of("{not json", ""), deadLettered);
        assertTrue(reasons.get(0).startsWith("not a CloudEvent"), reasons.get(0));
    }

    @Test
    void aDeadLetterTheBrokerRefusesForItsOwnSakeIsPassedOverAndTheConsumerGoesOn() {
        AtomicInteger tries = new AtomicInteger();
        DeadLetterSink refusing = (record, why) -> {
            tries.incrementAndGet();
            return Uni.createFrom().failure(new org.apache.kafka.common.errors.RecordTooLargeException("too large"));
        };
        EventConsumer<String> consumer = EventConsumer.deadLettering("test", notes(), refusing)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

        consume(consumer, succeeding(), note("a"), "{not json", note("b"));

        assertEquals(List.of("a", "b"), applied, "the consumer carried on past the record it could not dead-letter");
        assertEquals(1, tries.get(), "a refusal is not retried");
    }

    @Test
    void anEventWhosePayloadLacksARequiredFieldIsDeadLettered() {
        String incomplete = event(NOTE, new Note(null));
        consume(consumer(notes()), succeeding(), note("a"), incomplete);

        assertEquals(List.of("a"), applied);
        assertEquals(List.of(incomplete), deadLettered);
        assertTrue(reasons.get(0).contains("lacks a required field") && reasons.get(0).contains("text"), reasons.get(0));
    }

    @Test
    void unfollowedTypesAreIgnoredOnceDecodedPassedOverUnreadOrRefusedAsChosen() {
        // An envelope of an unfollowed type that is not a valid CloudEvent (no data).
        String brokenOther = "{\"specversion\":\"1.0\",\"id\":\"o\",\"source\":\"/t\",\"type\":\"" + OTHER + "\"}";
        String other = event(OTHER, new Note("x"));

        consume(consumer(notes()), succeeding(), brokenOther, other, note("a"));
        assertEquals(List.of(brokenOther), deadLettered, "decoded by default, so a broken one is refused");

        deadLettered.clear();
        consume(consumer(notes().passOverOthers()), succeeding(), brokenOther, other, note("b"));
        assertEquals(List.of(), deadLettered, "passed over by type alone, never decoded");

        consume(consumer(notes().refuseOthers()), succeeding(), other, note("c"));
        assertEquals(List.of(other), deadLettered);
        assertTrue(reasons.get(reasons.size() - 1).contains("unknown type " + OTHER));
        assertEquals(List.of("a", "b", "c"), applied);
    }

    @Test
    void aBatchRefusedForOneEventsDataIsAppliedOneByOneAndOnlyThatEventDeadLettered() {
        String bad = note("bad");
        consume(consumer(notes()), failingFor("bad", "22P02"), note("a"), bad, note("b"));

        assertEquals(List.of(List.of("a", "bad", "b"), List.of("a"), List.of("bad"), List.of("b")), calls);
        assertEquals(List.of("a", "b"), applied);
        assertEquals(List.of(bad), deadLettered);
    }

    @Test
    void aDuplicateIsDoneNotDeadLettered() {
        consume(consumer(notes()), failingFor("again", "23505"), note("a"), note("again"), note("b"));

        assertEquals(List.of(List.of("a", "again", "b"), List.of("a"), List.of("again"), List.of("b")), calls,
                "the batch is split: the other events were not applied with it");
        assertEquals(List.of("a", "b"), applied);
        assertEquals(List.of(), deadLettered);
    }

    @Test
    void anOutageIsRetriedUntilItPassesAndNothingIsDeadLettered() {
        AtomicInteger tries = new AtomicInteger();
        consume(consumer(notes()), items -> tries.incrementAndGet() <= 3
                ? Uni.createFrom().failure(new SQLException("the database system is shutting down", "57P01"))
                : succeeding().apply(items), note("a"), note("b"));

        assertEquals(4, tries.get());
        assertEquals(List.of(List.of("a", "b")), calls, "the whole batch again, not split");
        assertEquals(List.of("a", "b"), applied);
        assertEquals(List.of(), deadLettered);
    }

    @Test
    void aFailureOfUnknownKindIsNotTheRecordsFaultAndIsRetried() {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        consume(consumer(notes()), items -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("the step threw before returning a Uni");
            }
            return succeeding().apply(items);
        }, note("a"));

        assertEquals(List.of("a"), applied);
        assertEquals(List.of(), deadLettered);
    }

    @Test
    void aDeadLetterTheBrokerRefusesForNowIsSentAgain() {
        AtomicInteger refusals = new AtomicInteger(2);
        DeadLetterSink flaky = (record, why) -> refusals.getAndDecrement() > 0
                ? Uni.createFrom().failure(new org.apache.kafka.common.errors.TimeoutException("broker away"))
                : sink.send(record, why);
        EventConsumer<String> consumer = EventConsumer.deadLettering("test", notes(), flaky)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
        consume(consumer, succeeding(), "garbage", note("a"));

        assertEquals(List.of("garbage"), deadLettered);
        assertEquals(List.of("a"), applied);
    }

    @Test
    void aConsumerThatMustNotDeadLetterSkipsWhatItRefusesAndGoesOn() {
        EventConsumer<String> consumer = EventConsumer.skippingRefused("test", notes(), "another consumer dead-letters it")
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
        consume(consumer, failingFor("bad", "23502"), "garbage", note("a"), note("bad"), note("b"));

        assertEquals(List.of("a", "b"), applied);
        assertEquals(List.of(), deadLettered);
    }

    @Test
    void aRecordWithNothingToDoNeverReachesTheApplyStep() {
        EventRoutes<String> nothing = EventRoutes.<String>create().on(NOTE, Note.class, note -> null);
        consume(consumer(nothing), succeeding(), note("a"));
        EventConsumer<String> single = consumer(notes());
        single.consume(record(note("b")), succeeding()).await().atMost(Duration.ofSeconds(10));

        assertEquals(List.of(List.of("b")), calls);
    }

    private void consume(EventConsumer<String> consumer, Function<List<String>, Uni<Void>> apply, String... values) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (String value : values) {
            records.add(record(value));
        }
        consumer.consume(records, apply).await().atMost(Duration.ofSeconds(10));
    }

    private ConsumerRecord<String, String> record(String value) {
        return new ConsumerRecord<>("jobplane.test", 0, offset++, "key-" + offset, value);
    }

    /** Applies every call. */
    private Function<List<String>, Uni<Void>> succeeding() {
        return items -> {
            calls.add(items);
            applied.addAll(items);
            return Uni.createFrom().voidItem();
        };
    }

    /** Fails every call that holds {@code item}, with the SQLSTATE given, as a database would. */
    private Function<List<String>, Uni<Void>> failingFor(String item, String sqlState) {
        return items -> {
            if (!items.contains(item)) {
                return succeeding().apply(items);
            }
            calls.add(items);
            return Uni.createFrom().failure(new SQLException("refused", sqlState));
        };
    }

    private static String note(String text) {
        return event(NOTE, new Note(text));
    }

    private static String event(String type, Object payload) {
        return EventCodec.encode(CloudEvent.of("/test", type, "subject", payload));
    }
}
