package io.jobplane.stack.cli.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class JobPlanTest {

    private static final String STORED = """
            {"job_id": "j1", "name": "load", "type": "TABLE_TO_TABLE", "description": "old", "labels": ["nightly"],
             "status": "ACTIVE", "continue_on_error": false,
             "execution": {"max_active_runs": 1, "task_timeout_seconds": 3600, "retry": {"attempts": 1, "backoff_seconds": 30}},
             "tasks": [{"task_id": "t0", "index": 0, "query": "create table t (id int)", "is_active": true},
                       {"task_id": "t1", "index": 1, "query": "insert into t values (1)", "is_active": true},
                       {"task_id": "t2", "index": 2, "query": "analyze t", "is_active": true}]}
            """;

    @Test
    void aFileThatSaysWhatIsStoredChangesNothingEvenWhenTheApiShowsMoreDefaults() {
        JobPlan plan = JobPlan.of(json("""
                {"name": "load", "type": "TABLE_TO_TABLE", "description": "old", "labels": ["nightly"],
                 "execution": {"retry": {"attempts": 1.0}},
                 "tasks": [{"query": "create table t (id int)"}, {"query": "insert into t values (1)", "is_active": true},
                           {"query": "analyze t"}]}
                """), json(STORED));
        assertTrue(plan.unchanged(), plan.summary());
    }

    @Test
    void changedFieldsGoToOnePutAndTasksAreMatchedByPosition() {
        JobPlan plan = JobPlan.of(json("""
                {"name": "load", "type": "TABLE_TO_TABLE", "description": "new", "labels": ["nightly"],
                 "execution": {"max_active_runs": 2},
                 "queries": ["create table t (id int)", "insert into t values (2)", "analyze t", "select 1"]}
                """), json(STORED));
        assertEquals(json("{\"description\": \"new\", \"execution\": {\"max_active_runs\": 2}}"), plan.update());
        assertEquals(List.of("PUT 1 t1", "POST 3 null"), plan.tasks().stream()
                .map(s -> s.method() + " " + s.index() + " " + s.taskId()).toList());
        assertEquals("description, execution; tasks: 1 changed, 1 added, 0 removed", plan.summary());
    }

    @Test
    void fewerTasksInTheFileDeleteTheLastOnesLastFirst() {
        JobPlan plan = JobPlan.of(json("""
                {"name": "load", "tasks": [{"query": "create table t (id int)", "is_active": false}]}
                """), json(STORED));
        assertEquals(List.of("PUT 0 t0", "DELETE 2 t2", "DELETE 1 t1"), plan.tasks().stream()
                .map(s -> s.method() + " " + s.index() + " " + s.taskId()).toList());
        assertTrue(plan.update().isEmpty());
    }

    @Test
    void aFileWithoutTasksLeavesTheTasksAlone() {
        assertTrue(JobPlan.of(json("{\"name\": \"load\", \"status\": \"ACTIVE\"}"), json(STORED)).unchanged());
    }

    @Test
    void theTypeCannotChange() {
        CliFailure e = assertThrows(CliFailure.class, () -> JobPlan.of(json("{\"name\": \"load\", \"type\": \"STANDARD\"}"),
                json(STORED)));
        assertTrue(e.getMessage().contains("TABLE_TO_TABLE job and its type cannot change to STANDARD"), e.getMessage());
    }

    private static JsonNode json(String text) {
        try {
            return ApiClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
