package io.jobplane.api.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.lakeformation.JobParameter;
import io.jobplane.api.job.lakeformation.LakeFormationRules;
import io.jobplane.api.job.settings.JobSettings;
import io.jobplane.api.job.settings.Schedule;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.pool.Pools;
import io.jobplane.api.quota.QuotaRules;
import io.jobplane.api.quota.Quotas;
import io.jobplane.api.run.RunActivity;
import io.jobplane.api.schedule.Schedules;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.api.security.Caller;
import io.jobplane.api.workflow.WorkflowStore;
import io.jobplane.api.workspace.Versions;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creates, reads, changes and deletes job definitions with their ordered tasks. */
@ApplicationScoped
public class JobService {

    private final Audit audit;
    private final RunActivity activity;

    private final SecretKeyring keyring;
    private final Schedules schedules;
    private final WorkflowStore workflows;
    private final Quotas quotas;
    private final Pools pools;

    public JobService(Audit audit, RunActivity activity, SecretKeyring keyring, Schedules schedules, WorkflowStore workflows,
            Quotas quotas, Pools pools) {
        this.pools = pools;
        this.audit = audit;
        this.activity = activity;
        this.keyring = keyring;
        this.schedules = schedules;
        this.workflows = workflows;
        this.quotas = quotas;
    }

    @WithTransaction
    public Uni<JobView> create(Caller caller, JobRequest request) {
        List<JobRequest.TaskRequest> tasks = request.taskList();
        check(request.type(), request.name(), request.settings(), request.parameter());
        if (request.tailer() != null) {
            request.tailer().check(request.type());
        }
        if (!tasks.isEmpty() && !request.type().takesTasks()) {
            return Uni.createFrom().failure(ApiException.badRequest("SETTING_NOT_APPLICABLE",
                    request.type() + " jobs have no tasks", "Leave out tasks and queries."));
        }
        // Tasks are read in the syntax of the job's type, once its connections are known to fit the type.
        return quotas.of(caller.workspace()).invoke(q -> {
                    QuotaRules.requireTasks(tasks.size(), q);
                    Instant now = Instant.now();
                    schedulesOf(request.settings()).forEach(s -> QuotaRules.requireScheduleInterval(s, q, now));
                })
                .chain(() -> requireConnection(caller.workspace(), "source_connection_id", request.sourceConnectionId(),
                        request.type().source()))
                .chain(() -> requireConnection(caller.workspace(), "destination_connection_id",
                        request.destinationConnectionId(), request.type().destination()))
                .invoke(destination -> tasks.forEach(t -> TaskSyntax.check(request.type(), t.query(),
                        ConnectionEntity.dialectOf(destination))))
                .chain(() -> ensureNameFree(caller.workspace(), request.name(), null))
                .chain(() -> ensureTailerFree(caller.workspace(), request.tailer(), null))
                .chain(() -> pools.requireFits(caller.workspace(), request.settings() == null ? null : request.settings().execution()))
                .chain(() -> persist(caller, request, tasks))
                .call(view -> audit.record(caller, "job.created", "job", view.jobId(),
                        Map.of("name", view.name(), "type", view.type(), "tasks", view.tasks().size())));
    }

    @WithSession
    public Uni<JobView.Page> list(Caller caller, JobQuery query) {
        StringBuilder hql = new StringBuilder();
        Map<String, Object> params = query.where(caller.workspace(), hql);
        return JobEntity.<JobEntity>find(hql.toString(), params).page(0, query.limit() + 1).list()
                .chain(found -> {
                    List<JobEntity> page = found.size() > query.limit() ? found.subList(0, query.limit()) : found;
                    String next = found.size() > query.limit() ? query.cursorAfter(page.get(page.size() - 1)) : null;
                    return withTasks(page).map(views -> new JobView.Page(views, next));
                });
    }

    @WithSession
    public Uni<JobView> get(Caller caller, UUID jobId) {
        return find(caller, jobId).chain(job -> TaskEntity.ofJob(job.id).map(tasks -> JobView.of(job, tasks)));
    }

    @WithTransaction
    public Uni<JobView> update(Caller caller, UUID jobId, JobUpdate change, String ifMatch) {
        return lock(caller, jobId)
                .invoke(job -> Versions.requireMatch(ifMatch, job))
                .invoke(job -> requireEditable(job, change))
                .invoke(job -> check(job.type, change.name() != null ? change.name() : job.name,
                        job.settings().with(change.settings()),
                        change.parameter() != null ? change.parameter() : job.parameter()))
                .call(job -> scheduleChanges(job, change).isEmpty() ? Uni.createFrom().voidItem()
                        : quotas.of(caller.workspace()).invoke(q -> {
                            Instant now = Instant.now();
                            scheduleChanges(job, change).forEach(s -> QuotaRules.requireScheduleInterval(s, q, now));
                        }))
                .call(job -> change.onlyScheduling() ? Uni.createFrom().voidItem() : requireIdle(job))
                .call(job -> change.sourceConnectionId() == null ? Uni.createFrom().voidItem()
                        : requireConnection(caller.workspace(), "source_connection_id", change.sourceConnectionId(),
                                job.type.source()))
                .call(job -> change.destinationConnectionId() == null ? Uni.createFrom().voidItem()
                        : requireConnection(caller.workspace(), "destination_connection_id",
                                change.destinationConnectionId(), job.type.destination()))
                .call(job -> change.name() == null ? Uni.createFrom().voidItem()
                        : ensureNameFree(caller.workspace(), change.name(), job.id))
                .invoke(job -> {
                    if (change.tailer() != null) {
                        change.tailer().check(job.type);
                    }
                })
                .call(job -> ensureTailerFree(caller.workspace(), change.tailer(), job.id))
                .call(job -> change.settings() == null || change.settings().execution() == null ? Uni.createFrom().voidItem()
                        : pools.requireFits(caller.workspace(), change.settings().execution()))
                .call(job -> audit.record(caller, "job.updated", "job", job.id, apply(job, change)))
                .call(schedules::sync)
                .chain(job -> TaskEntity.ofJob(job.id).map(tasks -> JobView.of(job, tasks)));
    }

    @WithTransaction
    public Uni<Void> delete(Caller caller, UUID jobId, String ifMatch) {
        return lock(caller, jobId)
                .invoke(job -> Versions.requireMatch(ifMatch, job))
                .call(this::requireIdle)
                .call(this::requireNotInWorkflow)
                .call(job -> audit.record(caller, "job.deleted", "job", job.id, Map.of("name", job.name)))
                .call(job -> job.delete())
                .replaceWithVoid();
    }

    /** The job, locked for this transaction so task edits and job edits of one job run one at a time. */
    Uni<JobEntity> lock(Caller caller, UUID jobId) {
        return JobEntity.lockInWorkspace(caller.workspace(), jobId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId));
    }

    Uni<JobEntity> find(Caller caller, UUID jobId) {
        return JobEntity.findInWorkspace(caller.workspace(), jobId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId));
    }

    /** A job a workflow triggers on or launches cannot go: the workflow would silently change meaning. */
    private Uni<Void> requireNotInWorkflow(JobEntity job) {
        return workflows.workflowsNaming(job.id)
                .invoke(names -> {
                    if (!names.isEmpty()) {
                        throw ApiException.conflict("JOB_IN_WORKFLOW", "Job '" + job.name + "' is part of workflow(s) "
                                + new java.util.TreeSet<>(names), "Take it out of those workflows (PUT .../workflows/{id}) first.");
                    }
                }).replaceWithVoid();
    }

    Uni<Void> requireIdle(JobEntity job) {
        return activity.jobIsRunning(job.id).invoke(running -> {
            if (running) {
                throw ApiException.conflict("JOB_RUNNING", "Job '" + job.name + "' has a run in progress",
                        "Wait until its runs end (or cancel them), then try again; its status may change meanwhile.");
            }
        }).replaceWithVoid();
    }

    static void requireNotArchived(JobEntity job) {
        if (job.status == JobStatus.ARCHIVED) {
            throw ApiException.conflict("JOB_ARCHIVED", "Job '" + job.name + "' is archived and read-only",
                    "Set its status to ACTIVE or DISABLED first.");
        }
    }

    private static void requireEditable(JobEntity job, JobUpdate change) {
        if (job.status == JobStatus.ARCHIVED && !change.onlyStatus()) {
            requireNotArchived(job);
        }
    }

    /** The job's schedules the change adds or changes (the single one and the named ones); empty if none. */
    private static List<Schedule> scheduleChanges(JobEntity job, JobUpdate change) {
        List<Schedule> before = schedulesOf(job.settings());
        return schedulesOf(job.settings().with(change.settings())).stream().filter(s -> !before.contains(s)).toList();
    }

    /** Every schedule the settings hold: the single one and the named ones. */
    private static List<Schedule> schedulesOf(JobSettings settings) {
        List<Schedule> all = new ArrayList<>();
        if (settings.schedule() != null) {
            all.add(settings.schedule());
        }
        if (settings.schedules() != null) {
            settings.schedules().forEach(e -> all.add(e.asSchedule()));
        }
        return all;
    }

    /** The rules a job definition must meet whatever the request: name, settings, parameter. */
    private static void check(JobType type, String name, JobSettings settings, JobParameter parameter) {
        if (JobType.LAKEFORMATION.contains(type)) {
            LakeFormationRules.checkName(name);
        }
        settings.check(type.name(), type.replicates(), type == JobType.CHANGE_DATA_CAPTURE);
        LakeFormationRules.check(type, parameter);
    }

    /** Applies the change and returns what changed, for the audit trail (secrets by name only). */
    private Map<String, Object> apply(JobEntity job, JobUpdate change) {
        Map<String, Object> changed = new LinkedHashMap<>();
        set(changed, "name", job.name, change.name(), v -> job.name = v);
        set(changed, "source_connection_id", job.sourceConnectionId, change.sourceConnectionId(),
                v -> job.sourceConnectionId = v);
        set(changed, "destination_connection_id", job.destinationConnectionId, change.destinationConnectionId(),
                v -> job.destinationConnectionId = v);
        set(changed, "pipeline_id", job.pipelineId, change.pipelineId(), v -> job.pipelineId = v);
        set(changed, "continue_on_error", job.continueOnError, change.continueOnError(), v -> job.continueOnError = v);
        set(changed, "status", job.status, change.status(), v -> job.status = v);
        set(changed, "description", job.description, change.description(), v -> job.description = v);
        if (change.labels() != null && !change.labels().equals(List.of(job.labels))) {
            changed.put("labels", change.labels());
            job.labels = change.labels().toArray(new String[0]);
        }
        JobSettings before = job.settings();
        JobSettings after = before.with(change.settings());
        if (!after.equals(before)) {
            job.settings = StoredJson.write(after);
            JobSettings shown = after.effective(job.type.replicates());
            putIfChanged(changed, "schedule", before.schedule(), after.schedule(), shown.schedule());
            putIfChanged(changed, "schedules", before.schedules(), after.schedules(), shown.schedules());
            putIfChanged(changed, "notifications", before.notifications(), after.notifications(), shown.notifications());
            putIfChanged(changed, "execution", before.execution(), after.execution(), shown.execution());
            putIfChanged(changed, "replication", before.replication(), after.replication(), shown.replication());
        }
        if (change.tailer() != null && !change.tailer().equals(job.tailer())) {
            changed.put("tailer", change.tailer());
            job.tailer(change.tailer());
        }
        if (change.parameter() != null) {
            changed.putAll(storeParameter(job, change.parameter()));
        }
        if (!changed.isEmpty()) {
            job.updatedAt = Instant.now();
        }
        return changed;
    }

    /** Stores the parameter without its secrets and seals the secrets apart; empty secrets keep the stored ones. */
    private Map<String, Object> storeParameter(JobEntity job, JobParameter parameter) {
        Map<String, Object> changed = new LinkedHashMap<>();
        JobParameter clear = LakeFormationRules.withoutSecrets(parameter);
        String json = parameter == null ? null : StoredJson.write(clear);
        if (!java.util.Objects.equals(json, job.parameter)) {
            job.parameter = json;
            changed.put("parameter", clear);
        }
        SealedFields sealed = job.sealed();
        List<String> secretsChanged = sealed.merge(LakeFormationRules.secrets(parameter), List.of(), keyring,
                SecretOwner.jobParameter(job.workspace, job.id));
        if (parameter != null) {
            LakeFormationRules.checkSecrets(job.type, parameter, sealed.names());
        }
        if (!secretsChanged.isEmpty() || sealed.resealed()) {
            job.secrets = sealed.json();
            secretsChanged.forEach(s -> changed.put(s, Audit.SECRET_CHANGED));
        }
        return changed;
    }

    private static <T> void set(Map<String, Object> changed, String field, T current, T next,
            java.util.function.Consumer<T> setter) {
        if (next != null && !next.equals(current)) {
            changed.put(field, next);
            setter.accept(next);
        }
    }

    private static void putIfChanged(Map<String, Object> changed, String group, Object before, Object after, Object shown) {
        if (!java.util.Objects.equals(before, after)) {
            changed.put(group, shown);
        }
    }

    private Uni<List<JobView>> withTasks(List<JobEntity> jobs) {
        if (jobs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return TaskEntity.<TaskEntity>find("jobId in ?1 order by index", jobs.stream().map(j -> j.id).toList()).list()
                .map(tasks -> jobs.stream()
                        .map(j -> JobView.of(j, tasks.stream().filter(t -> t.jobId.equals(j.id)).toList()))
                        .toList());
    }

    private Uni<JobView> persist(Caller caller, JobRequest request, List<JobRequest.TaskRequest> taskRequests) {
        JobEntity job = new JobEntity();
        job.createdBy(caller.workspace(), caller.subject());
        job.name = request.name();
        job.type = request.type();
        job.sourceConnectionId = request.sourceConnectionId();
        job.destinationConnectionId = request.destinationConnectionId();
        job.pipelineId = request.pipelineId();
        job.continueOnError = Boolean.TRUE.equals(request.continueOnError());
        job.status = request.status() == null ? JobStatus.ACTIVE : request.status();
        job.description = request.description();
        job.labels = request.labels() == null ? new String[0] : request.labels().toArray(new String[0]);
        job.settings = StoredJson.write(request.settings());
        if (request.tailer() != null) {
            job.tailer(request.tailer());
        }
        return job.<JobEntity>persist()
                // The parameter's secrets are sealed to the job's id, which persisting gave it.
                .invoke(saved -> storeParameter(saved, request.parameter()))
                .chain(saved -> {
                    List<TaskEntity> tasks = new ArrayList<>();
                    for (int i = 0; i < taskRequests.size(); i++) {
                        TaskEntity task = new TaskEntity();
                        task.jobId = saved.id;
                        task.index = i;
                        task.query = taskRequests.get(i).query();
                        task.active = !Boolean.FALSE.equals(taskRequests.get(i).isActive());
                        tasks.add(task);
                    }
                    return Panache.getSession().chain(s -> s.persistAll(tasks.toArray()))
                            .call(() -> schedules.sync(saved))
                            .map(ignored -> JobView.of(saved, tasks));
                });
    }

    /** The connection exists in the workspace and is of a kind this end of the job takes. */
    /** The connection the field names, checked to fit the job type; null when the field is empty and may be. */
    private static Uni<ConnectionEntity> requireConnection(String workspace, String field, UUID connectionId, JobType.Uses uses) {
        if (connectionId == null) {
            return uses.required() ? Uni.createFrom().failure(ApiException.badRequest("CONNECTION_REQUIRED",
                    field + " is required for this job type",
                    "Send the id of a connection of type " + uses.types() + " (GET .../connections)."))
                    : Uni.createFrom().nullItem();
        }
        if (!uses.allowed()) {
            return Uni.createFrom().failure(ApiException.badRequest("SETTING_NOT_APPLICABLE",
                    field + " does not apply to this job type", "Leave " + field + " out."));
        }
        return ConnectionEntity.findInWorkspace(workspace, connectionId)
                .onItem().ifNull().failWith(() -> new ApiException(Status.BAD_REQUEST, "UNKNOWN_CONNECTION",
                        field + " '" + connectionId + "' is not a connection of this workspace",
                        "Create the connection first, or use the id of an existing one (GET .../connections)."))
                .invoke(c -> {
                    if (!uses.types().contains(c.type())) {
                        throw ApiException.badRequest("CONNECTION_TYPE_MISMATCH",
                                field + " names a " + c.type + " connection, but this job type needs one of " + uses.types(),
                                "Use a connection of type " + uses.types() + ".");
                    }
                });
    }

    /** One job per Tailer configuration (account, environment, configuration id) in a workspace. */
    private static Uni<Void> ensureTailerFree(String workspace, TailerIdentity tailer, UUID self) {
        if (tailer == null) {
            return Uni.createFrom().voidItem();
        }
        String where = "workspace = ?1 and tailerAccount = ?2 and tailerEnvironment = ?3 and tailerConfigurationId = ?4";
        Uni<Long> count = self == null
                ? JobEntity.count(where, workspace, tailer.account(), tailer.environment(), tailer.configurationId())
                : JobEntity.count(where + " and id <> ?5", workspace, tailer.account(), tailer.environment(),
                        tailer.configurationId(), self);
        return count.invoke(n -> {
            if (n > 0) {
                throw ApiException.conflict("TAILER_IDENTITY_TAKEN", "Another job of this workspace is Tailer configuration '"
                        + tailer.configurationId() + "' of account " + tailer.account() + ", environment " + tailer.environment(),
                        "Give this job another configuration id, or change the other job's tailer identity first.");
            }
        }).replaceWithVoid();
    }

    private static Uni<Void> ensureNameFree(String workspace, String name, UUID self) {
        Uni<Long> count = self == null ? JobEntity.count("workspace = ?1 and name = ?2", workspace, name)
                : JobEntity.count("workspace = ?1 and name = ?2 and id <> ?3", workspace, name, self);
        return count.invoke(n -> {
            if (n > 0) {
                throw ApiException.conflict("JOB_NAME_TAKEN",
                        "A job named '" + name + "' already exists in this workspace",
                        "Choose another name, or update the existing job.");
            }
        }).replaceWithVoid();
    }
}
