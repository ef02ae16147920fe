package io.jobplane.api.run.launch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.freeze.FreezeWindow;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.TaskEntity;
import io.jobplane.events.sql.SqlTemplate;

/**
 * What a launch reads, in one query ({@link LaunchStore#plan}): the job, all its tasks in order, its
 * destination and source connections (null when it names none), the workspace's own run cap (null:
 * none set), the step package version its runs execute (the job's pinned version, else its newest; null: none) and,
 * for a discovery, when its last successful run started (where an incremental discovery continues from; null:
 * none), and for an ingest what the catalog already holds of its source ({@code metadataState}, e.g.
 * {@code max_job_id}). A discovery's source is the filesystem connection its {@code data_location} names.
 * The workspace's freeze window comes with it ({@code freeze}, null: none), so a launch needs no second read
 * to decide whether it may be dispatched at once.
 * Every launcher, and the admission of a run that waited, builds its command from this.
 */
public record LaunchPlan(JobEntity job, List<TaskEntity> tasks, ConnectionEntity destination, ConnectionEntity source,
        Integer workspaceCap, Integer latestSource, Instant lastSuccessStartedAt, Map<String, String> metadataState,
        FreezeWindow freeze) {

    public LaunchPlan {
        metadataState = metadataState == null ? Map.of() : Map.copyOf(metadataState);
    }

    /** The same plan with what an ingest continues from. */
    public LaunchPlan withMetadataState(Map<String, String> state) {
        return new LaunchPlan(job, tasks, destination, source, workspaceCap, latestSource, lastSuccessStartedAt, state, freeze);
    }

    /** The tasks named (null: the job's active ones), in the job's order. */
    public List<TaskEntity> tasksFor(UUID[] taskIds) {
        if (taskIds == null) {
            return tasks.stream().filter(t -> t.active).toList();
        }
        List<UUID> wanted = List.of(taskIds);
        return tasks.stream().filter(t -> wanted.contains(t.id)).toList();
    }

    /** The job's own cap on active runs ({@code execution.max_active_runs}); null: none. */
    public Integer jobCap() {
        return job.execution().maxActiveRuns();
    }

    /** What admission holds the job's runs to: its cap, its pool and the slots each run takes. */
    public AdmissionLimits.JobLimits limits() {
        return AdmissionLimits.JobLimits.of(job.execution());
    }

    /** The destination's SQL dialect, in which the job's SQL tasks are read. */
    public SqlTemplate.Dialect dialect() {
        return ConnectionEntity.dialectOf(destination);
    }
}
