package io.jobplane.api.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;

import io.jobplane.api.config.RunsConfig;
import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.TaskEntity;
import io.jobplane.api.job.source.StepPackages;
import io.jobplane.api.job.settings.Execution;
import io.jobplane.api.job.settings.Replication;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.outbox.Outbox;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.api.workspace.WorkspaceEntity;
import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.payload.StepPackageSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.TaskSpec;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Decides when a queued run may start and sends it on its way: a run is dispatched (its launch
 * command written to the outbox) while its job has fewer than {@code execution.max_active_runs}
 * active runs and its workspace fewer than its {@code max_active_runs} (default
 * {@code jobplane.runs.max-active-per-workspace}). Runs over
 * a limit wait {@code QUEUED} and are admitted in launch order when a slot frees. Admission of one
 * workspace runs under a transaction-scoped advisory lock, so replicas never overfill a slot.
 * Must be called inside a transaction.
 */
@ApplicationScoped
public class RunAdmission {

    private static final TypeReference<Map<String, String>> PARAMETERS = new TypeReference<>() {
    };
    private static final int BATCH = 500;

    private final Outbox outbox;
    private final StepPackages packages;
    private final Optional<Integer> defaultWorkspaceLimit;

    public RunAdmission(Outbox outbox, StepPackages packages, RunsConfig config) {
        this.outbox = outbox;
        this.packages = packages;
        this.defaultWorkspaceLimit = config.maxActivePerWorkspace();
    }

    /**
     * Whether a concurrency limit may hold the job's new runs (the workspace's own cap, else the
     * deployment's default; the job's max_active_runs); without one they are dispatched at once.
     */
    boolean mayHold(JobEntity job, Integer workspaceCap) {
        return workspaceLimit(workspaceCap).isPresent() || limitOf(job) != null;
    }

    private Optional<Integer> workspaceLimit(Integer workspaceCap) {
        return workspaceCap != null ? Optional.of(workspaceCap) : defaultWorkspaceLimit;
    }

    /** Admits the workspace's queued runs that fit; returns how many were dispatched. */
    public Uni<Integer> admitWaiting(String workspace) {
        return lock(workspace)
                .chain(() -> RunEntity.<RunEntity>find(
                        "workspace = ?1 and state = ?2 and (notBefore is null or notBefore <= ?3) order by id",
                        workspace, RunState.QUEUED, Instant.now()).page(0, BATCH).list())
                .chain(waiting -> waiting.isEmpty() ? Uni.createFrom().item(0)
                        : WorkspaceEntity.<WorkspaceEntity>findById(workspace)
                                .chain(w -> admit(workspace, workspaceLimit(w == null ? null : w.maxActiveRuns), waiting)));
    }

    /** Takes the workspace's admission lock until the transaction ends; admissions of the workspace wait for it. */
    Uni<Void> lock(String workspace) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                        "select 1 from (select pg_advisory_xact_lock(hashtext('jobplane.admit:' || ?1))) locked", Integer.class)
                        .setParameter(1, workspace).getSingleResult())
                .replaceWithVoid();
    }

    private Uni<Integer> admit(String workspace, Optional<Integer> workspaceLimit, List<RunEntity> waiting) {
        return activeByJob(workspace).chain(active -> {
            long[] total = { active.values().stream().mapToLong(Long::longValue).sum() };
            Map<UUID, JobEntity> jobs = new HashMap<>();
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (RunEntity run : waiting) {
                chain = chain.chain(dispatched -> {
                    if (workspaceLimit.isPresent() && total[0] >= workspaceLimit.get()) {
                        return Uni.createFrom().item(dispatched);
                    }
                    return job(jobs, run.jobId).chain(job -> {
                        Integer limit = limitOf(job);
                        long running = active.getOrDefault(run.jobId, 0L);
                        if (job == null || (limit != null && running >= limit)) {
                            return Uni.createFrom().item(dispatched);
                        }
                        active.put(run.jobId, running + 1);
                        total[0]++;
                        return dispatch(run, job).replaceWith(dispatched + 1);
                    });
                });
            }
            return chain;
        }).invoke(n -> {
            if (n > 0) {
                outbox.committed();
            }
        });
    }

    private Uni<Map<UUID, Long>> activeByJob(String workspace) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "select r.jobId, count(r) from RunEntity r where r.workspace = ?1 and r.state in ?2 group by r.jobId",
                Object[].class).setParameter(1, workspace).setParameter(2, RunState.ACTIVE).getResultList())
                .map(rows -> {
                    Map<UUID, Long> counts = new HashMap<>();
                    rows.forEach(r -> counts.put((UUID) r[0], (Long) r[1]));
                    return counts;
                });
    }

    private static Uni<JobEntity> job(Map<UUID, JobEntity> cache, UUID jobId) {
        JobEntity known = cache.get(jobId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return JobEntity.<JobEntity>findById(jobId).call(j -> readOnly(j)).invoke(j -> cache.put(jobId, j));
    }

    /** Dispatches a run whose tasks and connection are loaded here, read-only. */
    Uni<Void> dispatch(RunEntity run, JobEntity job) {
        return TaskEntity.ofJob(job.id).call(tasks -> readOnly(tasks.toArray()))
                .chain(tasks -> connection(job.destinationConnectionId)
                        .chain(destination -> connection(job.sourceConnectionId)
                                .chain(source -> packages.spec(job, run.sourceVersion)
                                        .chain(steps -> outbox.append(Topics.COMMANDS,
                                                markDispatched(run, job, tasks, destination, source, steps))))));
    }

    private static Uni<ConnectionEntity> connection(UUID id) {
        return id == null ? Uni.createFrom().nullItem()
                : ConnectionEntity.<ConnectionEntity>findById(id).call(c -> readOnly(c));
    }

    /** Definitions a run only reads are never flushed back, so runs never contend for their rows. */
    static Uni<Void> readOnly(Object... entities) {
        return Panache.getSession().invoke(s -> {
            for (Object e : entities) {
                if (e != null) {
                    s.setReadOnly(e, true);
                }
            }
        }).replaceWithVoid();
    }

    /** Marks the run dispatched now and returns its launch command, for the caller to write with it. */
    static CloudEvent markDispatched(RunEntity run, JobEntity job, List<TaskEntity> tasks, ConnectionEntity destination,
            ConnectionEntity source, StepPackageSpec steps) {
        return CloudEvent.of(RunService.SOURCE, EventTypes.LAUNCH, run.id.toString(),
                dispatch(run, job, tasks, destination, source, steps));
    }

    /** Marks the run dispatched now and returns the payload of its launch command. */
    static LaunchCommand dispatch(RunEntity run, JobEntity job, List<TaskEntity> tasks, ConnectionEntity destination,
            ConnectionEntity source, StepPackageSpec steps) {
        run.state = RunState.DISPATCHED;
        run.dispatchedAt = Instant.now();
        run.notBefore = null;
        return command(run, job, selected(run, tasks), destination, source, steps);
    }

    /** The tasks a run executes: those its launch named, else the job's active ones; in the job's order. */
    static List<TaskEntity> selected(RunEntity run, List<TaskEntity> tasks) {
        return selected(run.taskIds, tasks);
    }

    /** The tasks named (null: the job's active ones), in the job's order. */
    static List<TaskEntity> selected(UUID[] taskIds, List<TaskEntity> tasks) {
        if (taskIds == null) {
            return tasks.stream().filter(t -> t.active).toList();
        }
        List<UUID> wanted = List.of(taskIds);
        return tasks.stream().filter(t -> wanted.contains(t.id)).toList();
    }

    private static LaunchCommand command(RunEntity run, JobEntity job, List<TaskEntity> tasks, ConnectionEntity c,
            ConnectionEntity s, StepPackageSpec steps) {
        List<TaskSpec> specs = new ArrayList<>();
        for (TaskEntity t : tasks) {
            specs.add(new TaskSpec(t.id.toString(), t.index, t.query));
        }
        Execution e = job.execution();
        RunSettings settings = new RunSettings(e.enableParallelProcessing(), e.workerPool(), e.taskTimeoutSeconds(),
                e.retry().attempts(), e.retry().backoffSeconds(), e.verbosity().level(), e.preJobEvent(), e.postJobEvent());
        return new LaunchCommand(run.id.toString(), run.attempt, run.workspace, job.id.toString(), job.name,
                job.type.name(), spec(c), specs, job.continueOnError, run.requestedAt, run.trigger,
                run.executionDate, StoredJson.readMap(run.parameters, PARAMETERS), settings, spec(s), replication(job), steps);
    }

    private static ConnectionSpec spec(ConnectionEntity c) {
        if (c == null) {
            return null;
        }
        SealedFields sealed = c.sealed();
        Map<String, SealedValue> secrets = new HashMap<>();
        for (String name : sealed.names()) {
            if (!name.equals("password")) {
                secrets.put(name, sealed.get(name));
            }
        }
        Map<String, String> headers = c.headerMap();
        return new ConnectionSpec(c.id.toString(), c.type, c.jdbcUrl, c.username, sealed.get("password"), c.basePath,
                c.baseUrl, headers.isEmpty() ? null : headers, secrets.isEmpty() ? null : secrets);
    }

    /** The job's replication settings with defaults, for the job types that replicate; else null. */
    private static ReplicationSpec replication(JobEntity job) {
        if (!job.type.replicates()) {
            return null;
        }
        Replication r = job.settings().effective(true).replication();
        return new ReplicationSpec(r.destinationSchema(), r.tableNamePrefix(), r.dropTable(), r.truncateTableData(),
                r.alterSchema(), r.autoTruncateStrings(), r.deletionBehavior().name(), r.replicateStartDate(),
                r.replicateInterval(), r.replicateIntervalUnit() == null ? null : r.replicateIntervalUnit().name(),
                r.batchSize(), r.useGmtDatetime());
    }

    static Integer limitOf(JobEntity job) {
        return job == null ? null : job.execution().maxActiveRuns();
    }
}
