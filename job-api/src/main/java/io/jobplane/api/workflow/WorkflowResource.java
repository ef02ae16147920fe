package io.jobplane.api.workflow;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobType;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Tailer's workflows: a {@code WORKFLOW} job names trigger jobs and target jobs; its targets
 * launch when every trigger has succeeded since the workflow last fired. The definition is
 * checked whole when saved — jobs of the workspace, no job both trigger and target, and no cycle
 * through the workspace's workflows (workflows chain: a target may trigger another workflow).
 * {@code reset} forgets which triggers have succeeded.
 */
@Path("/api/v1/workspaces/{workspace}/workflows/{workflow_id}")
@Authenticated
@Tag(name = "Workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    private final WorkspaceGuard guard;
    private final Audit audit;

    public WorkflowResource(WorkspaceGuard guard, Audit audit) {
        this.guard = guard;
        this.audit = audit;
    }

    /** Which jobs trigger the workflow and which it launches. */
    public record Definition(
            @Schema(description = "Jobs whose success (all of them, since the last firing) fires the workflow")
            @NotNull @Size(min = 1, max = 100) List<@NotNull UUID> triggers,
            @Schema(description = "Jobs launched when the workflow fires")
            @NotNull @Size(min = 1, max = 100) List<@NotNull UUID> targets) {
    }

    /** A trigger job and whether it has succeeded since the workflow last fired. */
    public record TriggerState(UUID jobId, String jobName, boolean satisfied, UUID runId, Instant succeededAt) {
    }

    /** A job the workflow launches. */
    public record Target(UUID jobId, String jobName) {
    }

    /** One firing: when, and what launching the targets gave. */
    public record Firing(int seq, Instant firedAt, Instant launchedAt, String outcome) {
    }

    /** The workflow's definition and state. */
    public record WorkflowState(UUID workflowId, String name, List<TriggerState> triggers, List<Target> targets,
            boolean ready, int fireCount, Instant lastFiredAt, List<Firing> recentFirings) {
    }

    @PUT
    @WithTransaction
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Define (or redefine) the workflow's trigger and target jobs")
    public Uni<WorkflowState> define(@PathParam("workspace") String workspace, @PathParam("workflow_id") UUID workflowId,
            @Valid @NotNull Definition definition) {
        Caller caller = guard.require(workspace, Role.EDITOR);
        Set<UUID> triggers = new LinkedHashSet<>(definition.triggers());
        Set<UUID> targets = new LinkedHashSet<>(definition.targets());
        if (triggers.size() != definition.triggers().size() || targets.size() != definition.targets().size()) {
            throw invalid("a job is named twice in triggers or in targets", "Name each job once.");
        }
        Set<UUID> both = new HashSet<>(triggers);
        both.retainAll(targets);
        if (!both.isEmpty()) {
            throw ApiException.badRequest("WORKFLOW_CYCLE", "Job(s) " + both + " would trigger themselves",
                    "A job is either a trigger or a target of one workflow, not both.");
        }
        return workflowJob(caller, workflowId, true)
                .call(job -> requireMembers(caller, triggers, targets))
                .call(job -> requireNoCycle(caller, workflowId, triggers, targets))
                .call(job -> save(caller, workflowId, triggers, targets))
                .call(job -> audit.record(caller, "workflow.defined", "job", workflowId,
                        Map.of("triggers", List.copyOf(triggers), "targets", List.copyOf(targets))))
                .chain(job -> state(job));
    }

    @GET
    @WithSession
    @Operation(summary = "The workflow's triggers (which have succeeded since it last fired), targets and recent firings")
    public Uni<WorkflowState> get(@PathParam("workspace") String workspace, @PathParam("workflow_id") UUID workflowId) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        return workflowJob(caller, workflowId, false).chain(this::state);
    }

    @POST
    @Path("/reset")
    @WithTransaction
    @Operation(summary = "Forget which triggers have succeeded, so the workflow starts from scratch (Tailer's reset_workflow_status)")
    public Uni<WorkflowState> reset(@PathParam("workspace") String workspace, @PathParam("workflow_id") UUID workflowId) {
        Caller caller = guard.require(workspace, Role.OPERATOR);
        return workflowJob(caller, workflowId, true)
                .call(job -> native_("delete from api.workflow_trigger_state where workflow_id = ?1", workflowId))
                .call(job -> audit.record(caller, "workflow.reset", "job", workflowId, Map.of()))
                .chain(this::state);
    }

    private static Uni<JobEntity> workflowJob(Caller caller, UUID workflowId, boolean lock) {
        var query = JobEntity.<JobEntity>find("workspace = ?1 and id = ?2", caller.workspace(), workflowId);
        return (lock ? query.withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE) : query).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", workflowId))
                .invoke(job -> {
                    if (job.type != JobType.WORKFLOW) {
                        throw ApiException.conflict("NOT_A_WORKFLOW", "Job '" + job.name + "' is of type " + job.type,
                                "Create a job of type WORKFLOW and define its triggers and targets on it.");
                    }
                });
    }

    /** Every trigger and target is a job of the workspace that runs (not a workflow). */
    private static Uni<Void> requireMembers(Caller caller, Set<UUID> triggers, Set<UUID> targets) {
        Set<UUID> all = new LinkedHashSet<>(triggers);
        all.addAll(targets);
        return JobEntity.<JobEntity>list("workspace = ?1 and id in ?2", caller.workspace(), List.copyOf(all)).invoke(found -> {
            Set<UUID> missing = new LinkedHashSet<>(all);
            found.forEach(j -> missing.remove(j.id));
            if (!missing.isEmpty()) {
                throw ApiException.badRequest("UNKNOWN_JOB", "No job " + missing + " in this workspace",
                        "Use job ids from GET .../jobs.");
            }
            for (JobEntity j : found) {
                if (j.type == JobType.WORKFLOW) {
                    throw invalid("job '" + j.name + "' is a workflow; workflows chain through their target jobs",
                            "Name the jobs themselves: a target of one workflow may be a trigger of another.");
                }
            }
        }).replaceWithVoid();
    }

    /** The workspace's trigger→target edges, with this workflow's new ones, must not make a cycle. */
    private static Uni<Void> requireNoCycle(Caller caller, UUID workflowId, Set<UUID> triggers, Set<UUID> targets) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                select cast(t.job_id as text), cast(g.job_id as text)
                  from api.workflow_edge t join api.workflow_edge g on g.workflow_id = t.workflow_id and g.role = 'TARGET'
                  join api.workflow w on w.job_id = t.workflow_id
                 where t.role = 'TRIGGER' and w.workspace = ?1 and w.job_id <> ?2""", Object[].class)
                .setParameter(1, caller.workspace()).setParameter(2, workflowId).getResultList())
                .chain(rows -> {
                    Map<UUID, Set<UUID>> next = new HashMap<>();
                    for (Object[] r : rows) {
                        next.computeIfAbsent(UUID.fromString((String) r[0]), k -> new LinkedHashSet<>()).add(UUID.fromString((String) r[1]));
                    }
                    triggers.forEach(t -> next.computeIfAbsent(t, k -> new LinkedHashSet<>()).addAll(targets));
                    List<UUID> cycle = cycle(next, triggers);
                    if (cycle.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return JobEntity.<JobEntity>list("id in ?1", List.copyOf(new HashSet<>(cycle))).invoke(jobs -> {
                        Map<UUID, String> names = new HashMap<>();
                        jobs.forEach(j -> names.put(j.id, j.name));
                        throw ApiException.badRequest("WORKFLOW_CYCLE", "The workflows would make a cycle: "
                                + String.join(" → ", cycle.stream().map(id -> names.getOrDefault(id, id.toString())).toList()),
                                "Remove one of these jobs from a workflow's triggers or targets; runs would otherwise launch each other forever.");
                    }).replaceWithVoid();
                });
    }

    /**
     * A cycle in the graph as the path that closes it (first job repeated at the end), or empty.
     * The search starts from {@code first} (the triggers being saved), so the path reads from them.
     */
    static List<UUID> cycle(Map<UUID, Set<UUID>> next, Set<UUID> first) {
        Map<UUID, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        Set<UUID> starts = new LinkedHashSet<>(first);
        starts.addAll(next.keySet());
        for (UUID start : starts) {
            if (state.containsKey(start)) {
                continue;
            }
            Deque<UUID> path = new ArrayDeque<>();
            Deque<java.util.Iterator<UUID>> pending = new ArrayDeque<>();
            path.push(start);
            pending.push(next.getOrDefault(start, Set.of()).iterator());
            state.put(start, 1);
            while (!path.isEmpty()) {
                if (pending.peek().hasNext()) {
                    UUID n = pending.peek().next();
                    Integer s = state.get(n);
                    if (s == null) {
                        state.put(n, 1);
                        path.push(n);
                        pending.push(next.getOrDefault(n, Set.of()).iterator());
                    } else if (s == 1) {
                        List<UUID> cycle = new ArrayList<>();
                        for (var it = path.descendingIterator(); it.hasNext();) {
                            UUID p = it.next();
                            if (!cycle.isEmpty() || p.equals(n)) {
                                cycle.add(p);
                            }
                        }
                        cycle.add(n);
                        return cycle;
                    }
                } else {
                    state.put(path.pop(), 2);
                    pending.pop();
                }
            }
        }
        return List.of();
    }

    private static Uni<Void> save(Caller caller, UUID workflowId, Set<UUID> triggers, Set<UUID> targets) {
        Uni<Void> chain = native_("""
                insert into api.workflow (job_id, workspace, defined_at) values (?1, ?2, now())
                on conflict (job_id) do update set defined_at = now()""", workflowId, caller.workspace())
                .call(() -> native_("delete from api.workflow_edge where workflow_id = ?1", workflowId))
                // Triggers no longer in the definition stop counting.
                .call(() -> native_("delete from api.workflow_trigger_state where workflow_id = ?1 and not (trigger_job_id = any(?2))",
                        workflowId, triggers.toArray(new UUID[0])));
        for (UUID t : triggers) {
            chain = chain.call(() -> native_("insert into api.workflow_edge (workflow_id, job_id, role) values (?1, ?2, 'TRIGGER')",
                    workflowId, t));
        }
        for (UUID t : targets) {
            chain = chain.call(() -> native_("insert into api.workflow_edge (workflow_id, job_id, role) values (?1, ?2, 'TARGET')",
                    workflowId, t));
        }
        return chain;
    }

    private Uni<WorkflowState> state(JobEntity job) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                select e.role, cast(e.job_id as text), j.name, cast(t.run_id as text), t.succeeded_at
                  from api.workflow_edge e join api.job j on j.id = e.job_id
                  left join api.workflow_trigger_state t on t.workflow_id = e.workflow_id and t.trigger_job_id = e.job_id
                 where e.workflow_id = ?1 order by e.role desc, j.name""", Object[].class)
                .setParameter(1, job.id).getResultList()
                .chain(edges -> s.createNativeQuery("select fire_count, last_fired_at from api.workflow where job_id = ?1", Object[].class)
                        .setParameter(1, job.id).getResultList()
                        .chain(meta -> s.createNativeQuery("""
                                select seq, fired_at, launched_at, outcome from api.workflow_fire where workflow_id = ?1
                                 order by seq desc limit 10""", Object[].class).setParameter(1, job.id).getResultList()
                                .map(fires -> view(job, edges, meta, fires)))));
    }

    private static WorkflowState view(JobEntity job, List<Object[]> edges, List<Object[]> meta, List<Object[]> fires) {
        List<TriggerState> triggers = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        for (Object[] e : edges) {
            UUID id = UUID.fromString((String) e[1]);
            if ("TRIGGER".equals(e[0])) {
                triggers.add(new TriggerState(id, (String) e[2], e[3] != null, e[3] == null ? null : UUID.fromString((String) e[3]),
                        instant(e[4])));
            } else {
                targets.add(new Target(id, (String) e[2]));
            }
        }
        int count = meta.isEmpty() ? 0 : ((Number) meta.get(0)[0]).intValue();
        Instant last = meta.isEmpty() ? null : instant(meta.get(0)[1]);
        List<Firing> firings = fires.stream().map(f -> new Firing(((Number) f[0]).intValue(), instant(f[1]), instant(f[2]),
                (String) f[3])).toList();
        boolean ready = !triggers.isEmpty() && triggers.stream().allMatch(TriggerState::satisfied);
        return new WorkflowState(job.id, job.name, triggers, targets, ready, count, last, firings);
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return (Instant) value;
    }

    private static Uni<Void> native_(String sql, Object... parameters) {
        return Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    private static ApiException invalid(String problem, String fix) {
        return ApiException.badRequest("INVALID_WORKFLOW", problem, fix);
    }
}
