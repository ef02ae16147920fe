package io.jobplane.api.workflow;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The SQL of workflow definitions and their state (api.workflow, workflow_edge,
 * workflow_trigger_state, workflow_fire) for the API. Every statement runs in the caller's
 * Hibernate session, so a change commits with its audit record. The firing side
 * ({@link WorkflowEngine}) keeps its statements on the reactive pool: it runs outside any request,
 * in transactions of its own, and launches runs between them.
 */
@ApplicationScoped
public class WorkflowStore {

    private static final String OTHER_EDGES = """
            select cast(t.job_id as text), cast(g.job_id as text)
              from api.workflow_edge t join api.workflow_edge g on g.workflow_id = t.workflow_id and g.role = 'TARGET'
              join api.workflow w on w.job_id = t.workflow_id
             where t.role = 'TRIGGER' and w.workspace = ?1 and w.job_id <> ?2""";
    private static final String UPSERT = """
            insert into api.workflow (job_id, workspace, defined_at) values (?1, ?2, now())
            on conflict (job_id) do update set defined_at = now()""";
    private static final String DELETE_EDGES = "delete from api.workflow_edge where workflow_id = ?1";
    private static final String FORGET_LEFT_OUT_TRIGGERS =
            "delete from api.workflow_trigger_state where workflow_id = ?1 and not (trigger_job_id = any(?2))";
    private static final String INSERT_EDGE = "insert into api.workflow_edge (workflow_id, job_id, role) values (?1, ?2, ?3)";
    private static final String FORGET_SUCCESSES = "delete from api.workflow_trigger_state where workflow_id = ?1";
    private static final String EDGES = """
            select e.role, cast(e.job_id as text), j.name, cast(t.run_id as text), t.succeeded_at
              from api.workflow_edge e join api.job j on j.id = e.job_id
              left join api.workflow_trigger_state t on t.workflow_id = e.workflow_id and t.trigger_job_id = e.job_id
             where e.workflow_id = ?1 order by e.role desc, j.name""";
    private static final String FIRE_COUNT = "select fire_count, last_fired_at from api.workflow where job_id = ?1";
    private static final String RECENT_FIRINGS = """
            select seq, fired_at, launched_at, outcome from api.workflow_fire where workflow_id = ?1
             order by seq desc limit 10""";
    private static final String WORKFLOWS_NAMING =
            "select cast(w.name as text) from api.workflow_edge e join api.job w on w.id = e.workflow_id where e.job_id = ?1";
    private static final String TRIGGER = "TRIGGER";
    private static final String TARGET = "TARGET";

    /** The trigger→target edges of the workspace's other workflows. */
    public Uni<List<WorkflowGraph.Edge>> edgesOfOthers(String workspace, UUID workflowId) {
        return select(OTHER_EDGES, workspace, workflowId)
                .map(rows -> rows.stream().map(r -> new WorkflowGraph.Edge(uuid(r[0]), uuid(r[1]))).toList());
    }

    /** Saves the definition in place of the workflow's old one; triggers left out stop counting as succeeded. */
    public Uni<Void> save(String workspace, UUID workflowId, WorkflowGraph.Members members) {
        Uni<Void> chain = execute(UPSERT, workflowId, workspace)
                .call(() -> execute(DELETE_EDGES, workflowId))
                .call(() -> execute(FORGET_LEFT_OUT_TRIGGERS, workflowId, members.triggers().toArray(new UUID[0])));
        for (UUID t : members.triggers()) {
            chain = chain.call(() -> execute(INSERT_EDGE, workflowId, t, TRIGGER));
        }
        for (UUID t : members.targets()) {
            chain = chain.call(() -> execute(INSERT_EDGE, workflowId, t, TARGET));
        }
        return chain;
    }

    /** Forgets which triggers have succeeded since the workflow last fired. */
    public Uni<Void> forgetSuccesses(UUID workflowId) {
        return execute(FORGET_SUCCESSES, workflowId);
    }

    /** The workflow's triggers (with their successes), targets, firing count and recent firings. */
    public Uni<WorkflowState> state(UUID workflowId, String name) {
        return select(EDGES, workflowId).chain(edges -> select(FIRE_COUNT, workflowId)
                .chain(count -> select(RECENT_FIRINGS, workflowId)
                        .map(firings -> state(workflowId, name, edges, count, firings))));
    }

    /** The names of the workflows that trigger on or launch the job. */
    public Uni<List<String>> workflowsNaming(UUID jobId) {
        return select(String.class, WORKFLOWS_NAMING, jobId);
    }

    private static WorkflowState state(UUID workflowId, String name, List<Object[]> edges, List<Object[]> count,
            List<Object[]> firings) {
        List<WorkflowState.TriggerState> triggers = new ArrayList<>();
        List<WorkflowState.Target> targets = new ArrayList<>();
        for (Object[] e : edges) {
            if (TRIGGER.equals(e[0])) {
                triggers.add(new WorkflowState.TriggerState(uuid(e[1]), (String) e[2], e[3] != null, uuid(e[3]), instant(e[4])));
            } else {
                targets.add(new WorkflowState.Target(uuid(e[1]), (String) e[2]));
            }
        }
        int fireCount = count.isEmpty() ? 0 : ((Number) count.get(0)[0]).intValue();
        Instant lastFiredAt = count.isEmpty() ? null : instant(count.get(0)[1]);
        List<WorkflowState.Firing> recent = firings.stream().map(f -> new WorkflowState.Firing(((Number) f[0]).intValue(),
                instant(f[1]), instant(f[2]), (String) f[3])).toList();
        return WorkflowState.of(workflowId, name, triggers, targets, fireCount, lastFiredAt, recent);
    }

    private static UUID uuid(Object text) {
        return text == null ? null : UUID.fromString((String) text);
    }

    /** Timestamps come back as whichever type the driver picks for the column. */
    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        return (Instant) value;
    }

    private static Uni<List<Object[]>> select(String sql, Object... parameters) {
        return select(Object[].class, sql, parameters);
    }

    private static <R> Uni<List<R>> select(Class<R> type, String sql, Object... parameters) {
        return Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(sql, type);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.getResultList();
        });
    }

    private static Uni<Void> execute(String sql, Object... parameters) {
        return Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }
}
