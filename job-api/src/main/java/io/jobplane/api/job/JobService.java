package io.jobplane.api.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.run.RunActivity;
import io.jobplane.api.security.Caller;
import io.jobplane.api.workspace.Versions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creates, reads, changes and deletes job definitions with their ordered tasks. */
@ApplicationScoped
public class JobService {

    private final Audit audit;
    private final RunActivity activity;

    public JobService(Audit audit, RunActivity activity) {
        this.audit = audit;
        this.activity = activity;
    }

    @WithTransaction
    public Uni<JobView> create(Caller caller, JobRequest request) {
        return requireExecutable(request.type())
                .chain(() -> requireConnection(caller.workspace(), request.destinationConnectionId()))
                .chain(() -> ensureNameFree(caller.workspace(), request.name(), null))
                .chain(() -> persist(caller, request))
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
                .call(job -> change.onlyStatus() ? Uni.createFrom().voidItem() : requireIdle(job))
                .call(job -> change.destinationConnectionId() == null ? Uni.createFrom().voidItem()
                        : requireConnection(caller.workspace(), change.destinationConnectionId()))
                .call(job -> change.name() == null ? Uni.createFrom().voidItem()
                        : ensureNameFree(caller.workspace(), change.name(), job.id))
                .call(job -> audit.record(caller, "job.updated", "job", job.id, apply(job, change)))
                .call(job -> Panache.getSession().chain(s -> s.flush()))
                .chain(job -> TaskEntity.ofJob(job.id).map(tasks -> JobView.of(job, tasks)));
    }

    @WithTransaction
    public Uni<Void> delete(Caller caller, UUID jobId, String ifMatch) {
        return lock(caller, jobId)
                .invoke(job -> Versions.requireMatch(ifMatch, job))
                .call(this::requireIdle)
                .call(job -> audit.record(caller, "job.deleted", "job", job.id, Map.of("name", job.name)))
                .call(job -> job.delete())
                .replaceWithVoid();
    }

    /** The job, locked for this transaction so task edits and job edits of one job run one at a time. */
    Uni<JobEntity> lock(Caller caller, UUID jobId) {
        return JobEntity.<JobEntity>find("workspace = ?1 and id = ?2", caller.workspace(), jobId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId));
    }

    Uni<JobEntity> find(Caller caller, UUID jobId) {
        return JobEntity.findInWorkspace(caller.workspace(), jobId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId));
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

    /** Applies the change and returns what changed, for the audit trail. */
    private static Map<String, Object> apply(JobEntity job, JobUpdate change) {
        Map<String, Object> changed = new LinkedHashMap<>();
        if (change.name() != null && !change.name().equals(job.name)) {
            changed.put("name", change.name());
            job.name = change.name();
        }
        if (change.destinationConnectionId() != null && !change.destinationConnectionId().equals(job.destinationConnectionId)) {
            changed.put("destination_connection_id", change.destinationConnectionId());
            job.destinationConnectionId = change.destinationConnectionId();
        }
        if (change.continueOnError() != null && change.continueOnError() != job.continueOnError) {
            changed.put("continue_on_error", change.continueOnError());
            job.continueOnError = change.continueOnError();
        }
        if (change.status() != null && change.status() != job.status) {
            changed.put("status", change.status());
            job.status = change.status();
        }
        if (change.description() != null && !change.description().equals(job.description)) {
            changed.put("description", change.description());
            job.description = change.description();
        }
        if (change.labels() != null && !change.labels().equals(List.of(job.labels))) {
            changed.put("labels", change.labels());
            job.labels = change.labels().toArray(new String[0]);
        }
        if (!changed.isEmpty()) {
            job.updatedAt = Instant.now();
        }
        return changed;
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

    private Uni<JobView> persist(Caller caller, JobRequest request) {
        JobEntity job = new JobEntity();
        job.createdBy(caller.workspace(), caller.subject());
        job.name = request.name();
        job.type = request.type();
        job.destinationConnectionId = request.destinationConnectionId();
        job.continueOnError = Boolean.TRUE.equals(request.continueOnError());
        job.status = request.status() == null ? JobStatus.ACTIVE : request.status();
        job.description = request.description();
        job.labels = request.labels() == null ? new String[0] : request.labels().toArray(new String[0]);
        return job.<JobEntity>persist()
                .chain(saved -> {
                    List<TaskEntity> tasks = new ArrayList<>();
                    for (int i = 0; i < request.tasks().size(); i++) {
                        TaskEntity task = new TaskEntity();
                        task.jobId = saved.id;
                        task.index = i;
                        task.query = request.tasks().get(i).query();
                        task.active = !Boolean.FALSE.equals(request.tasks().get(i).isActive());
                        tasks.add(task);
                    }
                    return Panache.getSession().chain(s -> s.persistAll(tasks.toArray()))
                            .map(ignored -> JobView.of(saved, tasks));
                });
    }

    private static Uni<Void> requireExecutable(JobType type) {
        if (!JobType.EXECUTABLE.contains(type)) {
            return Uni.createFrom().failure(ApiException.badRequest("JOB_TYPE_NOT_SUPPORTED",
                    "Jobs of type " + type + " cannot be run by this version of jobplane yet",
                    "Use one of " + JobType.EXECUTABLE + "."));
        }
        return Uni.createFrom().voidItem();
    }

    private static Uni<Void> requireConnection(String workspace, UUID connectionId) {
        return ConnectionEntity.findInWorkspace(workspace, connectionId)
                .onItem().ifNull().failWith(() -> new ApiException(Status.BAD_REQUEST, "UNKNOWN_CONNECTION",
                        "destination_connection_id '" + connectionId + "' is not a connection of this workspace",
                        "Create the connection first, or use the id of an existing one (GET .../connections)."))
                .replaceWithVoid();
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
