package io.jobplane.api.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.api.job.settings.Schedule.OverlapPolicy;
import io.jobplane.api.run.RunState;

/** What a schedule's tick does, by its overlap policy, with the job's unfinished runs. */
class OverlapTest {

    private static final List<RunState> RUNNING = List.of(RunState.RUNNING);
    private static final List<RunState> WAITING = List.of(RunState.RUNNING, RunState.QUEUED);

    @Test
    void aJobWithNoUnfinishedRunLaunchesWhateverThePolicy() {
        for (OverlapPolicy policy : OverlapPolicy.values()) {
            assertEquals(Overlap.LAUNCH, Overlap.decide(policy, false, List.of()), policy.name());
        }
    }

    @Test
    void eachPolicyDecidesWhileARunIsInProgress() {
        assertEquals(Overlap.LAUNCH, Overlap.decide(OverlapPolicy.ALLOW, false, WAITING));
        assertEquals(Overlap.SKIP, Overlap.decide(OverlapPolicy.SKIP, false, RUNNING));
        assertEquals(Overlap.SKIP, Overlap.decide(OverlapPolicy.SKIP, false, List.of(RunState.CANCELLING)));
        assertEquals(Overlap.LAUNCH, Overlap.decide(OverlapPolicy.BUFFER_ONE, false, RUNNING), "nothing waits yet: buffer one");
        assertEquals(Overlap.LAUNCH, Overlap.decide(OverlapPolicy.BUFFER_ONE, false, List.of(RunState.DISPATCHED)),
                "a dispatched run was admitted: it does not wait");
        assertEquals(Overlap.SKIP, Overlap.decide(OverlapPolicy.BUFFER_ONE, false, WAITING), "one waits already");
        assertEquals(Overlap.SKIP, Overlap.decide(OverlapPolicy.BUFFER_ONE, false, List.of(RunState.QUEUED)));
        assertEquals(Overlap.CANCEL_AND_LAUNCH, Overlap.decide(OverlapPolicy.CANCEL_OTHER, false, WAITING));
    }

    @Test
    void aTickWhoseRunExistsGetsItBackInsteadOfDecidingAgain() {
        // A replica launched the tick's run and died before its claim committed: the next claim replays it.
        for (OverlapPolicy policy : OverlapPolicy.values()) {
            assertEquals(Overlap.LAUNCH, Overlap.decide(policy, true, WAITING), policy.name());
        }
    }

    @Test
    void theDefaultScheduleKeepsItsKeyAndNamedOnesHaveTheirOwn() {
        UUID job = UUID.fromString("0193a000-0000-7000-8000-000000000001");
        java.time.Instant tick = java.time.Instant.parse("2026-03-10T10:00:00Z");
        assertEquals("schedule:" + job + ":" + tick.getEpochSecond(), ScheduleFirer.key(job, "default", tick));
        assertEquals("schedule:" + job + ":hourly:" + tick.getEpochSecond(), ScheduleFirer.key(job, "hourly", tick));
        assertTrue(!ScheduleFirer.key(job, "a", tick).equals(ScheduleFirer.key(job, "b", tick)), "two crons, one second: two keys");
    }
}
