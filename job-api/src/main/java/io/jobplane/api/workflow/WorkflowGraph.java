package io.jobplane.api.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobType;

/**
 * The trigger→target graph of a workspace's workflows, and the checks a workflow definition must
 * pass: each job named once, none both trigger and target, every one a job of the workspace that
 * is not itself a workflow, and no cycle once the definition joins the saved ones — workflows chain
 * (a target of one may trigger another), so a cycle would have runs launch each other forever.
 */
public final class WorkflowGraph {

    private static final int ON_PATH = 1;
    private static final int DONE = 2;

    private final Map<UUID, Set<UUID>> next = new HashMap<>();

    private WorkflowGraph() {
    }

    /** A saved trigger→target edge: a workflow's trigger job leads to each of its target jobs. */
    public record Edge(UUID trigger, UUID target) {
    }

    /** A definition's jobs, each named once and none both a trigger and a target. */
    public record Members(Set<UUID> triggers, Set<UUID> targets) {

        /** Every job the definition names. */
        public Set<UUID> all() {
            Set<UUID> all = new LinkedHashSet<>(triggers);
            all.addAll(targets);
            return all;
        }
    }

    /** The definition's jobs, or INVALID_WORKFLOW for a job named twice, WORKFLOW_CYCLE for one that would trigger itself. */
    public static Members members(List<UUID> triggers, List<UUID> targets) {
        Set<UUID> triggerSet = new LinkedHashSet<>(triggers);
        Set<UUID> targetSet = new LinkedHashSet<>(targets);
        if (triggerSet.size() != triggers.size() || targetSet.size() != targets.size()) {
            throw invalid("a job is named twice in triggers or in targets", "Name each job once.");
        }
        Set<UUID> both = new HashSet<>(triggerSet);
        both.retainAll(targetSet);
        if (!both.isEmpty()) {
            throw ApiException.badRequest("WORKFLOW_CYCLE", "Job(s) " + both + " would trigger themselves",
                    "A job is either a trigger or a target of one workflow, not both.");
        }
        return new Members(triggerSet, targetSet);
    }

    /** Refuses a definition naming a job that {@code found} (the named jobs of the workspace) lacks, or a workflow. */
    public static void requireJobs(Members members, List<JobEntity> found) {
        Set<UUID> missing = members.all();
        found.forEach(j -> missing.remove(j.id));
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("UNKNOWN_JOB", "No job " + missing + " in this workspace", "Use job ids from GET .../jobs.");
        }
        for (JobEntity j : found) {
            if (j.type == JobType.WORKFLOW) {
                throw invalid("job '" + j.name + "' is a workflow; workflows chain through their target jobs",
                        "Name the jobs themselves: a target of one workflow may be a trigger of another.");
            }
        }
    }

    /** The graph of the saved edges with the definition's triggers leading to each of its targets. */
    public static WorkflowGraph of(List<Edge> saved, Members definition) {
        WorkflowGraph graph = new WorkflowGraph();
        saved.forEach(e -> graph.targetsOf(e.trigger()).add(e.target()));
        definition.triggers().forEach(t -> graph.targetsOf(t).addAll(definition.targets()));
        return graph;
    }

    private Set<UUID> targetsOf(UUID trigger) {
        return next.computeIfAbsent(trigger, k -> new LinkedHashSet<>());
    }

    /**
     * A cycle in the graph as the path that closes it (first job repeated at the end), or empty.
     * The search starts from {@code first} (the triggers being saved), so the path reads from them.
     */
    public List<UUID> cycle(Set<UUID> first) {
        Map<UUID, Integer> state = new HashMap<>();
        Set<UUID> starts = new LinkedHashSet<>(first);
        starts.addAll(next.keySet());
        for (UUID start : starts) {
            if (!state.containsKey(start)) {
                List<UUID> cycle = cycleFrom(start, state);
                if (!cycle.isEmpty()) {
                    return cycle;
                }
            }
        }
        return List.of();
    }

    /** Depth-first from {@code start}, without recursion: a long chain of workflows cannot overflow the stack. */
    private List<UUID> cycleFrom(UUID start, Map<UUID, Integer> state) {
        Deque<UUID> path = new ArrayDeque<>();
        Deque<Iterator<UUID>> pending = new ArrayDeque<>();
        enter(start, path, pending, state);
        while (!path.isEmpty()) {
            if (!pending.peek().hasNext()) {
                state.put(path.pop(), DONE);
                pending.pop();
                continue;
            }
            UUID n = pending.peek().next();
            Integer s = state.get(n);
            if (s == null) {
                enter(n, path, pending, state);
            } else if (s == ON_PATH) {
                return closedAt(n, path);
            }
        }
        return List.of();
    }

    private void enter(UUID job, Deque<UUID> path, Deque<Iterator<UUID>> pending, Map<UUID, Integer> state) {
        state.put(job, ON_PATH);
        path.push(job);
        pending.push(next.getOrDefault(job, Set.of()).iterator());
    }

    /** The part of the path from {@code n} on, closed by {@code n} again. */
    private static List<UUID> closedAt(UUID n, Deque<UUID> path) {
        List<UUID> cycle = new ArrayList<>();
        for (Iterator<UUID> it = path.descendingIterator(); it.hasNext();) {
            UUID p = it.next();
            if (!cycle.isEmpty() || p.equals(n)) {
                cycle.add(p);
            }
        }
        cycle.add(n);
        return cycle;
    }

    /** The refusal of a definition that would close {@code cycle}; jobs shown by name where {@code names} has one. */
    public static ApiException cycleError(List<UUID> cycle, Map<UUID, String> names) {
        return ApiException.badRequest("WORKFLOW_CYCLE", "The workflows would make a cycle: "
                + String.join(" → ", cycle.stream().map(id -> names.getOrDefault(id, id.toString())).toList()),
                "Remove one of these jobs from a workflow's triggers or targets; runs would otherwise launch each other forever.");
    }

    private static ApiException invalid(String problem, String fix) {
        return ApiException.badRequest("INVALID_WORKFLOW", problem, fix);
    }
}
