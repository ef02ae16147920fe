package io.jobplane.api.workflow;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A workflow's definition and state, as the API shows it. */
public record WorkflowState(UUID workflowId, String name, List<TriggerState> triggers, List<Target> targets,
        boolean ready, int fireCount, Instant lastFiredAt, List<Firing> recentFirings) {

    /** A trigger job and whether it has succeeded since the workflow last fired. */
    public record TriggerState(UUID jobId, String jobName, boolean satisfied, UUID runId, Instant succeededAt) {
    }

    /** A job the workflow launches. */
    public record Target(UUID jobId, String jobName) {
    }

    /** One firing: when, and what launching the targets gave. */
    public record Firing(int seq, Instant firedAt, Instant launchedAt, String outcome) {
    }

    /** The state; ready when it has triggers and every one has succeeded since the last firing. */
    public static WorkflowState of(UUID workflowId, String name, List<TriggerState> triggers, List<Target> targets,
            int fireCount, Instant lastFiredAt, List<Firing> recentFirings) {
        boolean ready = !triggers.isEmpty() && triggers.stream().allMatch(TriggerState::satisfied);
        return new WorkflowState(workflowId, name, triggers, targets, ready, fireCount, lastFiredAt, recentFirings);
    }
}
