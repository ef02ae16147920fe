package io.jobplane.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Asks a worker to execute one attempt of a run. Type {@code jobplane.command.launch}.
 * {@code parameters} and {@code executionDate} are the launch's; {@code settings} says how to run.
 * Replicating jobs also carry their {@code source} connection and {@code replication} settings
 * (both null for other job types); {@code STEPS} jobs their pinned step package ({@code steps}).
 */
public record LaunchCommand(
        String runId,
        int attempt,
        String workspace,
        String jobId,
        String jobName,
        String jobType,
        ConnectionSpec destination,
        List<TaskSpec> tasks,
        boolean continueOnError,
        Instant requestedAt,
        String trigger,
        Instant executionDate,
        Map<String, String> parameters,
        RunSettings settings,
        ConnectionSpec source,
        ReplicationSpec replication,
        StepPackageSpec steps) {

    /** A command without a step package (every job type but {@code STEPS}). */
    public LaunchCommand(String runId, int attempt, String workspace, String jobId, String jobName, String jobType,
            ConnectionSpec destination, List<TaskSpec> tasks, boolean continueOnError, Instant requestedAt, String trigger,
            Instant executionDate, Map<String, String> parameters, RunSettings settings, ConnectionSpec source,
            ReplicationSpec replication) {
        this(runId, attempt, workspace, jobId, jobName, jobType, destination, tasks, continueOnError, requestedAt, trigger,
                executionDate, parameters, settings, source, replication, null);
    }

    /** The settings, or the defaults for a command that carries none. */
    public RunSettings settingsOrDefault() {
        return settings == null ? RunSettings.DEFAULT : settings;
    }

    /** The replication settings, or the defaults for a command that carries none. */
    public ReplicationSpec replicationOrDefault() {
        return replication == null ? ReplicationSpec.DEFAULT : replication;
    }
}
