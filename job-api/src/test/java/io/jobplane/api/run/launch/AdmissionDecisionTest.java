package io.jobplane.api.run.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.api.job.JobType;
import io.jobplane.api.run.RunEntity;
import io.jobplane.api.run.launch.AdmissionLimits.Decision;
import io.jobplane.api.run.launch.AdmissionLimits.InUse;
import io.jobplane.api.run.launch.AdmissionLimits.JobLimits;
import io.jobplane.api.run.launch.AdmissionLimits.Queued;

/** Admission's decision with pools and priorities: who goes first, who fits, and why the others wait. */
class AdmissionDecisionTest {

    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final UUID C = UUID.randomUUID();
    private static long sequence;

    /** A run id that sorts after the earlier ones, as UUIDv7 do. */
    private static Queued queued(UUID job, int priority) {
        return new Queued(new UUID(1, ++sequence), job, priority);
    }

    private static List<UUID> admitted(List<Decision> decisions) {
        return decisions.stream().filter(Decision::admitted).map(d -> d.run().runId()).toList();
    }

    private static Map<UUID, List<String>> why(List<Decision> decisions) {
        return decisions.stream().collect(java.util.stream.Collectors.toMap(d -> d.run().runId(), Decision::blockedBy));
    }

    @Test
    void higherPrioritiesGoFirstAndEqualOnesInLaunchOrder() {
        Queued low = queued(A, -5);
        Queued first = queued(A, 0);
        Queued high = queued(A, 10);
        Queued second = queued(A, 0);
        List<Decision> decisions = AdmissionLimits.decide(List.of(low, first, high, second),
                Map.of(A, new JobLimits(null, "p", 1)), InUse.NONE, Map.of("p", 2), Optional.empty());
        assertEquals(List.of(high, first, second, low), decisions.stream().map(Decision::run).toList());
        assertEquals(List.of(high.runId(), first.runId()), admitted(decisions));
        assertEquals(List.of("POOL:p"), why(decisions).get(second.runId()));
        assertEquals(List.of("POOL:p"), why(decisions).get(low.runId()));
    }

    @Test
    void aRunWhosePoolIsFullDoesNotHoldUpRunsOfOtherPoolsOrJobs() {
        Queued full = queued(A, 5);
        Queued otherPool = queued(B, 0);
        Queued noPool = queued(C, 0);
        List<Decision> decisions = AdmissionLimits.decide(List.of(full, otherPool, noPool),
                Map.of(A, new JobLimits(null, "busy", 1), B, new JobLimits(null, "idle", 1), C, new JobLimits(null, null, 0)),
                new InUse(Map.of(A, 1L), Map.of("busy", 1)), Map.of("busy", 1, "idle", 1), Optional.of(10));
        assertEquals(List.of(otherPool.runId(), noPool.runId()), admitted(decisions));
        assertEquals(List.of("POOL:busy"), why(decisions).get(full.runId()));
    }

    @Test
    void withinAPoolTheOrderIsStrictSoABigRunIsNotStarvedBySmallerOnes() {
        Queued big = queued(A, 0);
        Queued small = queued(B, 0);
        List<Decision> decisions = AdmissionLimits.decide(List.of(big, small),
                Map.of(A, new JobLimits(null, "p", 3), B, new JobLimits(null, "p", 1)),
                new InUse(Map.of(C, 1L), Map.of("p", 1)), Map.of("p", 3), Optional.empty());
        assertEquals(List.of(), admitted(decisions), "small fits but waits behind big, which needs the pool's 3 slots");
        assertEquals(List.of("POOL:p"), why(decisions).get(small.runId()));
    }

    @Test
    void aRunHeldByItsJobsCapDoesNotKeepItsPoolFromOthers() {
        Queued capped = queued(A, 10);
        Queued other = queued(B, 0);
        List<Decision> decisions = AdmissionLimits.decide(List.of(capped, other),
                Map.of(A, new JobLimits(1, "p", 2), B, new JobLimits(null, "p", 1)),
                new InUse(Map.of(A, 1L), Map.of("p", 1)), Map.of("p", 2), Optional.empty());
        assertEquals(List.of(other.runId()), admitted(decisions));
        assertEquals(List.of("JOB_CAP", "POOL:p"), why(decisions).get(capped.runId()));
    }

    @Test
    void aLowerPriorityNeverJumpsAHigherOneThatFits() {
        Queued high = queued(A, 1);
        Queued low = queued(B, 0);
        List<Decision> decisions = AdmissionLimits.decide(List.of(low, high),
                Map.of(A, new JobLimits(null, null, 0), B, new JobLimits(null, null, 0)), InUse.NONE, Map.of(), Optional.of(1));
        assertEquals(List.of(high.runId()), admitted(decisions));
        assertEquals(List.of("WORKSPACE_CAP"), why(decisions).get(low.runId()));
    }

    @Test
    void everyReasonIsNamedAndAMissingPoolOrJobWaits() {
        Queued gone = queued(UUID.randomUUID(), 0);
        Queued orphanPool = queued(A, 0);
        Queued capped = queued(B, 0);
        List<Decision> decisions = AdmissionLimits.decide(List.of(gone, orphanPool, capped),
                Map.of(A, new JobLimits(null, "deleted", 1), B, new JobLimits(1, null, 0)),
                new InUse(Map.of(B, 1L), Map.of()), Map.of(), Optional.of(1));
        Map<UUID, List<String>> why = why(decisions);
        assertEquals(List.of("JOB_GONE"), why.get(gone.runId()));
        assertEquals(List.of("WORKSPACE_CAP", "POOL:deleted"), why.get(orphanPool.runId()));
        assertEquals(List.of("JOB_CAP", "WORKSPACE_CAP"), why.get(capped.runId()));
        assertTrue(admitted(decisions).isEmpty());
    }

    @Test
    void admissionOfRunEntitiesFollowsTheDecisionAndAPoolMakesAJobsRunsHoldable() {
        LaunchPlan pooled = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql").task("select 1")
                .settings("{\"execution\": {\"pool\": \"p\", \"pool_slots\": 2, \"priority\": 7}}").plan();
        LaunchPlan plain = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql").task("select 1").plan();
        assertEquals(0, plain.job().execution().priority(), "a job without execution settings launches at priority 0");
        assertEquals(new JobLimits(null, null, 0), plain.limits());
        assertEquals(new JobLimits(null, "p", 2), pooled.limits());
        assertEquals(7, pooled.job().execution().priority());
        assertTrue(AdmissionLimits.mayHold(pooled, Optional.empty()));
        RunEntity first = run(pooled, 0);
        RunEntity urgent = run(pooled, 9);
        List<RunEntity> admitted = AdmissionLimits.admissible(List.of(first, urgent), Map.of(pooled.job().id, pooled),
                InUse.NONE, Map.of("p", 3), Optional.empty());
        assertEquals(List.of(urgent), admitted);
    }

    private static RunEntity run(LaunchPlan plan, int priority) {
        RunEntity run = new RunEntity();
        run.id = new UUID(2, ++sequence);
        run.jobId = plan.job().id;
        run.priority = priority;
        return run;
    }
}
