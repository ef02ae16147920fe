package io.jobplane.api.dialect.vdk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJob;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobConfig;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobDeployment;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobDeploymentStatus;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobExecution;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobResources;
import io.jobplane.api.dialect.vdk.VdkBodies.DataJobSchedule;
import io.jobplane.api.dialect.vdk.VdkStore.DeploymentRow;
import io.jobplane.api.dialect.vdk.VdkStore.ExecutionRow;
import io.jobplane.api.dialect.vdk.VdkStore.JobRow;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobRequest;
import io.jobplane.api.job.JobService;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.JobUpdate;
import io.jobplane.api.job.settings.CronExpressions;
import io.jobplane.api.job.settings.Schedule;
import io.jobplane.api.job.source.JobSourceService;
import io.jobplane.api.job.source.SourceVersion;
import io.jobplane.api.job.source.StepEnvironmentService;
import io.jobplane.api.run.LaunchRequest;
import io.jobplane.api.run.RunOrigin;
import io.jobplane.api.run.RunQueryService;
import io.jobplane.api.run.RunService;
import io.jobplane.api.run.RunStatusView;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * VDK's control service operations over the native services: a data job is a STEPS job of the team's
 * workspace found by its name, its sources are the job's step package versions, its one deployment
 * pins a version and drives the job's schedule, and its executions are runs launched through the one
 * launch pipeline. Native rules (roles, quotas, cron checks, secrets) apply as they do natively.
 */
@ApplicationScoped
public class VdkService {

    /** The id a deployment gets when the client names none (VDK's CLI deploys as "production"). */
    static final String DEFAULT_DEPLOYMENT = "production";
    static final int MAX_DESCRIPTION = 4000;
    static final int MAX_LOG_LINES = 5000;
    static final int MAX_EXECUTIONS = 100;
    /** Executions read per job for jobs_query, which reads every job of the team at once. */
    static final int MAX_EXECUTIONS_IN_QUERY = 25;

    private final VdkStore store;
    private final JobService jobs;
    private final JobSourceService sources;
    private final StepEnvironmentService environment;
    private final LaunchPipeline launches;
    private final RunService runs;
    private final RunQueryService queries;
    private final Audit audit;
    private final ObjectMapper json;
    private final List<String> pythonVersions;

    public VdkService(VdkStore store, JobService jobs, JobSourceService sources, StepEnvironmentService environment,
            LaunchPipeline launches, RunService runs, RunQueryService queries, Audit audit, ObjectMapper json,
            @ConfigProperty(name = "jobplane.dialects.vdk.python-versions", defaultValue = "3.11") List<String> pythonVersions) {
        this.store = store;
        this.jobs = jobs;
        this.sources = sources;
        this.environment = environment;
        this.launches = launches;
        this.runs = runs;
        this.queries = queries;
        this.audit = audit;
        // VDK's clients may send fields of newer versions of its document: they are ignored, as VDK's server does.
        this.json = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.pythonVersions = List.copyOf(pythonVersions);
    }

    /** The Python versions deployments may ask for: those the workers run. */
    public List<String> pythonVersions() {
        return pythonVersions;
    }

    ObjectMapper json() {
        return json;
    }

    // --- data jobs ------------------------------------------------------------------------------

    /** The team's data job of that name, else 404 {@code DATA_JOB_NOT_FOUND}. */
    public Uni<JobRow> job(Caller caller, String name) {
        return store.job(caller.workspace(), name).onItem().ifNull().failWith(() -> notFound(caller.workspace(), name));
    }

    /** Creates the data job: a STEPS job of the team, with its VDK config. */
    @WithTransaction
    public Uni<Void> create(Caller caller, String nameParameter, DataJob body) {
        String name = body.jobName() != null ? body.jobName() : nameParameter;
        if (body.jobName() != null && nameParameter != null && !body.jobName().equals(nameParameter)) {
            throw ApiException.badRequest("NAME_MISMATCH", "The name parameter '" + VdkMapping.shorten(nameParameter)
                    + "' and job_name '" + VdkMapping.shorten(body.jobName()) + "' differ", "Send one name, or the same in both.");
        }
        VdkMapping.jobName(name);
        requireTeam(caller, body.team());
        DataJobConfig config = requireConfig(body.config());
        String description = description(body.description());
        Schedule schedule = new Schedule(false, cron(config), "UTC", null);
        JobRequest request = new JobRequest(name, JobType.STEPS, description, null, null, null, null, null, null, schedule,
                null, null, null, null, null, null, null, null);
        return jobs.create(caller, request).chain(view -> store.saveConfig(view.jobId(), write(config)));
    }

    /** The data job as VDK shows it. */
    public DataJob dataJob(JobRow job) {
        return new DataJob(job.name(), job.description() == null ? "" : job.description(), config(job), job.team());
    }

    /** Replaces the job's description and config. */
    @WithTransaction
    public Uni<Void> update(Caller caller, String name, DataJob body) {
        if (body.jobName() != null && !body.jobName().equals(name)) {
            throw ApiException.badRequest("NAME_MISMATCH", "job_name '" + VdkMapping.shorten(body.jobName())
                    + "' is not the job's name '" + name + "'", "A data job cannot be renamed; send its own name or none.");
        }
        requireTeam(caller, body.team());
        DataJobConfig config = requireConfig(body.config());
        String description = description(body.description());
        return job(caller, name).chain(job -> {
            // The config's schedule is VDK's deprecated one: checked, kept, and fired only through a deployment.
            Schedule schedule = job.deployment() == null ? new Schedule(false, cron(config), "UTC", null) : null;
            return jobs.update(caller, job.id(), change(description, schedule), null)
                    .chain(() -> store.saveConfig(job.id(), write(config)));
        });
    }

    /** Deletes the data job with its sources, deployment, properties and secrets. */
    public Uni<Void> delete(Caller caller, String name) {
        return job(caller, name).chain(job -> jobs.delete(caller, job.id(), null));
    }

    /**
     * Moves the data job to another team (both roles are checked by the caller). Its runs stay in the
     * history of the team they ran in. A job with connections (they belong to the old team) or with a
     * run that has not ended cannot move.
     */
    @WithTransaction
    public Uni<Void> changeTeam(Caller from, Caller to, String name) {
        if (from.workspace().equals(to.workspace())) {
            return job(from, name).replaceWithVoid();
        }
        return job(from, name).chain(row -> store.hasActiveRun(row.id())
                .chain(active -> {
                    if (active) {
                        throw ApiException.conflict("EXECUTION_RUNNING", "Data job '" + name
                                + "' has an execution that has not ended", "Wait for it to end (or cancel it), then change the team.");
                    }
                    return store.job(to.workspace(), name);
                })
                .chain(taken -> {
                    if (taken != null) {
                        throw ApiException.conflict("DATA_JOB_EXISTS", "Team '" + to.workspace() + "' already has a data job '"
                                + name + "'", "Delete or rename that one first.");
                    }
                    return JobEntity.lockInWorkspace(from.workspace(), row.id());
                })
                .chain(job -> move(from, to, job)));
    }

    private Uni<Void> move(Caller from, Caller to, JobEntity job) {
        if (job.sourceConnectionId != null || job.destinationConnectionId != null) {
            throw ApiException.conflict("JOB_HAS_CONNECTIONS", "Data job '" + job.name + "' uses connections of team '"
                    + from.workspace() + "'", "Clear its destination_connection_id (native API), move it, then set one of the new team.");
        }
        environment.resealFor(job, to.workspace());
        job.workspace = to.workspace();
        return Panache.getSession().chain(s -> s.flush().chain(() -> s.createNativeQuery(
                        "update api.job_schedule set workspace = ?1 where job_id = ?2")
                        .setParameter(1, to.workspace()).setParameter(2, job.id).executeUpdate()))
                .call(() -> audit.record(from, "job.team_changed", "job", job.id, Map.of("name", job.name, "to", to.workspace())))
                .call(() -> audit.record(to, "job.team_changed", "job", job.id, Map.of("name", job.name, "from", from.workspace())))
                .replaceWithVoid();
    }

    // --- sources --------------------------------------------------------------------------------

    /** Stores the uploaded zip as the job's next version; its VDK version is the package's SHA-256. */
    public Uni<SourceVersion> upload(Caller caller, String name, byte[] zip) {
        return job(caller, name).chain(job -> sources.upload(caller, job.id(), zip));
    }

    /** Deletes every version of the job's package (refused while a deployment runs one of them). */
    public Uni<Void> deleteSources(Caller caller, String name) {
        return job(caller, name).chain(job -> sources.delete(caller, job.id())).replaceWithVoid();
    }

    // --- deployment -----------------------------------------------------------------------------

    /** The job's deployment as VDK reads it; 404 when the job has none. */
    public DataJobDeploymentStatus deployment(JobRow job) {
        DeploymentRow d = requireDeployment(job);
        DataJobConfig config = config(job);
        return new DataJobDeploymentStatus(d.vdkVersion(), d.jobVersion(), d.pythonVersion(), d.mode(), d.id(), d.enabled(),
                config.contacts(), d.scheduleCron() == null ? null : new DataJobSchedule(d.scheduleCron()), resources(d),
                d.deployedAt().toString(), d.deployedBy());
    }

    /**
     * Creates or updates the deployment (VDK's {@code POST …/deployments}): the version it runs, whether
     * its schedule fires, its Python version, resources and mode. {@code patch} is VDK's {@code PATCH}:
     * the deployment must exist and its version cannot change.
     */
    @WithTransaction
    public Uni<Void> deploy(Caller caller, String name, DataJobDeployment body, boolean patch) {
        DataJobDeployment given = body == null ? new DataJobDeployment(null, null, null, null, null, null, null, null, null, null)
                : body;
        return job(caller, name).chain(job -> {
            DeploymentRow was = job.deployment();
            if (patch && was == null) {
                throw deploymentNotFound(name);
            }
            VdkMapping.bounded("job_version", given.jobVersion());
            if (patch && given.jobVersion() != null && !given.jobVersion().equals(was.jobVersion())) {
                throw ApiException.badRequest("JOB_VERSION_NOT_PATCHABLE", "PATCH cannot change the deployed job_version",
                        "Deploy a new version with POST …/deployments.");
            }
            String version = given.jobVersion() != null ? given.jobVersion() : was != null ? was.jobVersion() : null;
            if (version == null) {
                throw ApiException.badRequest("VALIDATION_FAILED", "job_version is required for a first deployment",
                        "Send the version_sha an upload of the job's sources answered as job_version.");
            }
            String python = given.pythonVersion() != null ? given.pythonVersion() : was != null ? was.pythonVersion()
                    : pythonVersions.get(0);
            if (!pythonVersions.contains(python)) {
                throw ApiException.badRequest("UNSUPPORTED_PYTHON_VERSION", "Python " + VdkMapping.shorten(python)
                        + " is not run here", "Use one of " + pythonVersions + " (GET …/info lists them).");
            }
            boolean enabled = given.enabled() != null ? given.enabled() : was == null || was.enabled();
            String cron = given.schedule() != null ? given.schedule().scheduleCron()
                    : was != null ? was.scheduleCron() : cron(config(job));
            String resources = given.resources() != null ? write(given.resources()) : was != null ? was.resources() : "{}";
            String mode = VdkMapping.mode(given.mode() != null ? given.mode() : was != null ? was.mode() : null);
            String id = VdkMapping.bounded("id", given.id() != null && !given.id().isBlank() ? given.id()
                    : was != null ? was.id() : DEFAULT_DEPLOYMENT);
            String vdkVersion = VdkMapping.bounded("vdk_version",
                    given.vdkVersion() != null ? given.vdkVersion() : was != null ? was.vdkVersion() : null);
            DeploymentRow deployment = new DeploymentRow(id, version, vdkVersion, python, mode, enabled, blankToNull(cron),
                    resources, caller.subject(), Instant.now());
            return store.version(job.id(), version).chain(number -> {
                if (number == null) {
                    throw ApiException.badRequest("UNKNOWN_JOB_VERSION", "Data job '" + name + "' has no source version '"
                            + VdkMapping.shorten(version) + "'", "Upload the sources first and deploy the version_sha it answers.");
                }
                Schedule schedule = new Schedule(enabled && deployment.scheduleCron() != null, deployment.scheduleCron(), "UTC", null);
                return jobs.update(caller, job.id(), change(null, schedule), null)
                        .chain(() -> pin(caller, job.id(), number))
                        .chain(() -> store.saveDeployment(job.id(), deployment))
                        .chain(() -> audit.record(caller, patch ? "vdk.deployment.patched" : "vdk.deployment.updated", "job",
                                job.id(), Map.of("job_version", version, "enabled", enabled, "python_version", python)));
            });
        });
    }

    /** Deletes the deployment: its schedule stops firing; an execution running goes on to its end. */
    @WithTransaction
    public Uni<Void> undeploy(Caller caller, String name) {
        return job(caller, name).chain(job -> {
            DeploymentRow d = requireDeployment(job);
            return jobs.update(caller, job.id(), change(null, new Schedule(false, d.scheduleCron(), "UTC", null)), null)
                    .chain(() -> pin(caller, job.id(), null))
                    .chain(() -> store.deleteDeployment(job.id()))
                    .chain(() -> audit.record(caller, "vdk.deployment.deleted", "job", job.id(), Map.of("job_version", d.jobVersion())));
        });
    }

    // --- executions -----------------------------------------------------------------------------

    /** Starts an execution of the deployment; answers its id. 409 while one has not ended. */
    public Uni<UUID> execute(Caller caller, String name, VdkBodies.DataJobExecutionRequest body, String opId) {
        Map<String, Object> args = body == null ? null : body.args();
        Map<String, String> parameters = VdkMapping.parameters(args, json);
        String startedBy = body == null || body.startedBy() == null || body.startedBy().isBlank() ? "manual/" + caller.subject()
                : VdkMapping.shorten(body.startedBy());
        return job(caller, name).chain(job -> {
            DataJobDeployment deployment = snapshot(requireDeploymentToRun(job));
            return store.hasActiveRun(job.id()).chain(active -> {
                if (active) {
                    throw ApiException.conflict("EXECUTION_RUNNING", "Data job '" + name + "' is already executing",
                            "Wait for the execution to end, or cancel it, then start another.");
                }
                return launches.launch(caller, job.id(), null, new LaunchRequest(null, parameters, null), RunOrigin.MANUAL);
            }).call(result -> Panache.withTransaction(() -> store.saveExecution(result.runId(), job.id(), startedBy,
                    opId == null ? null : VdkMapping.shorten(opId), write(deployment))))
                    .map(result -> result.runId());
        });
    }

    /** The job's executions, newest first, filtered by VDK statuses. */
    public Uni<List<DataJobExecution>> executions(JobRow job, List<String> statuses, String jobsBase) {
        List<String> wanted = statuses.stream().flatMap(s -> List.of(s.split(",")).stream()).map(String::trim)
                .filter(s -> !s.isEmpty()).map(String::toLowerCase).toList();
        List<String> states = VdkMapping.runStates(statuses);
        if (!wanted.isEmpty() && states.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return store.executions(List.of(job.id()), states, MAX_EXECUTIONS).map(rows -> {
            List<DataJobExecution> out = new ArrayList<>();
            for (ExecutionRow row : rows) {
                DataJobExecution e = execution(job, row, jobsBase);
                if (wanted.isEmpty() || wanted.contains(e.status()) || failedWord(wanted, e.status())) {
                    out.add(e);
                }
            }
            return out;
        });
    }

    private static boolean failedWord(List<String> wanted, String status) {
        return wanted.contains("failed") && (status.equals("user_error") || status.equals("platform_error"))
                || wanted.contains("finished") && status.equals("succeeded");
    }

    /** One execution of the job, else 404. */
    public Uni<DataJobExecution> execution(JobRow job, String executionId, String jobsBase) {
        return execution(job, executionId).map(row -> execution(job, row, jobsBase));
    }

    /** Cancels the execution if it has not ended. */
    public Uni<Void> cancel(Caller caller, String name, String executionId) {
        return job(caller, name).chain(job -> execution(job, executionId))
                .chain(row -> runs.cancel(caller, row.id())).replaceWithVoid();
    }

    /** The execution's log, as text, its last {@code tailLines} lines when that is above 0. */
    public Uni<String> logs(Caller caller, String name, String executionId, int tailLines) {
        return job(caller, name).chain(job -> execution(job, executionId))
                .chain(row -> queries.logs(caller, row.id(), null, 0, -1, MAX_LOG_LINES))
                .map(page -> {
                    List<RunStatusView.LogLine> lines = page.lines();
                    int from = tailLines > 0 ? Math.max(0, lines.size() - tailLines) : 0;
                    StringBuilder text = new StringBuilder();
                    for (RunStatusView.LogLine line : lines.subList(from, lines.size())) {
                        text.append(line.at()).append(' ').append(line.level()).append(' ')
                                .append(line.taskId() == null ? "" : "[" + line.taskId() + "] ").append(line.message()).append('\n');
                    }
                    return text.toString();
                });
    }

    // --- properties and secrets -----------------------------------------------------------------

    /** The job's properties (a STEPS job's environment properties, strings). */
    public Uni<Map<String, Object>> properties(Caller caller, String name) {
        return job(caller, name).chain(job -> environment.properties(caller, job.id())).map(LinkedHashMap::new);
    }

    /** Replaces the job's properties as a whole; values that are not strings are kept as their JSON text. */
    public Uni<Void> replaceProperties(Caller caller, String name, Map<String, Object> given) {
        Map<String, String> strings = strings(given);
        return job(caller, name).chain(job -> environment.replaceProperties(caller, job.id(), strings)).replaceWithVoid();
    }

    /** The job's secrets with their values (editors and admins; audited). */
    public Uni<Map<String, Object>> secrets(Caller caller, String name) {
        return job(caller, name).chain(job -> environment.revealSecrets(caller, job.id())).map(LinkedHashMap::new);
    }

    /** Replaces the job's secrets as a whole. */
    public Uni<Void> replaceSecrets(Caller caller, String name, Map<String, Object> given) {
        Map<String, String> strings = strings(given);
        return job(caller, name).chain(job -> environment.replaceSecrets(caller, job.id(), strings)).replaceWithVoid();
    }

    // --- jobs_query -----------------------------------------------------------------------------

    /** The team's data jobs as the GraphQL engine reads them; executions only when the query asks for them. */
    public Uni<List<VdkJobView>> views(Caller caller, int maxJobs, boolean withExecutions, String jobsBase) {
        return store.jobs(caller.workspace(), maxJobs).chain(rows -> {
            Uni<Map<UUID, List<ExecutionRow>>> executions = withExecutions && !rows.isEmpty()
                    ? store.recentExecutions(rows.stream().map(JobRow::id).toList(), MAX_EXECUTIONS_IN_QUERY)
                    : Uni.createFrom().item(Map.of());
            return executions.map(byJob -> rows.stream().map(row -> view(row, byJob.getOrDefault(row.id(), List.of()), jobsBase))
                    .toList());
        });
    }

    private VdkJobView view(JobRow row, List<ExecutionRow> executions, String jobsBase) {
        DataJobConfig config = config(row);
        VdkJobView.Config viewConfig = new VdkJobView.Config(config.dbDefaultType(), VdkMapping.contacts(config.contacts()),
                cron(config), config.generateKeytab(), config.enableExecutionNotifications(),
                config.notificationDelayPeriodMinutes());
        VdkJobView.Deployment deployment = null;
        DeploymentRow d = row.deployment();
        if (d != null) {
            List<VdkJobView.Execution> views = executions.stream().map(e -> executionView(row, e, jobsBase)).toList();
            VdkJobView.Execution last = views.isEmpty() ? null : views.get(0);
            Long next = d.enabled() && d.scheduleCron() != null
                    ? CronExpressions.ticks(d.scheduleCron(), "UTC").after(Instant.now()).getEpochSecond() : null;
            DataJobResources r = resources(d);
            deployment = new VdkJobView.Deployment(d.id(), d.enabled(), d.jobVersion(), d.vdkVersion(), d.pythonVersion(),
                    d.mode(), d.scheduleCron(), viewResources(r), d.deployedAt(), d.deployedBy(), next,
                    last == null ? null : last.status(), last == null ? null : last.startTime(),
                    last == null || last.startTime() == null || last.endTime() == null ? null
                            : (int) (last.endTime().getEpochSecond() - last.startTime().getEpochSecond()),
                    (int) row.succeeded(), (int) row.failed(), views);
        }
        return new VdkJobView(row.name(), row.team(), row.description() == null ? "" : row.description(), viewConfig, deployment);
    }

    private VdkJobView.Execution executionView(JobRow job, ExecutionRow row, String jobsBase) {
        DataJobExecution e = execution(job, row, jobsBase);
        DataJobDeployment d = e.deployment();
        return new VdkJobView.Execution(e.id(), e.jobName(), e.status(), e.type(), e.startTime(), e.endTime(), e.startedBy(),
                e.message(), e.opId(), e.logsUrl(), d == null ? null : d.jobVersion(), d == null ? null : d.vdkVersion(),
                d == null ? null : d.pythonVersion(), d == null || d.schedule() == null ? null : d.schedule().scheduleCron(),
                d == null ? null : viewResources(d.resources()), d == null ? null : d.deployedDate(), d == null ? null : d.deployedBy());
    }

    // --- helpers --------------------------------------------------------------------------------

    private Uni<ExecutionRow> execution(JobRow job, String executionId) {
        UUID runId;
        try {
            runId = UUID.fromString(executionId);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(executionNotFound(job.name(), executionId));
        }
        return store.execution(job.id(), runId).onItem().ifNull().failWith(() -> executionNotFound(job.name(), executionId));
    }

    private DataJobExecution execution(JobRow job, ExecutionRow row, String jobsBase) {
        DataJobDeployment deployment = row.deployment() != null ? read(row.deployment(), DataJobDeployment.class)
                : job.deployment() != null ? snapshot(job.deployment()) : null;
        String status = VdkMapping.executionStatus(row.state(), row.errorCode());
        String message = row.errorMessage() != null ? row.errorMessage()
                : row.errorCode() != null ? row.errorCode() : null;
        String startedBy = row.startedBy() != null ? row.startedBy()
                : "schedule".equals(row.trigger()) ? "scheduled/runtime" : "manual/" + row.requestedBy();
        String id = row.id().toString();
        return new DataJobExecution(id, job.name(), status, VdkMapping.executionType(row.trigger()),
                row.startedAt() != null ? row.startedAt() : row.requestedAt(), row.finishedAt(), startedBy,
                jobsBase + "/" + job.name() + "/executions/" + id + "/logs", message, row.opId() != null ? row.opId() : id, deployment);
    }

    private DataJobDeployment snapshot(DeploymentRow d) {
        return new DataJobDeployment(d.vdkVersion(), d.jobVersion(), d.pythonVersion(), d.mode(), d.id(), d.enabled(),
                d.deployedBy(), d.deployedAt(), d.scheduleCron() == null ? null : new DataJobSchedule(d.scheduleCron()),
                resources(d));
    }

    private DataJobResources resources(DeploymentRow d) {
        return d.resources() == null ? null : read(d.resources(), DataJobResources.class);
    }

    private static VdkJobView.Resources viewResources(DataJobResources r) {
        return r == null ? null : new VdkJobView.Resources(r.cpuRequest(), r.cpuLimit(), r.memoryRequest(), r.memoryLimit());
    }

    private Uni<Void> pin(Caller caller, UUID jobId, Integer version) {
        return JobEntity.lockInWorkspace(caller.workspace(), jobId).invoke(job -> job.pinnedSourceVersion = version)
                .replaceWithVoid();
    }

    DataJobConfig config(JobRow job) {
        return job.config() == null ? new DataJobConfig(null, null, null, null, null, null) : read(job.config(), DataJobConfig.class);
    }

    private static DeploymentRow requireDeployment(JobRow job) {
        if (job.deployment() == null) {
            throw deploymentNotFound(job.name());
        }
        return job.deployment();
    }

    private static DeploymentRow requireDeploymentToRun(JobRow job) {
        if (job.deployment() == null) {
            throw ApiException.badRequest("DATA_JOB_NOT_DEPLOYED", "Data job '" + job.name() + "' is not deployed",
                    "Deploy it first: POST …/jobs/" + job.name() + "/deployments with the job_version an upload answered.");
        }
        return job.deployment();
    }

    private static void requireTeam(Caller caller, String team) {
        if (team != null && !team.equals(caller.workspace())) {
            throw ApiException.badRequest("TEAM_MISMATCH", "team '" + VdkMapping.shorten(team) + "' is not the team of the path '"
                    + caller.workspace() + "'", "Leave team out, or change teams with PUT …/jobs/{job_name}/team/{new_team}.");
        }
    }

    private static DataJobConfig requireConfig(DataJobConfig config) {
        if (config == null) {
            throw ApiException.badRequest("VALIDATION_FAILED", "config is required", "Send the job's config, {} at the least.");
        }
        VdkMapping.bounded("db_default_type", config.dbDefaultType());
        VdkMapping.checkContacts(config.contacts());
        return config;
    }

    private static String description(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ApiException.badRequest("VALIDATION_FAILED", "description is longer than " + MAX_DESCRIPTION + " characters",
                    "Send a shorter description.");
        }
        return description == null ? "" : description;
    }

    private static String cron(DataJobConfig config) {
        return config.schedule() == null ? null : blankToNull(config.schedule().scheduleCron());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static JobUpdate change(String description, Schedule schedule) {
        return new JobUpdate(null, description, null, null, null, null, null, null, schedule, null, null, null, null, null, null);
    }

    private static Map<String, String> strings(Map<String, Object> given, ObjectMapper json) {
        Map<String, String> out = new HashMap<>();
        given.forEach((k, v) -> {
            try {
                out.put(k, v == null ? "" : v instanceof String s ? s : json.writeValueAsString(v));
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("INVALID_FIELD_TYPE", "'" + VdkMapping.shorten(k) + "' has a value that is not JSON",
                        "Send plain JSON values.");
            }
        });
        return out;
    }

    private Map<String, String> strings(Map<String, Object> given) {
        return strings(given, json);
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored VDK value does not read as " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    static ApiException notFound(String team, String name) {
        return new ApiException(Status.NOT_FOUND, "DATA_JOB_NOT_FOUND", "Team '" + team + "' has no data job '"
                + VdkMapping.shorten(name) + "'", "Check the name; GET /data-jobs/for-team/" + team + "/jobs lists the team's jobs.");
    }

    private static ApiException deploymentNotFound(String name) {
        return new ApiException(Status.NOT_FOUND, "DEPLOYMENT_NOT_FOUND", "Data job '" + name + "' has no deployment",
                "Deploy it with POST …/jobs/" + name + "/deployments.");
    }

    private static ApiException executionNotFound(String name, String id) {
        return new ApiException(Status.NOT_FOUND, "EXECUTION_NOT_FOUND", "Data job '" + name + "' has no execution '"
                + VdkMapping.shorten(id) + "'", "List its executions with GET …/jobs/" + name + "/executions.");
    }
}
