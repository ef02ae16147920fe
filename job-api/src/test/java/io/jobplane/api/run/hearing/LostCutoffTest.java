package io.jobplane.api.run.hearing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LostCutoffTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration LOST_AFTER = Duration.ofSeconds(30);

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Hearing.State state(Set<Integer> partitions, Instant heardUpTo, Instant hearingSince) {
        return new Hearing.State(partitions, 4, heardUpTo, hearingSince);
    }

    @Test
    void theCutoffIsTheEarliestReplicasHeardUpToLessTheWindow() {
        LostCutoff.Verdict v = LostCutoff.of(List.of(state(Set.of(0, 1), at(100), at(0)), state(Set.of(2, 3), at(90), at(10)),
                state(Set.of(), null, null)), LOST_AFTER);
        assertEquals(at(60), v.cutoff());
        assertNull(v.withheldBecause());
    }

    @Test
    void nobodyIsJudgedWhileAPartitionIsFollowedByNoLiveReplica() {
        LostCutoff.Verdict v = LostCutoff.of(List.of(state(Set.of(0, 1, 2), at(100), at(0))), LOST_AFTER);
        assertNull(v.cutoff());
        assertTrue(v.withheldBecause().contains("[3]"), v.withheldBecause());
        assertNull(LostCutoff.of(List.of(), LOST_AFTER).cutoff());
    }

    @Test
    void nobodyIsJudgedWhileAReplicaIsDeafOrHasNotHeardForTheWholeWindow() {
        assertTrue(LostCutoff.of(List.of(state(Set.of(0, 1, 2, 3), at(100), null)), LOST_AFTER).withheldBecause()
                .contains("cannot reach the broker"));
        assertTrue(LostCutoff.of(List.of(state(Set.of(0, 1, 2, 3), null, at(0))), LOST_AFTER).withheldBecause()
                .contains("not caught up"));
        LostCutoff.Verdict recent = LostCutoff.of(List.of(state(Set.of(0, 1, 2, 3), at(100), at(71))), LOST_AFTER);
        assertNull(recent.cutoff(), "hearing for 29 s is less than the 30 s window");
        assertEquals(at(70), LostCutoff.of(List.of(state(Set.of(0, 1, 2, 3), at(100), at(70))), LOST_AFTER).cutoff());
    }
}
