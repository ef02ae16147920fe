package io.jobplane.api.run.launch;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.connection.ConnectionType;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.lakeformation.MetadataMigrationParameter;
import io.jobplane.api.job.TaskEntity;
import io.jobplane.api.job.TaskSyntax;
import io.jobplane.api.run.LaunchRequest;
import io.jobplane.events.sql.SqlTemplate;

/**
 * Whether a plan may launch with these options, decided without I/O: the job is active and of a
 * type workers run, the tasks asked for are the job's, each task to run reads in its job type's
 * grammar and the destination's dialect (read once here; the names it templates are handed on),
 * every templated value is supplied, and the connections are where the job type needs them.
 * A refusal is the {@link ApiException} the caller answers with.
 */
public final class LaunchValidation {

    private LaunchValidation() {
    }

    /** A launch that passed: the plan, its options, and the tasks it runs with the values each names. */
    public record ValidLaunch(LaunchPlan plan, LaunchRequest options, List<ReadTask> tasks) {
    }

    /** A task to run, read once, and the templated values it names. */
    public record ReadTask(TaskEntity task, List<String> names) {
    }

    /** The launch, checked; or the refusal. */
    public static ValidLaunch validate(LaunchPlan plan, LaunchRequest options) {
        JobEntity job = plan.job();
        requireActive(job);
        requireRunnable(job);
        requireTasks(plan, options);
        List<ReadTask> tasks = read(plan, options);
        requireRunnableSettings(job);
        requireTemplateValues(job, tasks, options);
        requireRunnableConnections(plan);
        if (job.type == JobType.PERMISSION_MIGRATION) {
            requireLocation(plan, job.parameter().permissionMigrationParameter().location(), "location");
        }
        if (job.type == JobType.METADATA_DISCOVERY) {
            requireLocation(plan, job.parameter().metadataDiscoveryParameter().dataLocation(), "data_location");
        }
        if (job.type == JobType.METADATA_MIGRATION && job.parameter().metadataMigrationParameter().datasourceType()
                == MetadataMigrationParameter.DatasourceType.ALIYUN_DLF) {
            throw ApiException.conflict("CONNECTION_TYPE_NOT_RUNNABLE", "this version migrates metadata from a Hive metastore's"
                    + " database over JDBC, not from ALIYUN_DLF's API", "Migrate from the metastore database: a datasource_type"
                            + " with a jdbc_url (MRS_RDS_FOR_MYSQL, OPEN_FOR_MYSQL, MRS_RDS_FOR_PG, MRS_LOCAL_GAUSSDB).");
        }
        if (job.type == JobType.STEPS && plan.latestSource() == null) {
            throw ApiException.conflict("NO_STEP_PACKAGE", "Job '" + job.name + "' has no step package to run",
                    "Upload one with POST .../jobs/" + job.id + "/sources (a zip of .sql, .py and .sh steps).");
        }
        return new ValidLaunch(plan, options, tasks);
    }

    /** A location names a filesystem connection of the workspace (resolved into the plan's source). */
    private static void requireLocation(LaunchPlan plan, String location, String field) {
        if (plan.source() == null) {
            throw ApiException.conflict("DATA_LOCATION_UNKNOWN", field + " '" + location + "' names no connection of this workspace",
                    "Create a filesystem connection with the name after the scheme (e.g. 'landing' in fs://landing/sales), or change "
                            + field + ".");
        }
        if (plan.source().type() != ConnectionType.FILESYSTEM) {
            throw ApiException.conflict("CONNECTION_TYPE_NOT_RUNNABLE", field + " names connection '" + plan.source().name
                    + "', a " + plan.source().type + " connection; files are read through a filesystem connection",
                    "Name a filesystem connection in " + field + ".");
        }
    }

    private static void requireActive(JobEntity job) {
        if (job.status != JobStatus.ACTIVE) {
            throw ApiException.conflict("JOB_NOT_ACTIVE", "Job '" + job.name + "' is " + job.status + " and cannot be launched",
                    "Set the job's status to ACTIVE first.");
        }
    }

    private static void requireRunnable(JobEntity job) {
        if (!JobType.EXECUTABLE.contains(job.type)) {
            throw ApiException.conflict("JOB_TYPE_NOT_RUNNABLE",
                    "Jobs of type " + job.type + " can be defined but not yet run by this version of jobplane",
                    "Run a job of type " + JobType.EXECUTABLE + ", or wait for the release that executes " + job.type + ".");
        }
    }

    private static void requireTasks(LaunchPlan plan, LaunchRequest options) {
        JobEntity job = plan.job();
        if (options.tasks() != null) {
            if (new HashSet<>(options.tasks()).size() != options.tasks().size()) {
                throw ApiException.badRequest("DUPLICATE_TASK", "tasks names a task more than once",
                        "List each task id once; they run in the job's order anyway.");
            }
            for (UUID wanted : options.tasks()) {
                if (plan.tasks().stream().noneMatch(t -> t.id.equals(wanted))) {
                    throw ApiException.badRequest("UNKNOWN_TASK", "Task '" + wanted + "' is not a task of job '" + job.name + "'",
                            "Use task ids from GET .../jobs/" + job.id + "/tasks.");
                }
            }
            return;
        }
        // SYNC_ALL without tasks copies every table; STEPS jobs run their package's steps instead.
        if (plan.tasks().stream().noneMatch(t -> t.active) && job.type.takesTasks() && job.type != JobType.SYNC_ALL) {
            throw new ApiException(Status.CONFLICT, "NO_ACTIVE_TASKS", "Job '" + job.name + "' has no active task to run",
                    "Add a task or set is_active on one of its tasks.");
        }
    }

    /** Reads each task the run executes once; a task stored before its type's syntax was checked on save is refused. */
    private static List<ReadTask> read(LaunchPlan plan, LaunchRequest options) {
        List<ReadTask> read = new ArrayList<>();
        for (TaskEntity task : plan.tasksFor(taskIds(options))) {
            try {
                read.add(new ReadTask(task, TaskSyntax.read(plan.job().type, task.query, plan.dialect())));
            } catch (IllegalArgumentException e) {
                throw ApiException.conflict("TASK_SQL_INVALID", "Task " + task.index + " (" + task.id + "): " + e.getMessage(),
                        "Correct the task with PUT .../jobs/" + plan.job().id + "/tasks/" + task.id + ".");
            }
        }
        return read;
    }

    private static void requireRunnableSettings(JobEntity job) {
        if (job.type.replicates() && Boolean.TRUE.equals(job.settings().effective(true).replication().historyMode())) {
            throw ApiException.conflict("SETTING_NOT_RUNNABLE", "replication.history_mode is not carried out by this version's workers",
                    "Set replication.history_mode to false; rows are then kept at their latest version.");
        }
    }

    /** Every templated value the run's tasks name must be a built-in or one of the launch's parameters. */
    private static void requireTemplateValues(JobEntity job, List<ReadTask> tasks, LaunchRequest options) {
        Map<String, String> parameters = options.parameters() == null ? Map.of() : options.parameters();
        for (String builtIn : SqlTemplate.BUILT_INS) {
            if (parameters.containsKey(builtIn)) {
                throw ApiException.badRequest("RESERVED_PARAMETER", "Parameter '" + builtIn + "' is a value every run supplies",
                        "Rename the parameter; set the run's date with execution_date instead.");
            }
        }
        for (ReadTask read : tasks) {
            for (String name : read.names()) {
                if (!SqlTemplate.BUILT_INS.contains(name) && !parameters.containsKey(name)) {
                    throw ApiException.badRequest("UNKNOWN_TEMPLATE_VALUE",
                            "Task " + read.task().index + " (" + read.task().id + ") names {{" + name + "}}, which this launch does not supply",
                            "Launch with \"parameters\": {\"" + name + "\": \"…\"}; every run supplies "
                                    + new TreeSet<>(SqlTemplate.BUILT_INS) + ".");
                }
            }
        }
    }

    /** A job's connections must be there where its type needs them, and databases ones its executor works with. */
    private static void requireRunnableConnections(LaunchPlan plan) {
        // SQL tasks run on MySQL too; replication and step packages need PostgreSQL's COPY and DISCARD.
        Set<ConnectionType> databases = plan.job().type == JobType.TABLE_TO_TABLE
                ? EnumSet.of(ConnectionType.POSTGRESQL, ConnectionType.MYSQL) : EnumSet.of(ConnectionType.POSTGRESQL);
        requireEnd("destination", plan.job().type, plan.destination(), databases);
        requireEnd("source", plan.job().type, plan.source(), databases);
    }

    private static void requireEnd(String end, JobType type, ConnectionEntity connection, Set<ConnectionType> databases) {
        JobType.Uses uses = end.equals("source") ? type.source() : type.destination();
        if (connection == null) {
            if (uses.required()) {
                throw ApiException.conflict("JOB_HAS_NO_" + end.toUpperCase(Locale.ROOT), "The job names no " + end + " connection",
                        "Set " + end + "_connection_id on the job.");
            }
            return;
        }
        boolean database = uses == JobType.Uses.DATABASE || uses == JobType.Uses.OPTIONAL_DATABASE;
        if (database && !databases.contains(connection.type())) {
            throw ApiException.conflict("CONNECTION_TYPE_NOT_RUNNABLE",
                    "Connection '" + connection.name + "' is of type " + connection.type
                            + ", which workers of this version cannot use as the " + end + " of " + type + " jobs",
                    "Point the job's " + end + " at a " + databases.stream().map(ConnectionType::wire).sorted()
                            .collect(Collectors.joining(" or ")) + " connection.");
        }
    }

    static UUID[] taskIds(LaunchRequest options) {
        return options.tasks() == null ? null : options.tasks().toArray(new UUID[0]);
    }
}
