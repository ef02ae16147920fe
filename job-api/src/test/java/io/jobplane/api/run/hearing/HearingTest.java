package io.jobplane.api.run.hearing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HearingTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void heardUpToIsTheLatestLookWhoseEndOffsetsAreAllRecorded() {
        Hearing h = new Hearing();
        assertEquals(Set.of(0, 1), h.unknown(Set.of(0, 1)), "new partitions: their committed offsets are asked for");
        Hearing.State s = h.looked(at(0), 2, Map.of(0, 10L, 1, 5L), Map.of(0, 10L, 1, 3L));
        assertNull(s.heardUpTo(), "partition 1 has events up to 5 not yet recorded");
        assertEquals(at(0), s.hearingSince());
        h.recorded(1, 5);
        s = h.looked(at(1), 2, Map.of(0, 12L, 1, 5L), Map.of());
        assertEquals(at(0), s.heardUpTo(), "everything that reached the broker before the first look is recorded");
        h.recorded(0, 12);
        assertEquals(at(1), h.caughtUp().heardUpTo());
        assertEquals(at(0), h.caughtUp().hearingSince());
    }

    @Test
    void aFailedLookMakesTheReplicaDeafUntilTheNextLookSucceeds() {
        Hearing h = new Hearing();
        h.looked(at(0), 1, Map.of(0, 0L), Map.of(0, 0L));
        assertNull(h.deaf().hearingSince());
        Hearing.State s = h.looked(at(20), 1, Map.of(0, 0L), Map.of());
        assertEquals(at(20), s.hearingSince(), "hearing starts over at the first look after the outage");
        assertEquals(at(20), s.heardUpTo());
    }

    @Test
    void aNewAssignmentStartsHearingOverAndForgetsWhatWasRecordedOfTheNewPartitions() {
        Hearing h = new Hearing();
        h.recorded(1, 100);
        h.looked(at(0), 2, Map.of(0, 4L), Map.of(0, 4L));
        assertEquals(at(0), h.caughtUp().heardUpTo());
        assertEquals(Set.of(1), h.unknown(Set.of(0, 1)), "partition 1 is new to this replica");
        Hearing.State s = h.looked(at(5), 2, Map.of(0, 4L, 1, 120L), Map.of(1, 90L));
        assertEquals(at(5), s.hearingSince());
        assertNull(s.heardUpTo(), "partition 1 starts at its committed offset 90, not at 100 recorded long ago");
        h.recorded(1, 120);
        assertEquals(at(5), h.caughtUp().heardUpTo());
        assertEquals(Set.of(0, 1), h.caughtUp().partitions());
    }

    @Test
    void aPartitionBehindTheLastLookHasItsCommittedOffsetAskedForAgain() {
        Hearing h = new Hearing();
        h.looked(at(0), 1, Map.of(0, 50L), Map.of(0, 40L));
        assertEquals(Set.of(0), h.unknown(Set.of(0)));
        Hearing.State s = h.looked(at(1), 1, Map.of(0, 50L), Map.of(0, 50L));
        assertEquals(at(1), s.heardUpTo(), "the committed offset shows the events were recorded");
        assertEquals(Set.of(), h.unknown(Set.of(0)));
    }

    @Test
    void underSteadyLagHeardUpToTrailsTheLooks() {
        Hearing h = new Hearing();
        h.looked(at(0), 1, Map.of(0, 0L), Map.of(0, 0L));
        for (int i = 1; i <= 10; i++) {
            h.recorded(0, 100L * (i - 1));
            h.looked(at(i), 1, Map.of(0, 100L * i), Map.of());
        }
        assertEquals(at(9), h.caughtUp().heardUpTo(), "one look behind, never stuck");
        assertEquals(at(0), h.caughtUp().hearingSince(), "lag is not deafness");
    }
}
