package io.jobplane.api.run.launch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.jobplane.api.job.settings.Execution;
import io.jobplane.api.run.RunEntity;

/**
 * The concurrency limits a run is admitted under, decided without I/O: a job's
 * {@code execution.max_active_runs} and its workspace's {@code max_active_runs} (at most, and by
 * default, {@code jobplane.runs.max-active-per-workspace}) and the slots of the workspace pool its
 * {@code execution.pool} names. Runs over a limit wait and are admitted by priority, then in launch
 * order, as slots free; a run of a job that no longer exists waits.
 */
public final class AdmissionLimits {

    private AdmissionLimits() {
    }

    /** Whether a limit may hold the job's new runs; without one they are dispatched at once. */
    public static boolean mayHold(LaunchPlan plan, Optional<Integer> workspaceLimit) {
        return workspaceLimit.isPresent() || plan.jobCap() != null || plan.limits().pool() != null;
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

    /** Why a queued run waits, as {@code blocked_by} names it (docs/api.md). */
    public static final String JOB_CAP = "JOB_CAP";
    public static final String WORKSPACE_CAP = "WORKSPACE_CAP";
    /** Followed by the pool's name: {@code POOL:warehouse}. */
    public static final String POOL = "POOL:";
    public static final String FROZEN = "FROZEN";
    public static final String RETRY_BACKOFF = "RETRY_BACKOFF";
    public static final String JOB_GONE = "JOB_GONE";

    /** What admission needs of a job: its own cap (null: none), the pool its runs take slots of (null: none) and how many. */
    public record JobLimits(Integer jobCap, String pool, int poolSlots) {

        public static JobLimits of(Execution execution) {
            return new JobLimits(execution.maxActiveRuns(), execution.pool(),
                    execution.pool() == null ? 0 : execution.poolSlots() == null ? 1 : execution.poolSlots());
        }
    }

    /** A waiting run as admission orders it: higher priority first, then launch order (run ids are UUIDv7). */
    public record Queued(UUID runId, UUID jobId, int priority) {
    }

    /** What the active runs hold now: runs per job, slots per pool. */
    public record InUse(Map<UUID, Long> byJob, Map<String, Integer> byPool) {

        public static final InUse NONE = new InUse(Map.of(), Map.of());

        public long total() {
            return byJob.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Admission's answer for one waiting run: admitted (nothing blocks it) or why it waits. */
    public record Decision(Queued run, List<String> blockedBy) {

        public boolean admitted() {
            return blockedBy.isEmpty();
        }
    }

    /**
     * Decides on each waiting run, in admission order: by priority (higher first), runs of equal
     * priority in the order given (launch order). A run is admitted when its job's cap, the
     * workspace's limit and its pool all have room, and then holds one run of each and its pool slots.
     * A run that does not fit does not hold up runs behind it that do, with one exception: within a
     * pool the order is strict, so once a run waits for room in a pool no run behind it takes slots of
     * that pool (a run needing many slots is never starved by smaller ones). A run whose job is gone
     * waits ({@link #JOB_GONE}).
     *
     * @param limits each waiting run's job's limits (a job without an entry is gone)
     * @param active what the workspace's active runs hold now
     * @param pools the workspace's pools, name to slots (a pool not there has no room)
     */
    public static List<Decision> decide(List<Queued> waiting, Map<UUID, JobLimits> limits, InUse active,
            Map<String, Integer> pools, Optional<Integer> workspaceLimit) {
        List<Queued> ordered = new ArrayList<>(waiting);
        ordered.sort(Comparator.comparingInt(Queued::priority).reversed()); // stable: launch order within a priority
        Map<UUID, Long> running = new HashMap<>(active.byJob());
        Map<String, Integer> used = new HashMap<>(active.byPool());
        long total = active.total();
        Set<String> reserved = new HashSet<>();
        List<Decision> decisions = new ArrayList<>(ordered.size());
        for (Queued run : ordered) {
            JobLimits job = limits.get(run.jobId());
            if (job == null) {
                decisions.add(new Decision(run, List.of(JOB_GONE)));
                continue;
            }
            List<String> why = new ArrayList<>(3);
            long ofJob = running.getOrDefault(run.jobId(), 0L);
            if (job.jobCap() != null && ofJob >= job.jobCap()) {
                why.add(JOB_CAP);
            }
            if (workspaceLimit.isPresent() && total >= workspaceLimit.get()) {
                why.add(WORKSPACE_CAP);
            }
            if (job.pool() != null) {
                Integer size = pools.get(job.pool());
                int inUse = used.getOrDefault(job.pool(), 0);
                if (size == null || reserved.contains(job.pool()) || inUse + job.poolSlots() > size) {
                    why.add(POOL + job.pool());
                    // The pool is kept for this run, unless it could never take it or its job's cap holds it anyway.
                    if (size != null && job.poolSlots() <= size && !why.contains(JOB_CAP)) {
                        reserved.add(job.pool());
                    }
                }
            }
            if (why.isEmpty()) {
                running.put(run.jobId(), ofJob + 1);
                total++;
                if (job.pool() != null) {
                    used.merge(job.pool(), job.poolSlots(), Integer::sum);
                }
            }
            decisions.add(new Decision(run, List.copyOf(why)));
        }
        return decisions;
    }

    /**
     * Of the waiting runs (in launch order), those that may start now, in admission order ({@link #decide}).
     *
     * @param plans the plan of each waiting run's job (a job without one is gone)
     * @param active what the workspace's active runs hold now
     * @param pools the workspace's pools, name to slots
     */
    public static List<RunEntity> admissible(List<RunEntity> waiting, Map<UUID, LaunchPlan> plans, InUse active,
            Map<String, Integer> pools, Optional<Integer> workspaceLimit) {
        Map<UUID, RunEntity> byId = new HashMap<>();
        List<Queued> queued = new ArrayList<>(waiting.size());
        for (RunEntity run : waiting) {
            byId.put(run.id, run);
            queued.add(new Queued(run.id, run.jobId, run.priority));
        }
        Map<UUID, JobLimits> limits = new HashMap<>();
        plans.forEach((jobId, plan) -> limits.put(jobId, plan.limits()));
        return decide(queued, limits, active, pools, workspaceLimit).stream().filter(Decision::admitted)
                .map(d -> byId.get(d.run().runId())).toList();
    }

    /** The same without pools: the active runs per job only. */
    public static List<RunEntity> admissible(List<RunEntity> waiting, Map<UUID, LaunchPlan> plans, Map<UUID, Long> active,
            Optional<Integer> workspaceLimit) {
        return admissible(waiting, plans, new InUse(active, Map.of()), Map.of(), workspaceLimit);
    }
}
