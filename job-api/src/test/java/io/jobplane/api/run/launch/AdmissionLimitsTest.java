package io.jobplane.api.run.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.api.job.JobType;
import io.jobplane.api.run.RunEntity;

class AdmissionLimitsTest {

    private static final LaunchPlan FREE = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql").task("select 1").plan();
    private static final LaunchPlan CAPPED = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql").task("select 1")
            .settings("{\"execution\": {\"max_active_runs\": 2}}").plan();

    private static RunEntity run(LaunchPlan plan) {
        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID();
        run.jobId = plan.job().id;
        return run;
    }

    private static Map<UUID, LaunchPlan> plans() {
        return Map.of(FREE.job().id, FREE, CAPPED.job().id, CAPPED);
    }

    @Test
    void withoutLimitsEveryWaitingRunIsAdmittedInLaunchOrder() {
        List<RunEntity> waiting = List.of(run(FREE), run(CAPPED), run(FREE));
        assertEquals(waiting, AdmissionLimits.admissible(waiting, plans(), Map.of(), Optional.empty()));
        assertFalse(AdmissionLimits.mayHold(FREE, Optional.empty()));
        assertTrue(AdmissionLimits.mayHold(CAPPED, Optional.empty()));
        assertTrue(AdmissionLimits.mayHold(FREE, Optional.of(10)));
    }

    @Test
    void aJobsCapHoldsItsOwnRunsButNotOthers() {
        RunEntity first = run(CAPPED);
        RunEntity over = run(CAPPED);
        RunEntity other = run(FREE);
        List<RunEntity> admitted = AdmissionLimits.admissible(List.of(first, over, other), plans(),
                Map.of(CAPPED.job().id, 1L), Optional.empty());
        assertEquals(List.of(first, other), admitted);
    }

    @Test
    void theWorkspaceLimitCountsEveryJobsActiveRunsAndAdmitsTheOldestFirst() {
        RunEntity oldest = run(FREE);
        RunEntity next = run(CAPPED);
        List<RunEntity> admitted = AdmissionLimits.admissible(List.of(oldest, next), plans(),
                Map.of(FREE.job().id, 1L, CAPPED.job().id, 1L), Optional.of(3));
        assertEquals(List.of(oldest), admitted);
        assertEquals(List.of(), AdmissionLimits.admissible(List.of(oldest), plans(), Map.of(FREE.job().id, 3L), Optional.of(3)));
    }

    @Test
    void aRunOfAJobThatIsGoneWaitsWithoutHoldingUpTheOthers() {
        RunEntity orphan = new RunEntity();
        orphan.jobId = UUID.randomUUID();
        RunEntity later = run(FREE);
        assertEquals(List.of(later), AdmissionLimits.admissible(List.of(orphan, later), plans(), Map.of(), Optional.of(5)));
    }

    @Test
    void theWorkspacesOwnCapWinsOverTheDeploymentsDefault() {
        assertEquals(Optional.of(4), AdmissionLimits.workspaceLimit(4, Optional.of(100)));
        assertEquals(Optional.of(100), AdmissionLimits.workspaceLimit(null, Optional.of(100)));
        assertEquals(Optional.of(100), AdmissionLimits.workspaceLimit(5000, Optional.of(100)), "a workspace cannot raise the quota");
        assertEquals(Optional.of(5000), AdmissionLimits.workspaceLimit(5000, Optional.empty()));
        assertEquals(Optional.empty(), AdmissionLimits.workspaceLimit(null, Optional.empty()));
    }
}
