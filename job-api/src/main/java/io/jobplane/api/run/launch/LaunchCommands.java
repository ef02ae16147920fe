package io.jobplane.api.run.launch;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.TaskEntity;
import io.jobplane.api.job.settings.Execution;
import io.jobplane.api.job.settings.Replication;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.run.RunEntity;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.MetadataSpec;
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.payload.StepPackageSpec;
import io.jobplane.events.payload.TaskSpec;

/**
 * What a launch sends, made from its run and plan without I/O: the launch command a worker
 * executes and the queued event that opens the run in the read model. The one place a command is
 * built, for runs dispatched at once and for runs admitted after waiting.
 */
public final class LaunchCommands {

    private static final TypeReference<Map<String, String>> PARAMETERS = new TypeReference<>() {
    };

    private LaunchCommands() {
    }

    /** The command for the run's current attempt: its tasks, settings and connections as the plan has them now. */
    public static LaunchCommand command(RunEntity run, LaunchPlan plan, StepPackageSpec steps) {
        JobEntity job = plan.job();
        return LaunchCommand.builder()
                .run(run.id.toString(), run.attempt, run.workspace)
                .job(job.id.toString(), job.name, job.type.name(), job.continueOnError)
                .launch(run.trigger, run.requestedAt, run.executionDate, StoredJson.readMap(run.parameters, PARAMETERS))
                .tasks(runTasks(run, plan).stream().map(t -> new TaskSpec(t.id.toString(), t.index, t.query)).toList())
                .settings(settings(job.execution()))
                .destination(connection(plan.destination()))
                .source(connection(plan.source()))
                .replication(replication(job))
                .steps(steps)
                .metadata(metadata(plan))
                .build();
    }

    /**
     * The queued event of the run's current attempt, naming the tasks it will execute, with what the
     * run search filters on: the tags given at launch (null on a retry: the run keeps its first), who
     * launched it and the job's labels now.
     */
    public static RunQueued queued(RunEntity run, LaunchPlan plan) {
        List<RunQueued.TaskRef> tasks = runTasks(run, plan).stream()
                .map(t -> new RunQueued.TaskRef(t.id.toString(), t.index)).toList();
        return new RunQueued(run.id.toString(), run.attempt, run.workspace, plan.job().id.toString(), plan.job().name,
                run.trigger, tasks, Instant.now(), run.executionDate, run.tags, run.requestedBy,
                plan.job().labels == null ? List.of() : List.of(plan.job().labels));
    }

    /** The tasks the run executes: those it was launched with, less any skipped while it was queued. */
    static List<TaskEntity> runTasks(RunEntity run, LaunchPlan plan) {
        List<TaskEntity> tasks = plan.tasksFor(run.taskIds);
        if (run.skippedTaskIds == null || run.skippedTaskIds.length == 0) {
            return tasks;
        }
        List<java.util.UUID> skipped = List.of(run.skippedTaskIds);
        return tasks.stream().filter(t -> !skipped.contains(t.id)).toList();
    }

    private static RunSettings settings(Execution e) {
        return new RunSettings(e.enableParallelProcessing(), e.workerPool(), e.taskTimeoutSeconds(), e.retry().attempts(),
                e.retry().backoffSeconds(), e.verbosity().level(), e.preJobEvent(), e.postJobEvent(), e.runTimeoutSeconds());
    }

    /** The connection as a worker needs it, its secrets still sealed; null when the job names none. */
    private static ConnectionSpec connection(ConnectionEntity c) {
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

    /**
     * A metadata job's parameter (stored without its secrets), its sealed secrets and where an incremental
     * discovery continues from; null for other job types.
     */
    static MetadataSpec metadata(LaunchPlan plan) {
        JobEntity job = plan.job();
        if (!JobType.CATALOG.contains(job.type)) {
            return null;
        }
        SealedFields sealed = job.sealed();
        Map<String, SealedValue> secrets = new HashMap<>();
        for (String name : sealed.names()) {
            secrets.put(name, sealed.get(name));
        }
        JsonNode parameter = job.parameter == null ? null : StoredJson.read(job.parameter, JsonNode.class);
        boolean incremental = parameter != null && "INCREMENTAL_DISCOVERY".equals(
                parameter.path("metadata_discovery_parameter").path("rediscovery_policy").asText(null));
        return new MetadataSpec(parameter, secrets, incremental ? plan.lastSuccessStartedAt() : null, plan.metadataState());
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
}
