package io.jobplane.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Asks a worker to execute one attempt of a run. Type {@code jobplane.command.launch}.
 * {@code parameters} and {@code executionDate} are the launch's; {@code settings} says how to run.
 * Replicating jobs also carry their {@code source} connection and {@code replication} settings
 * (both null for other job types); {@code STEPS} jobs their pinned step package ({@code steps}).
 * The record is the wire shape (its fields are the JSON); code makes one from named parts with
 * {@link #builder()}.
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
        StepPackageSpec steps,
        MetadataSpec metadata) {

    /** The settings, or the defaults for a command that carries none. */
    public RunSettings settingsOrDefault() {
        return settings == null ? RunSettings.DEFAULT : settings;
    }

    /** The replication settings, or the defaults for a command that carries none. */
    public ReplicationSpec replicationOrDefault() {
        return replication == null ? ReplicationSpec.DEFAULT : replication;
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this command's parts, to make a variant of it. */
    public Builder toBuilder() {
        return new Builder().run(runId, attempt, workspace)
                .job(jobId, jobName, jobType, continueOnError)
                .launch(trigger, requestedAt, executionDate, parameters)
                .tasks(tasks).settings(settings)
                .destination(destination).source(source)
                .replication(replication).steps(steps).metadata(metadata);
    }

    /** Builds a command part by part: which run, which job, how it was launched, what it runs, and where. */
    public static final class Builder {
        private String runId;
        private int attempt = 1;
        private String workspace;
        private String jobId;
        private String jobName;
        private String jobType;
        private boolean continueOnError;
        private String trigger;
        private Instant requestedAt;
        private Instant executionDate;
        private Map<String, String> parameters = Map.of();
        private List<TaskSpec> tasks = List.of();
        private RunSettings settings;
        private ConnectionSpec destination;
        private ConnectionSpec source;
        private ReplicationSpec replication;
        private StepPackageSpec steps;
        private MetadataSpec metadata;

        private Builder() {
        }

        /** The run attempt this command executes, and its workspace. */
        public Builder run(String runId, int attempt, String workspace) {
            this.runId = runId;
            this.attempt = attempt;
            this.workspace = workspace;
            return this;
        }

        /** The job the run belongs to. */
        public Builder job(String jobId, String jobName, String jobType, boolean continueOnError) {
            this.jobId = jobId;
            this.jobName = jobName;
            this.jobType = jobType;
            this.continueOnError = continueOnError;
            return this;
        }

        /** How the run was launched: its trigger, when, for which logical date, with which parameters. */
        public Builder launch(String trigger, Instant requestedAt, Instant executionDate, Map<String, String> parameters) {
            this.trigger = trigger;
            this.requestedAt = requestedAt;
            this.executionDate = executionDate;
            this.parameters = parameters;
            return this;
        }

        /** The tasks to execute, in order. */
        public Builder tasks(List<TaskSpec> tasks) {
            this.tasks = tasks;
            return this;
        }

        /** How to execute them (null: the defaults). */
        public Builder settings(RunSettings settings) {
            this.settings = settings;
            return this;
        }

        /** The connection tasks write to (null: none). */
        public Builder destination(ConnectionSpec destination) {
            this.destination = destination;
            return this;
        }

        /** The connection replicating and loading jobs read from (null: none). */
        public Builder source(ConnectionSpec source) {
            this.source = source;
            return this;
        }

        /** A replicating job's settings (null for other job types). */
        public Builder replication(ReplicationSpec replication) {
            this.replication = replication;
            return this;
        }

        /** A {@code STEPS} job's pinned step package (null for other job types). */
        public Builder steps(StepPackageSpec steps) {
            this.steps = steps;
            return this;
        }

        /** A metadata job's parameter, sealed secrets and where it continues from (null for other job types). */
        public Builder metadata(MetadataSpec metadata) {
            this.metadata = metadata;
            return this;
        }

        /** The command; what a worker requires of it is checked where commands are read (a malformed one is dead-lettered). */
        public LaunchCommand build() {
            return new LaunchCommand(runId, attempt, workspace, jobId, jobName, jobType, destination, tasks,
                    continueOnError, requestedAt, trigger, executionDate, parameters, settings, source, replication, steps,
                    metadata);
        }
    }
}
