package io.jobplane.api.run.launch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.jobplane.api.run.RunEntity;

/**
 * The concurrency limits a run is admitted under, decided without I/O: a job's
 * {@code execution.max_active_runs} and its workspace's {@code max_active_runs} (at most, and by
 * default, {@code jobplane.runs.max-active-per-workspace}). Runs over a limit wait and are admitted in
 * launch order as slots free; a run of a job that no longer exists waits.
 */
public final class AdmissionLimits {

    private AdmissionLimits() {
    }

    /** Whether a limit may hold the job's new runs; without one they are dispatched at once. */
    public static boolean mayHold(LaunchPlan plan, Optional<Integer> workspaceLimit) {
        return workspaceLimit.isPresent() || plan.jobCap() != null;
    }

    /**
     * The workspace's limit: the deployment's default cap ({@code jobplane.runs.max-active-per-workspace},
     * a quota), or the workspace's own cap when that is tighter; a workspace cannot raise the quota.
     */
    public static Optional<Integer> workspaceLimit(Integer workspaceCap, Optional<Integer> deploymentDefault) {
        if (workspaceCap == null) {
            return deploymentDefault;
        }
        return Optional.of(deploymentDefault.map(d -> Math.min(d, workspaceCap)).orElse(workspaceCap));
    }

    /**
     * Of the waiting runs (in launch order), those that may start now.
     *
     * @param plans the plan of each waiting run's job (a job without one is gone)
     * @param active the runs of each job of the workspace that hold a slot now
     */
    public static List<RunEntity> admissible(List<RunEntity> waiting, Map<UUID, LaunchPlan> plans, Map<UUID, Long> active,
            Optional<Integer> workspaceLimit) {
        Map<UUID, Long> running = new HashMap<>(active);
        long total = running.values().stream().mapToLong(Long::longValue).sum();
        List<RunEntity> admitted = new ArrayList<>();
        for (RunEntity run : waiting) {
            if (workspaceLimit.isPresent() && total >= workspaceLimit.get()) {
                break;
            }
            LaunchPlan plan = plans.get(run.jobId);
            long ofJob = running.getOrDefault(run.jobId, 0L);
            if (plan == null || (plan.jobCap() != null && ofJob >= plan.jobCap())) {
                continue;
            }
            running.put(run.jobId, ofJob + 1);
            total++;
            admitted.add(run);
        }
        return admitted;
    }
}
