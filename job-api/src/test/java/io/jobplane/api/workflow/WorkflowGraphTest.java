package io.jobplane.api.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobType;
import io.jobplane.api.workflow.WorkflowGraph.Edge;
import io.jobplane.api.workflow.WorkflowGraph.Members;

/** The checks of a workflow definition on their own; saving and showing workflows is in WorkflowsIT. */
class WorkflowGraphTest {

    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();
    private final UUID c = UUID.randomUUID();
    private final UUID d = UUID.randomUUID();

    @Test
    void aDefinitionNamesEachJobOnceInItsOrder() {
        Members m = WorkflowGraph.members(List.of(b, a), List.of(c));
        assertEquals(List.of(b, a), List.copyOf(m.triggers()));
        assertEquals(List.of(b, a, c), List.copyOf(m.all()));
        assertEquals("INVALID_WORKFLOW", refused(() -> WorkflowGraph.members(List.of(a, a), List.of(c))).code());
        assertEquals("INVALID_WORKFLOW", refused(() -> WorkflowGraph.members(List.of(a), List.of(c, c))).code());
    }

    @Test
    void aJobThatWouldTriggerItselfIsRefused() {
        ApiException e = refused(() -> WorkflowGraph.members(List.of(a, b), List.of(b)));
        assertEquals("WORKFLOW_CYCLE", e.code());
        assertTrue(e.getMessage().contains(b.toString()), e.getMessage());
    }

    @Test
    void everyJobMustBeOneOfTheWorkspaceAndNotAWorkflow() {
        Members m = WorkflowGraph.members(List.of(a), List.of(b));
        WorkflowGraph.requireJobs(m, List.of(job(a, "a", JobType.STEPS), job(b, "b", JobType.TABLE_TO_TABLE)));

        ApiException missing = refused(() -> WorkflowGraph.requireJobs(m, List.of(job(a, "a", JobType.STEPS))));
        assertEquals("UNKNOWN_JOB", missing.code());
        assertTrue(missing.getMessage().contains(b.toString()), missing.getMessage());

        ApiException workflow = refused(() -> WorkflowGraph.requireJobs(m, List.of(job(a, "a", JobType.STEPS),
                job(b, "b-flow", JobType.WORKFLOW))));
        assertEquals("INVALID_WORKFLOW", workflow.code());
        assertTrue(workflow.getMessage().contains("b-flow"), workflow.getMessage());
    }

    @Test
    void chainsAndDiamondsHaveNoCycle() {
        Members definition = WorkflowGraph.members(List.of(c), List.of(d));
        List<Edge> saved = List.of(new Edge(a, b), new Edge(a, c), new Edge(b, d));
        assertEquals(List.of(), WorkflowGraph.of(saved, definition).cycle(definition.triggers()));
        assertEquals(List.of(), WorkflowGraph.of(List.of(), definition).cycle(definition.triggers()));
    }

    @Test
    void aDefinitionUndoingASavedOneIsADirectCycle() {
        Members definition = WorkflowGraph.members(List.of(b), List.of(a));
        assertEquals(List.of(b, a, b), WorkflowGraph.of(List.of(new Edge(a, b)), definition).cycle(definition.triggers()));
    }

    @Test
    void aCycleThroughOtherWorkflowsReadsFromTheTriggersBeingSaved() {
        Members definition = WorkflowGraph.members(List.of(c), List.of(a));
        List<Edge> saved = List.of(new Edge(a, b), new Edge(b, c));
        assertEquals(List.of(c, a, b, c), WorkflowGraph.of(saved, definition).cycle(definition.triggers()));
    }

    @Test
    void theSearchStartsFromTheGivenTriggersWhateverTheGraphsOrder() {
        // The saved chain a→b→c comes first in the graph; the path still starts at the saved trigger c.
        Members definition = WorkflowGraph.members(List.of(d, c), List.of(a));
        List<Edge> saved = List.of(new Edge(a, b), new Edge(b, c));
        assertEquals(List.of(c, a, b, c), WorkflowGraph.of(saved, definition).cycle(Set.of(c)));
    }

    @Test
    void theRefusalNamesTheJobsOfTheCycleInOrder() {
        ApiException e = WorkflowGraph.cycleError(List.of(c, a, b, c), Map.of(a, "JA", c, "JC"));
        assertEquals("WORKFLOW_CYCLE", e.code());
        assertEquals("The workflows would make a cycle: JC → JA → " + b + " → JC", e.getMessage());
    }

    private static JobEntity job(UUID id, String name, JobType type) {
        JobEntity job = new JobEntity();
        job.id = id;
        job.name = name;
        job.type = type;
        return job;
    }

    private static ApiException refused(org.junit.jupiter.api.function.Executable check) {
        return assertThrows(ApiException.class, check);
    }
}
