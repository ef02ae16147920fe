package io.jobplane.api.workflow;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobType;
import io.jobplane.api.security.Caller;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Defines, shows and resets workflows. A definition is checked whole (see {@link WorkflowGraph})
 * before anything is saved; the workflow's job row is locked while it changes, so two definitions of
 * one workflow apply one after the other.
 */
@ApplicationScoped
public class WorkflowService {

    private final WorkflowStore store;
    private final Audit audit;

    public WorkflowService(WorkflowStore store, Audit audit) {
        this.store = store;
        this.audit = audit;
    }

    /** Replaces the workflow's trigger and target jobs; answers its state. */
    @WithTransaction
    public Uni<WorkflowState> define(Caller caller, UUID workflowId, List<UUID> triggers, List<UUID> targets) {
        WorkflowGraph.Members members = WorkflowGraph.members(triggers, targets);
        return workflowJob(caller, workflowId, true)
                .call(job -> requireJobs(caller, members))
                .call(job -> requireNoCycle(caller, workflowId, members))
                .call(job -> store.save(caller.workspace(), workflowId, members))
                .call(job -> audit.record(caller, "workflow.defined", "job", workflowId,
                        Map.of("triggers", List.copyOf(members.triggers()), "targets", List.copyOf(members.targets()))))
                .chain(this::state);
    }

    /** The workflow's triggers, targets and recent firings. */
    @WithSession
    public Uni<WorkflowState> get(Caller caller, UUID workflowId) {
        return workflowJob(caller, workflowId, false).chain(this::state);
    }

    /** Forgets which triggers have succeeded, so the workflow starts from scratch. */
    @WithTransaction
    public Uni<WorkflowState> reset(Caller caller, UUID workflowId) {
        return workflowJob(caller, workflowId, true)
                .call(job -> store.forgetSuccesses(workflowId))
                .call(job -> audit.record(caller, "workflow.reset", "job", workflowId, Map.of()))
                .chain(this::state);
    }

    private static Uni<JobEntity> workflowJob(Caller caller, UUID workflowId, boolean lock) {
        return JobEntity.findInWorkspace(caller.workspace(), workflowId, lock)
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", workflowId))
                .invoke(WorkflowService::requireWorkflow);
    }

    private static void requireWorkflow(JobEntity job) {
        if (job.type != JobType.WORKFLOW) {
            throw ApiException.conflict("NOT_A_WORKFLOW", "Job '" + job.name + "' is of type " + job.type,
                    "Create a job of type WORKFLOW and define its triggers and targets on it.");
        }
    }

    private static Uni<Void> requireJobs(Caller caller, WorkflowGraph.Members members) {
        return JobEntity.listInWorkspace(caller.workspace(), members.all())
                .invoke(found -> WorkflowGraph.requireJobs(members, found)).replaceWithVoid();
    }

    /** The workspace's other workflows with this definition must not make a cycle; the refusal names the jobs. */
    private Uni<Void> requireNoCycle(Caller caller, UUID workflowId, WorkflowGraph.Members members) {
        return store.edgesOfOthers(caller.workspace(), workflowId)
                .map(saved -> WorkflowGraph.of(saved, members).cycle(members.triggers()))
                .chain(cycle -> cycle.isEmpty() ? Uni.createFrom().voidItem() : refuseCycle(caller, cycle));
    }

    private static Uni<Void> refuseCycle(Caller caller, List<UUID> cycle) {
        return JobEntity.listInWorkspace(caller.workspace(), Set.copyOf(cycle)).map(jobs -> {
            throw WorkflowGraph.cycleError(cycle, jobs.stream().collect(Collectors.toMap(j -> j.id, j -> j.name)));
        });
    }

    private Uni<WorkflowState> state(JobEntity job) {
        return store.state(job.id, job.name);
    }
}
