package io.jobplane.worker.policy;

import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.events.files.FileRoots;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.catalog.DataLocation;
import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicySink;
import io.jobplane.events.sql.PathPattern;
import io.jobplane.worker.config.FilesConfig;
import io.jobplane.worker.events.AcknowledgedSends;
import io.jobplane.worker.executor.JobExecutor;
import io.jobplane.worker.executor.RunControl;
import io.jobplane.worker.executor.RunOutcome;
import io.jobplane.worker.executor.TaskResult;
import io.jobplane.worker.executor.TaskSequence;
import io.jobplane.worker.files.BaseDirectory;
import io.jobplane.worker.files.FileTaskException;

/**
 * Runs {@code PERMISSION_MIGRATION} jobs: reads the policy file {@code location} + {@code file_name} names
 * through the filesystem connection the location's host part names (never following a link out of its base
 * path), turns its policies into grants ({@link PermissionMigration}) and sends them to
 * {@code jobplane.policy-changes} ({@link PolicyChanges}) as the whole set of that file's grants, which
 * policy-migrator makes the file's grants at once. A run is one task ({@code migrate-permissions}); its
 * {@code rows_affected} is the number of grants; what could not be a grant is the run's report.
 */
@ApplicationScoped
public class PermissionJobExecutor implements JobExecutor {

    private static final Logger LOG = Logger.getLogger(PermissionJobExecutor.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final FileRoots roots;
    private final PolicyChanges changes;

    public PermissionJobExecutor(FilesConfig files, PolicyChanges changes) {
        this.roots = files.fileRoots();
        this.changes = changes;
    }

    @Override
    public Set<String> jobTypes() {
        return Set.of("PERMISSION_MIGRATION");
    }

    @Override
    public RunOutcome execute(LaunchCommand run, RunControl control) {
        TaskSpec task = new TaskSpec("migrate-permissions", 0, run.jobType());
        JsonNode p = run.metadata() == null || run.metadata().parameter() == null ? null
                : run.metadata().parameter().get("permission_migration_parameter");
        if (p == null) {
            return TaskSequence.unavailable(run, control, List.of(task), "PARAMETER_MISSING",
                    "the launch command carries no permission_migration_parameter; launch the job again");
        }
        TaskSequence sequence = new TaskSequence(run, control);
        sequence.run(task, run.jobType(), () -> migrate(run, control, task, p));
        return sequence.outcome();
    }

    private TaskResult migrate(LaunchCommand run, RunControl control, TaskSpec task, JsonNode p) {
        if (control.isCancelled()) {
            return TaskResult.stopped("cancelled before the migration started");
        }
        DataLocation location;
        String directory;
        String name;
        PermissionMigration.Options options;
        try {
            location = DataLocation.parse(text(p, "location"));
            String fileName = text(p, "file_name");
            if (fileName == null || fileName.isBlank()) {
                int slash = location.path().lastIndexOf('/');
                directory = slash < 0 ? "" : location.path().substring(0, slash);
                name = location.path().substring(slash + 1);
            } else {
                directory = location.path();
                name = fileName;
            }
            if (name.isEmpty()) {
                return TaskResult.invalid("location names a folder and file_name is empty: name the policy file");
            }
            options = new PermissionMigration.Options(text(p, "policy_type"), text(p, "catalog_id"), relas(p.get(
                    "ranger_permission_migration_principal_relas")), null);
        } catch (IllegalArgumentException e) {
            return TaskResult.invalid(e.getMessage());
        }
        String file = (directory.isEmpty() ? "" : directory + "/") + name;
        String origin = location.scheme() + "://" + location.connection() + "/" + file;
        PolicyChange.Run identity = new PolicyChange.Run(run.workspace(), run.jobId(), run.runId(), run.attempt(), Instant.now());
        PolicySink sink = changes.sink();
        try {
            BaseDirectory base = BaseDirectory.open("source", run.source(), roots);
            List<BaseDirectory.Found> found = base.find(PathPattern.parse(file).resolve(Map.of()));
            if (found.isEmpty()) {
                return TaskResult.invalid("the policy file '" + file + "' is not in the connection " + location.connection());
            }
            MigrationSummary summary;
            try (SeekableByteChannel channel = base.read(found.get(0)); InputStream in = Channels.newInputStream(channel)) {
                summary = new PermissionMigration(knownTables(run), null).run(in, name, options, identity, origin, sink,
                        line -> control.log(task, "INFO", line));
            }
            sink.complete(identity, origin, summary.grants(), summary.leftOut());
            control.log(task, "INFO", "permission migration of " + origin + ": " + summary.grants() + " grants, " + summary.leftOut()
                    + " items left out " + summary.byReason());
            return TaskResult.success(summary.grants());
        } catch (FileTaskException e) {
            return e.retryable() ? TaskResult.failed(e.getMessage()) : TaskResult.invalid(e.getMessage());
        } catch (PathPattern.PathException e) {
            return TaskResult.invalid("the policy file's path: " + e.getMessage());
        } catch (PolicyFileException e) {
            return TaskResult.invalid(e.getMessage());
        } catch (AcknowledgedSends.NotSentException e) {
            return TaskResult.failed(e.getMessage());
        } catch (AcknowledgedSends.TooLargeException | IllegalArgumentException e) {
            return TaskResult.invalid(e.getMessage());
        } catch (java.io.IOException e) {
            LOG.warnf("permission migration %s: %s", run.runId(), e.toString());
            return TaskResult.failed("cannot read the policy file: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The tables of the {@code hive} catalog job-api found in the catalog read model at launch
     * ({@code catalog_tables}): the policies' wildcards expand against them; without them they stay patterns.
     */
    static CatalogLookup knownTables(LaunchCommand run) {
        String known = run.metadata() == null ? null : run.metadata().state().get("catalog_tables");
        if (known == null) {
            return CatalogLookup.UNKNOWN;
        }
        try {
            InMemoryCatalogLookup lookup = new InMemoryCatalogLookup();
            for (JsonNode pair : JSON.readTree(known)) {
                lookup.table("hive", pair.get(0).asText(), pair.get(1).asText());
            }
            return lookup;
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("run %s: the catalog's tables in the launch command cannot be read (%s); wildcards stay patterns",
                    run.runId(), e.getMessage());
            return CatalogLookup.UNKNOWN;
        }
    }

    private static PrincipalMapping relas(JsonNode r) {
        if (r == null || r.isNull()) {
            return PrincipalMapping.none();
        }
        return new PrincipalMapping(text(r, "user_to"), text(r, "user_prefix"), text(r, "user_suffix"), text(r, "group_to"),
                text(r, "group_prefix"), text(r, "group_suffix"), text(r, "role_to"), text(r, "role_prefix"), text(r, "role_suffix"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
