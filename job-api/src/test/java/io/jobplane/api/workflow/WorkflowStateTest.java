package io.jobplane.api.workflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.api.workflow.WorkflowState.TriggerState;

/** When a workflow shows as ready to fire. */
class WorkflowStateTest {

    @Test
    void readyOnlyWhenEveryTriggerHasSucceededSinceTheLastFiring() {
        TriggerState done = new TriggerState(UUID.randomUUID(), "a", true, UUID.randomUUID(), Instant.now());
        TriggerState waiting = new TriggerState(UUID.randomUUID(), "b", false, null, null);
        assertTrue(state(List.of(done, done)).ready());
        assertFalse(state(List.of(done, waiting)).ready());
        assertFalse(state(List.of()).ready(), "a workflow without triggers never fires");
    }

    private static WorkflowState state(List<TriggerState> triggers) {
        return WorkflowState.of(UUID.randomUUID(), "flow", triggers, List.of(), 0, null, List.of());
    }
}
