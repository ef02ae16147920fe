package io.jobplane.api.run.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.api.run.launch.StartEstimate.Ahead;
import io.jobplane.api.run.launch.StartEstimate.Holder;

class StartEstimateTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }

    @Test
    void theMedianOfOddAndEvenSamples() {
        assertEquals(minutes(3), StartEstimate.median(List.of(minutes(9), minutes(1), minutes(3))));
        assertEquals(minutes(4), StartEstimate.median(List.of(minutes(2), minutes(6), minutes(1), minutes(100))));
        assertNull(StartEstimate.median(List.of()));
    }

    @Test
    void aHolderIsExpectedToEndAtItsStartPlusItsJobsMedianButNotBeforeNow() {
        assertEquals(NOW.plus(minutes(5)), StartEstimate.expectedEnd(NOW, NOW.minus(minutes(5)), minutes(10)));
        assertEquals(NOW, StartEstimate.expectedEnd(NOW, NOW.minus(minutes(30)), minutes(10)), "overdue: any moment now");
        assertNull(StartEstimate.expectedEnd(NOW, NOW, null));
    }

    @Test
    void aRunStartsWhenEnoughSlotsAreFreeAfterTheRunsAheadHadTheirTurn() {
        List<Holder> holders = List.of(new Holder(1, NOW.plus(minutes(10))), new Holder(2, NOW.plus(minutes(4))));
        // Pool of 3, all held: one slot frees at +10, two at +4.
        assertEquals(NOW.plus(minutes(4)), StartEstimate.freeAt(NOW, 3, holders, List.of(), 2));
        assertEquals(NOW.plus(minutes(10)), StartEstimate.freeAt(NOW, 3, holders, List.of(), 3));
        // A run ahead takes the two slots freed at +4 for 20 minutes: this one waits for +10 (one slot) ...
        assertEquals(NOW.plus(minutes(10)), StartEstimate.freeAt(NOW, 3, holders, List.of(new Ahead(2, minutes(20))), 1));
        // ... or, needing two, for the run ahead to end at +24.
        assertEquals(NOW.plus(minutes(24)), StartEstimate.freeAt(NOW, 3, holders, List.of(new Ahead(2, minutes(20))), 2));
    }

    @Test
    void unknownDurationsOrARunThatCanNeverFitGiveNoEstimate() {
        assertNull(StartEstimate.freeAt(NOW, 1, List.of(new Holder(1, null)), List.of(), 1));
        assertNull(StartEstimate.freeAt(NOW, 1, List.of(new Holder(1, NOW)), List.of(new Ahead(1, null)), 1));
        assertNull(StartEstimate.freeAt(NOW, 2, List.of(), List.of(), 3));
        assertEquals(NOW, StartEstimate.freeAt(NOW, 2, List.of(), List.of(), 2), "room now");
    }

    @Test
    void theLatestReasonDecidesAndAnUnknownOneMakesTheWholeUnknown() {
        assertEquals(NOW.plus(minutes(9)), StartEstimate.latest(List.of(NOW, NOW.plus(minutes(9)), NOW.plus(minutes(2)))));
        assertNull(StartEstimate.latest(Arrays.asList(NOW, null)));
    }
}
