package io.jobplane.api.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.quota.QuotaRules;
import io.jobplane.api.quota.Quotas;
import io.jobplane.api.run.RunActivity;
import io.jobplane.api.run.RunQueryService;
import io.jobplane.api.run.RunStatusView;
import io.jobplane.api.security.Caller;
import io.jobplane.events.sql.SqlTemplate;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The ordered tasks of a job. Every change locks the job row first, so concurrent edits of one
 * job apply one after the other and indices stay dense, 0..n-1. A change also moves the job's
 * version, so a job read before a task edit fails its If-Match afterwards.
 */
@ApplicationScoped
public class TaskService {

    private final JobService jobs;
    private final RunActivity activity;
    private final RunQueryService runs;
    private final Audit audit;
    private final Quotas quotas;

    public TaskService(JobService jobs, RunActivity activity, RunQueryService runs, Audit audit, Quotas quotas) {
        this.jobs = jobs;
        this.activity = activity;
        this.runs = runs;
        this.audit = audit;
        this.quotas = quotas;
    }

    @WithSession
    public Uni<List<JobView.TaskView>> list(Caller caller, UUID jobId) {
        return jobs.find(caller, jobId).chain(job -> TaskEntity.ofJob(job.id))
                .map(tasks -> tasks.stream().map(JobView.TaskView::of).toList());
    }

    @WithSession
    public Uni<JobView.TaskView> get(Caller caller, UUID jobId, UUID taskId) {
        return jobs.find(caller, jobId).chain(job -> task(job, taskId)).map(JobView.TaskView::of);
    }

    /** The last run of every task of the job; the tasks are read in their own session, the runs from the read model after it. */
    public Uni<List<RunStatusView.TaskHistoryEntry>> lastRuns(Caller caller, UUID jobId) {
        return list(caller, jobId).chain(tasks -> runs.lastRunOfTasks(caller, jobId, tasks.stream().map(JobView.TaskView::taskId).toList()));
    }

    /** One task's runs, newest first; 404 when the job has no such task. */
    public Uni<RunStatusView.TaskHistoryPage> history(Caller caller, UUID jobId, UUID taskId, int limit, String cursor) {
        return get(caller, jobId, taskId).chain(task -> runs.taskHistory(caller, jobId, taskId, limit, cursor));
    }

    @WithTransaction
    public Uni<JobView.TaskView> add(Caller caller, UUID jobId, TaskChange.Add add) {
        return editable(caller, jobId).invoke(TaskService::requireTasksApply)
                .call(job -> dialect(job).invoke(d -> TaskSyntax.check(job.type, add.query(), d)))
                .chain(job -> TaskEntity.ofJob(job.id).call(tasks -> quotas.of(caller.workspace())
                        .invoke(q -> QuotaRules.requireTasks(tasks.size() + 1, q))).chain(tasks -> {
            int at = add.index() == null ? tasks.size() : add.index();
            requireIndex(at, tasks.size() + 1);
            TaskEntity task = new TaskEntity();
            task.jobId = job.id;
            task.query = add.query();
            task.active = !Boolean.FALSE.equals(add.isActive());
            task.index = tasks.size();
            List<TaskEntity> ordered = new ArrayList<>(tasks);
            ordered.add(at, task);
            return task.persist()
                    .invoke(() -> renumber(ordered))
                    .call(() -> touched(caller, job, "task.added", task, Map.of("index", at)))
                    .map(ignored -> JobView.TaskView.of(task));
        }));
    }

    @WithTransaction
    public Uni<JobView.TaskView> update(Caller caller, UUID jobId, UUID taskId, TaskChange.Update change) {
        return editable(caller, jobId).chain(job -> dialect(job).chain(dialect -> TaskEntity.ofJob(job.id).chain(tasks -> {
            TaskEntity task = find(tasks, taskId);
            Map<String, Object> changed = new LinkedHashMap<>();
            if (change.query() != null && !change.query().equals(task.query)) {
                TaskSyntax.check(job.type, change.query(), dialect);
                task.query = change.query();
                changed.put("query", "(changed)");
            }
            if (change.isActive() != null && change.isActive() != task.active) {
                task.active = change.isActive();
                changed.put("is_active", task.active);
            }
            if (change.index() != null && change.index() != task.index) {
                requireIndex(change.index(), tasks.size());
                move(tasks, task, change.index());
                changed.put("index", change.index());
            }
            return touched(caller, job, "task.updated", task, changed).map(ignored -> JobView.TaskView.of(task));
        })));
    }

    /** The dialect of the job's destination, in which its SQL tasks are read. */
    private static Uni<SqlTemplate.Dialect> dialect(JobEntity job) {
        if (job.destinationConnectionId == null) {
            return Uni.createFrom().item(SqlTemplate.Dialect.POSTGRESQL);
        }
        return ConnectionEntity.findInWorkspace(job.workspace, job.destinationConnectionId)
                .map(ConnectionEntity::dialectOf);
    }

    @WithTransaction
    public Uni<List<JobView.TaskView>> move(Caller caller, UUID jobId, UUID taskId, TaskChange.Move move) {
        return editable(caller, jobId).chain(job -> TaskEntity.ofJob(job.id).chain(tasks -> {
            TaskEntity task = find(tasks, taskId);
            if (task.index != move.fromIndex()) {
                throw ApiException.conflict("TASK_MOVED",
                        "The task is at index " + task.index + ", not " + move.fromIndex() + ": the order changed meanwhile",
                        "List the tasks again and send the move with the task's current index as from_index.");
            }
            requireIndex(move.toIndex(), tasks.size());
            List<TaskEntity> ordered = move(tasks, task, move.toIndex());
            return touched(caller, job, "task.moved", task, Map.of("from_index", move.fromIndex(), "to_index", move.toIndex()))
                    .map(ignored -> ordered.stream().map(JobView.TaskView::of).toList());
        }));
    }

    @WithTransaction
    public Uni<Void> delete(Caller caller, UUID jobId, UUID taskId) {
        return editable(caller, jobId).chain(job -> TaskEntity.ofJob(job.id).chain(tasks -> {
            TaskEntity task = find(tasks, taskId);
            return activity.taskIsRunning(task.id)
                    .invoke(running -> {
                        if (running) {
                            throw ApiException.conflict("TASK_RUNNING", "Task " + task.index + " is running now",
                                    "Wait until the run ends (or cancel it), then delete the task.");
                        }
                    })
                    .call(() -> task.delete())
                    .invoke(() -> {
                        List<TaskEntity> rest = new ArrayList<>(tasks);
                        rest.remove(task);
                        renumber(rest);
                    })
                    .call(() -> touched(caller, job, "task.deleted", task, Map.of("index", task.index)))
                    .replaceWithVoid();
        }));
    }

    private static void requireTasksApply(JobEntity job) {
        if (!job.type.takesTasks()) {
            throw ApiException.conflict("TASKS_NOT_APPLICABLE", job.type + " jobs have no tasks",
                    "Tasks belong to jobs of the types that run statements (e.g. TABLE_TO_TABLE, STANDARD).");
        }
    }

    private Uni<JobEntity> editable(Caller caller, UUID jobId) {
        return jobs.lock(caller, jobId).invoke(JobService::requireNotArchived);
    }

    /** Records the change and moves the job's version. */
    private Uni<Void> touched(Caller caller, JobEntity job, String action, TaskEntity task, Map<String, ?> details) {
        if (details.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        job.updatedAt = Instant.now();
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("job_id", job.id);
        return audit.record(caller, action, "task", task.id, all).call(() -> Panache.getSession().chain(s -> s.flush()));
    }

    private static List<TaskEntity> move(List<TaskEntity> tasks, TaskEntity task, int to) {
        List<TaskEntity> ordered = new ArrayList<>(tasks);
        ordered.remove(task);
        ordered.add(to, task);
        renumber(ordered);
        return ordered;
    }

    private static void renumber(List<TaskEntity> ordered) {
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).index = i;
        }
    }

    private static void requireIndex(int index, int size) {
        if (index < 0 || index >= size) {
            throw ApiException.badRequest("INDEX_OUT_OF_RANGE", "Index " + index + " is outside 0.." + (size - 1),
                    "Use an index between 0 and " + (size - 1) + ".");
        }
    }

    private static Uni<TaskEntity> task(JobEntity job, UUID taskId) {
        return TaskEntity.<TaskEntity>find("jobId = ?1 and id = ?2", job.id, taskId).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("task", taskId));
    }

    private static TaskEntity find(List<TaskEntity> tasks, UUID taskId) {
        return tasks.stream().filter(t -> t.id.equals(taskId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("task", taskId));
    }
}
