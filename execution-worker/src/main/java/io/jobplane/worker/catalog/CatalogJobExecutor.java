package io.jobplane.worker.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.events.files.FileRoots;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.MetadataSpec;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;
import io.jobplane.events.payload.catalog.DataLocation;
import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicySink;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;
import io.jobplane.worker.catalog.discovery.CsvOptions;
import io.jobplane.worker.catalog.discovery.DiscoveryOptions;
import io.jobplane.worker.catalog.discovery.DiscoveryReport;
import io.jobplane.worker.catalog.discovery.FileDiscovery;
import io.jobplane.worker.catalog.discovery.FileFormat;
import io.jobplane.worker.catalog.hive.HiveMetastoreMigration;
import io.jobplane.worker.catalog.hive.LocationRule;
import io.jobplane.worker.catalog.hive.MigrationOptions;
import io.jobplane.worker.catalog.hive.MigrationReport;
import io.jobplane.worker.catalog.hive.SyncObject;
import io.jobplane.worker.catalog.td.IngestOptions;
import io.jobplane.worker.catalog.td.IngestReport;
import io.jobplane.worker.catalog.td.TdApi;
import io.jobplane.worker.catalog.td.TdException;
import io.jobplane.worker.catalog.td.TreasureDataIngest;
import io.jobplane.worker.config.FilesConfig;
import io.jobplane.worker.events.AcknowledgedSends;
import io.jobplane.worker.executor.Endpoint;
import io.jobplane.worker.executor.JobExecutor;
import io.jobplane.worker.executor.RunControl;
import io.jobplane.worker.executor.RunOutcome;
import io.jobplane.worker.executor.SessionPool;
import io.jobplane.worker.executor.TaskResult;
import io.jobplane.worker.executor.TaskSequence;
import io.jobplane.worker.policy.PolicyChanges;
import io.jobplane.worker.files.BaseDirectory;
import io.jobplane.worker.files.FileTaskException;

/**
 * Runs the jobs that build the catalog: {@code METADATA_DISCOVERY} reads the schemas of the files under
 * the filesystem connection its {@code data_location} names ({@link FileDiscovery}); {@code METADATA_MIGRATION}
 * reads a Hive Metastore's database over JDBC ({@link HiveMetastoreMigration}); {@code METADATA_INGEST}
 * imports a Treasure Data account's own metadata through its {@code treasure_data} source ({@link TreasureDataIngest}). What they find goes to
 * {@code jobplane.catalog-changes} ({@link CatalogChanges}), which metadata-harvester materialises. A run is
 * one task ({@code discover}, {@code migrate} or {@code ingest}); its {@code rows_affected} counts the changes sent, and it
 * ends SUCCESS only when the broker has every change and the run's completion. A cancel stops the scan
 * between files or batches.
 */
@ApplicationScoped
public class CatalogJobExecutor implements JobExecutor {

    private static final Logger LOG = Logger.getLogger(CatalogJobExecutor.class);
    static final String DISCOVERY = "METADATA_DISCOVERY";
    static final String MIGRATION = "METADATA_MIGRATION";
    static final String INGEST = "METADATA_INGEST";

    private final FileRoots roots;
    private final CatalogChanges changes;
    private final PolicyChanges policies;
    private final SecretKeyring keyring;
    private final SessionPool sessions;

    public CatalogJobExecutor(FilesConfig files, CatalogChanges changes, PolicyChanges policies, SecretKeyring keyring,
            SessionPool sessions) {
        this.roots = files.fileRoots();
        this.changes = changes;
        this.policies = policies;
        this.keyring = keyring;
        this.sessions = sessions;
    }

    @Override
    public Set<String> jobTypes() {
        return Set.of(DISCOVERY, MIGRATION, INGEST);
    }

    @Override
    public RunOutcome execute(LaunchCommand run, RunControl control) {
        boolean discovery = run.jobType().equals(DISCOVERY);
        MetadataSpec spec = run.metadata();
        if (run.jobType().equals(INGEST)) {
            TaskSpec task = new TaskSpec("ingest", 0, run.jobType());
            TaskSequence sequence = new TaskSequence(run, control);
            sequence.run(task, run.jobType(), () -> ingest(run, control, task, spec));
            return sequence.outcome();
        }
        TaskSpec task = new TaskSpec(discovery ? "discover" : "migrate", 0, run.jobType());
        JsonNode parameter = spec == null || spec.parameter() == null ? null
                : spec.parameter().get(discovery ? "metadata_discovery_parameter" : "metadata_migration_parameter");
        if (parameter == null) {
            return TaskSequence.unavailable(run, control, List.of(task), "PARAMETER_MISSING",
                    "the launch command carries no " + run.jobType().toLowerCase() + " parameter; launch the job again");
        }
        TaskSequence sequence = new TaskSequence(run, control);
        sequence.run(task, run.jobType(), () -> discovery ? discover(run, control, task, spec, parameter)
                : migrate(run, control, task, spec, parameter));
        return sequence.outcome();
    }

    private TaskResult discover(LaunchCommand run, RunControl control, TaskSpec task, MetadataSpec spec, JsonNode p) {
        if (control.isCancelled()) {
            return TaskResult.stopped("cancelled before the discovery started");
        }
        DataLocation location;
        Path directory;
        try {
            location = DataLocation.parse(p.path("data_location").asText(null));
            directory = BaseDirectory.open("source", run.source(), roots).directoryWithin(location.path());
        } catch (IllegalArgumentException e) {
            return TaskResult.invalid("data_location " + e.getMessage());
        } catch (FileTaskException e) {
            return e.retryable() ? TaskResult.failed(e.getMessage()) : TaskResult.invalid(e.getMessage());
        }
        DiscoveryOptions options;
        try {
            options = discoveryOptions(p, spec.incrementalSince());
        } catch (IllegalArgumentException e) {
            return TaskResult.invalid(e.getMessage());
        }
        CatalogChange.Origin origin = origin(run);
        CatalogSink sink = changes.sink();
        control.progress(task, (spec.incrementalSince() == null ? "full" : "incremental (files changed since "
                + spec.incrementalSince() + ")") + " discovery of " + location.uri());
        return interruptible(control, task, null, () -> {
            DiscoveryReport report = new FileDiscovery(options).run(directory, location.uri(), origin, sink,
                    line -> control.log(task, "WARN", line));
            sink.complete(origin); // the engine logged its own summary (files seen, read, unchanged, skipped; tables, partitions)
            grantDiscovered(run, p, report.tableNames(), line -> control.log(task, "INFO", line));
            return TaskResult.success(report.tables() + report.partitions());
        });
    }

    /**
     * A discovery's {@code principals} are granted {@code SELECT} (and {@code UPDATE}, Ranger's write on a Hive table,
     * with {@code give_write}) on every table its data location holds, as the grants of origin
     * {@code discovery:<job id>}: policy-migrator makes them that origin's whole set, so a table gone from the
     * location, or a principal gone from the job, loses its grants on the next run.
     */
    private void grantDiscovered(LaunchCommand run, JsonNode p, List<String> tables, java.util.function.Consumer<String> log) {
        JsonNode principals = p.path("principals");
        String origin = "discovery:" + run.jobId();
        PolicyChange.Run identity = new PolicyChange.Run(run.workspace(), run.jobId(), run.runId(), run.attempt(), Instant.now());
        List<String> privileges = p.path("give_write").asBoolean(false) ? List.of("SELECT", "UPDATE") : List.of("SELECT");
        String generation = java.util.UUID.randomUUID().toString();
        PolicySink sink = policies.sink();
        // One grant per principal, table and privilege: a principal listed twice is granted once.
        Map<List<Object>, PolicyChange.Grant> grants = new java.util.LinkedHashMap<>();
        int index = 0;
        for (JsonNode principal : principals) {
            PolicyChange.Principal who = new PolicyChange.Principal(text(principal, "principal_type"), text(principal, "principal_source"),
                    text(principal, "principal_name"));
            PolicyChange.Provenance from = new PolicyChange.Provenance(text(p, "data_location"), null, "principals", Integer.toString(index++));
            for (String table : tables) {
                for (String privilege : privileges) {
                    grants.putIfAbsent(List.of(who, table, privilege), new PolicyChange.Grant(who, new PolicyChange.Resource(
                            text(p, "target_catalog"), text(p, "target_database"), table, null, null, false), privilege, false, from));
                }
            }
        }
        List<PolicyChange.Grant> all = List.copyOf(grants.values());
        for (int from = 0; from < all.size(); from += PolicyChange.MAX_GRANTS_PER_EVENT) {
            sink.grants(new PolicyChange.GrantsStaged(identity, origin, generation,
                    all.subList(from, Math.min(all.size(), from + PolicyChange.MAX_GRANTS_PER_EVENT))));
        }
        long count = all.size();
        sink.committed(new PolicyChange.GrantsCommitted(identity, origin, generation, count));
        sink.complete(identity, origin, count, 0);
        if (count > 0) {
            log.accept("discovery: " + count + " grants for " + principals.size() + " principals on " + tables.size() + " tables");
        }
    }

    private TaskResult ingest(LaunchCommand run, RunControl control, TaskSpec task, MetadataSpec spec) {
        if (control.isCancelled()) {
            return TaskResult.stopped("cancelled before the ingest started");
        }
        IngestOptions options;
        TdApi api;
        try {
            options = IngestOptions.fromParameter(spec == null ? null : spec.parameter(),
                    run.source() == null ? null : run.source().connectionId());
            api = TdApi.open(run.source(), run.workspace(), keyring, options.limits());
        } catch (IllegalArgumentException e) {
            return TaskResult.invalid(e.getMessage());
        } catch (TdException e) {
            return TaskResult.invalid(e.getMessage());
        }
        CatalogChange.Origin origin = origin(run);
        CatalogSink sink = changes.sink();
        Map<String, String> state = spec == null ? Map.of() : spec.state();
        control.progress(task, options.mode() + " import" + (state.containsKey("max_job_id")
                ? ", jobs above " + state.get("max_job_id") + " already imported" : ""));
        return interruptible(control, task, null, () -> {
            IngestReport report;
            try (api) {
                report = new TreasureDataIngest(options).run(api, origin, sink, state, line -> control.log(task, "WARN", line));
            }
            sink.complete(origin);
            control.log(task, "INFO", "ingest: " + report.total() + " records sent " + new java.util.TreeMap<>(report.records())
                    + " in " + report.requests() + " requests (" + report.retries() + " retried)");
            return TaskResult.success(report.total());
        });
    }

    /** The discovery's options from LakeFormation's metadata_discovery_parameter (snake_case, as job-api stores it). */
    static DiscoveryOptions discoveryOptions(JsonNode p, Instant incrementalSince) {
        String quote = text(p, "quote");
        CsvOptions csv = CsvOptions.of(text(p, "separator"), quote == null ? null : CsvOptions.Quote.valueOf(quote),
                text(p, "escape"), p.path("header").asBoolean(false));
        String conflict = text(p, "conflict_strategy");
        return new DiscoveryOptions(FileFormat.of(text(p, "file_discovery_type")), csv, p.path("file_sample_rate").asInt(100),
                p.path("table_depth").asInt(1), incrementalSince, text(p, "target_catalog"), text(p, "target_database"),
                text(p, "default_owner"), conflict == null ? CatalogChange.Conflict.UPSERT : CatalogChange.Conflict.valueOf(conflict),
                null);
    }

    /** The migration's options from LakeFormation's metadata_migration_parameter. */
    static MigrationOptions migrationOptions(JsonNode p) {
        Set<SyncObject> objects = EnumSet.noneOf(SyncObject.class);
        p.path("sync_objects").forEach(o -> objects.add(SyncObject.valueOf(o.asText())));
        List<LocationRule> rules = new ArrayList<>();
        p.path("locations").forEach(r -> rules.add(new LocationRule(r.path("key").asText(), r.path("value").asText())));
        String conflict = text(p, "conflict_strategy");
        return new MigrationOptions(text(p, "source_catalog"), text(p, "target_catalog"), objects, rules, text(p, "default_owner"),
                conflict == null ? CatalogChange.Conflict.UPSERT : CatalogChange.Conflict.valueOf(conflict), null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private TaskResult migrate(LaunchCommand run, RunControl control, TaskSpec task, MetadataSpec spec, JsonNode p) {
        if (control.isCancelled()) {
            return TaskResult.stopped("cancelled before the migration started");
        }
        JsonNode source = p.path("datasource_parameter");
        String url = source.path("jdbc_url").asText(null);
        if (url == null) {
            return TaskResult.invalid("this version migrates from a metastore database over JDBC: datasource_parameter.jdbc_url is"
                    + " required (" + p.path("datasource_type").asText() + " without one is not supported)");
        }
        String password;
        try {
            SealedValue sealed = spec.secret("datasource_parameter.password");
            password = sealed == null ? null
                    : keyring.open(sealed, SecretOwner.jobParameter(run.workspace(), run.jobId()), "datasource_parameter.password");
        } catch (RuntimeException e) {
            return TaskResult.invalid("cannot open the data source's password: " + e.getMessage());
        }
        Endpoint endpoint;
        try {
            endpoint = Endpoint.withPassword("metastore", new ConnectionSpec(null, url.startsWith("jdbc:mysql") ? "mysql" : "postgresql",
                    url, source.path("username").asText(null), null, null, null, null, null), password);
        } catch (Endpoint.Unavailable e) {
            return TaskResult.invalid(e.getMessage());
        }
        MigrationOptions options;
        try {
            options = migrationOptions(p);
        } catch (IllegalArgumentException e) {
            return TaskResult.invalid(e.getMessage());
        }
        CatalogChange.Origin origin = origin(run);
        Connection connection;
        try {
            connection = endpoint.open(sessions, "jobplane metadata migration " + run.runId());
        } catch (Endpoint.Unavailable e) {
            return TaskResult.unavailable(e);
        }
        try {
            connection.setReadOnly(true);
            CatalogSink sink = changes.sink();
            // A driver blocked on the socket does not see a thread's interrupt: a cancel closes the session.
            return interruptible(control, task, () -> connection.abort(Runnable::run), () -> {
                MigrationReport report = new HiveMetastoreMigration(options).run(connection, origin, sink,
                        line -> control.log(task, "WARN", line));
                sink.complete(origin);
                if (!report.complete()) {
                    return TaskResult.invalid("the metastore holds more than one run migrates (" + report.stoppedBy()
                            + "); what was read is in the catalog");
                }
                return TaskResult.success(report.databases() + report.tables() + report.partitions() + report.functions());
            });
        } catch (SQLException e) {
            return TaskResult.failed("the metastore: " + endpoint.scrub(e.getMessage()));
        } finally {
            endpoint.discard(sessions, connection, null);
        }
    }

    @FunctionalInterface
    private interface Work {
        TaskResult call() throws Exception;
    }

    /**
     * Runs the scan on this thread, which a cancel interrupts (the engines look between files and batches);
     * a cancel ends it as STOPPED, a failure as the task's error.
     */
    private static TaskResult interruptible(RunControl control, TaskSpec task, RunControl.Interrupter also, Work work) {
        Thread worker = Thread.currentThread();
        control.interruptWith(task.taskId(), () -> {
            worker.interrupt();
            if (also != null) {
                also.interrupt();
            }
        });
        try {
            return work.call();
        } catch (InterruptedException e) {
            return TaskResult.stopped("cancelled");
        } catch (AcknowledgedSends.NotSentException e) {
            return TaskResult.failed(e.getMessage());
        } catch (AcknowledgedSends.TooLargeException e) {
            return TaskResult.invalid(e.getMessage());
        } catch (Exception e) {
            if (control.isCancelled()) {
                return TaskResult.stopped("cancelled");
            }
            LOG.warnf("catalog run failed: %s", e.toString());
            return TaskResult.invalid(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } finally {
            control.interruptWith(task.taskId(), null);
            // An interrupt that came as the work ended is not for the next run this thread takes.
            Thread.interrupted();
        }
    }

    private static CatalogChange.Origin origin(LaunchCommand run) {
        return new CatalogChange.Origin(run.workspace(), run.jobId(), run.runId(), run.attempt(), Instant.now());
    }
}
