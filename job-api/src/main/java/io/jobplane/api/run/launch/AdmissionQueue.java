package io.jobplane.api.run.launch;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.jobplane.api.config.RunsConfig;
import io.jobplane.api.freeze.Freezes;
import io.jobplane.api.pool.Pools;
import io.jobplane.api.run.RunEntity;
import io.jobplane.api.run.RunState;
import io.jobplane.api.workspace.WorkspaceEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A workspace's runs waiting for a slot, read for admission under the workspace's admission lock (a
 * transaction-scoped advisory lock, so replicas never overfill a slot): the queued runs that are
 * due, by priority then launch order and row-locked (so a concurrent cancel and this admission cannot both win), the runs of each job holding a slot, the
 * pool slots the active runs hold, the workspace's pools and its limit. Must be used inside a transaction.
 */
@ApplicationScoped
public class AdmissionQueue {

    private static final int BATCH = 500;

    private final Optional<Integer> defaultWorkspaceLimit;
    private final Freezes freezes;
    private final Pools pools;

    public AdmissionQueue(RunsConfig config, Freezes freezes, Pools pools) {
        this.defaultWorkspaceLimit = config.maxActivePerWorkspace();
        this.freezes = freezes;
        this.pools = pools;
    }

    /** What admission of one workspace decides on. */
    public record Queue(List<RunEntity> waiting, AdmissionLimits.InUse active, Map<String, Integer> pools, Optional<Integer> limit) {

        public List<UUID> jobIds() {
            return waiting.stream().map(r -> r.jobId).distinct().toList();
        }
    }

    /** The deployment's default cap, or the workspace's own when tighter. */
    public Optional<Integer> workspaceLimit(Integer workspaceCap) {
        return AdmissionLimits.workspaceLimit(workspaceCap, defaultWorkspaceLimit);
    }

    /**
     * Takes the workspace's admission lock and reads its queue; the lock is held until the transaction
     * ends. A frozen workspace admits nothing: its queue reads empty until the freeze ends.
     */
    public Uni<Queue> lockedQueue(String workspace) {
        return lock(workspace).chain(() -> freezes.of(workspace))
                .chain(freeze -> freeze != null && freeze.holds(Instant.now()) ? Uni.createFrom().item(List.<RunEntity>of())
                        : waiting(workspace))
                .chain(waiting -> waiting.isEmpty()
                ? Uni.createFrom().item(new Queue(waiting, AdmissionLimits.InUse.NONE, Map.of(), Optional.empty()))
                : inUse(workspace).chain(active -> pools.slots(workspace).chain(slots -> WorkspaceEntity.<WorkspaceEntity>findById(workspace)
                                .map(w -> new Queue(waiting, active, slots, workspaceLimit(w == null ? null : w.maxActiveRuns))))));
    }

    /** Takes the workspace's admission lock until the transaction ends; admissions of the workspace wait for it. */
    public Uni<Void> lock(String workspace) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                        "select 1 from (select pg_advisory_xact_lock(hashtext('jobplane.admit:' || ?1))) locked", Integer.class)
                        .setParameter(1, workspace).getSingleResult())
                .replaceWithVoid();
    }

    /**
     * The due queued runs, each row locked ({@code for update}) until the transaction ends. A cancel
     * locks the same row ({@code RunService.cancel}), so exactly one of the two wins: a run a cancel
     * stopped first no longer matches {@code state = QUEUED} once the cancel commits (PostgreSQL
     * re-checks a locked row's condition) and is not admitted; a run admitted first is seen by the
     * cancel as dispatched and goes {@code CANCELLING} with a cancel command.
     */
    private static Uni<List<RunEntity>> waiting(String workspace) {
        return RunEntity.<RunEntity>find("workspace = ?1 and state = ?2 and (notBefore is null or notBefore <= ?3) order by priority desc, id",
                workspace, RunState.QUEUED, Instant.now()).withLock(LockModeType.PESSIMISTIC_WRITE).page(0, BATCH).list();
    }

    /**
     * What the workspace's active runs hold: runs per job and slots per pool, from one grouped read
     * (a job's active runs may hold different pools when its pool changed between their admissions).
     */
    private static Uni<AdmissionLimits.InUse> inUse(String workspace) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "select r.jobId, r.pool, count(r), sum(r.poolSlots) from RunEntity r where r.workspace = ?1 and r.state in ?2"
                        + " group by r.jobId, r.pool", Object[].class)
                .setParameter(1, workspace).setParameter(2, RunState.ACTIVE).getResultList())
                .map(rows -> {
                    Map<UUID, Long> byJob = new HashMap<>();
                    Map<String, Integer> byPool = new HashMap<>();
                    for (Object[] r : rows) {
                        byJob.merge((UUID) r[0], (Long) r[2], Long::sum);
                        if (r[1] != null) {
                            byPool.merge((String) r[1], ((Number) r[3]).intValue(), Integer::sum);
                        }
                    }
                    return new AdmissionLimits.InUse(byJob, byPool);
                });
    }
}
