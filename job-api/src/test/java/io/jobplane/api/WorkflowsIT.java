package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Workflow definitions through the API: checked whole when saved (nothing stored when refused), shown
 * with which triggers have succeeded since the last firing, redefined and reset, each change audited.
 * Trigger successes are written straight into the table the run supervisor writes, so no run is needed.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class WorkflowsIT {

    @Test
    void aDefinitionIsSavedShownRedefinedAndReset() throws Exception {
        String ws = uniqueWorkspace();
        String a = job(ws, "a", "STEPS");
        String b = job(ws, "b", "STEPS");
        String c = job(ws, "c", "STEPS");
        String d = job(ws, "d", "STEPS");
        String flow = job(ws, "flow", "WORKFLOW");

        define(ws, flow, List.of(b, a), List.of(c)).statusCode(200)
                .body("workflow_id", equalTo(flow)).body("name", equalTo("flow"))
                .body("triggers.job_id", equalTo(List.of(a, b))).body("triggers.job_name", equalTo(List.of("a", "b")))
                .body("triggers.satisfied", equalTo(List.of(false, false)))
                .body("targets.job_id", equalTo(List.of(c))).body("targets.job_name", equalTo(List.of("c")))
                .body("ready", equalTo(false)).body("fire_count", equalTo(0)).body("last_fired_at", nullValue())
                .body("recent_firings.size()", equalTo(0));

        String run = UUID.randomUUID().toString();
        succeeded(flow, a, run);
        state(ws, flow).body("triggers.satisfied", equalTo(List.of(true, false))).body("triggers[0].run_id", equalTo(run))
                .body("ready", equalTo(false));

        // A trigger kept by the new definition keeps its success; one left out stops counting.
        define(ws, flow, List.of(a, d), List.of(c)).statusCode(200)
                .body("triggers.job_id", equalTo(List.of(a, d))).body("triggers.satisfied", equalTo(List.of(true, false)));
        define(ws, flow, List.of(b, d), List.of(c)).statusCode(200)
                .body("triggers.satisfied", equalTo(List.of(false, false)));
        assertEquals(0, triggerStates(flow));

        succeeded(flow, b, UUID.randomUUID().toString());
        state(ws, flow).body("triggers.satisfied", equalTo(List.of(true, false)));
        as(ws, "operator").post("/api/v1/workspaces/{ws}/workflows/{id}/reset", ws, flow).then().statusCode(200)
                .body("triggers.satisfied", equalTo(List.of(false, false))).body("targets.job_id", equalTo(List.of(c)));
        assertEquals(0, triggerStates(flow));

        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body("action", hasItems("workflow.defined", "workflow.reset"));
    }

    @Test
    void aDefinitionThatDoesNotHoldIsRefusedWholeAndChangesNothing() {
        String ws = uniqueWorkspace();
        String a = job(ws, "a", "STEPS");
        String b = job(ws, "b", "STEPS");
        String c = job(ws, "c", "STEPS");
        String ab = job(ws, "a-to-b", "WORKFLOW");
        String bc = job(ws, "b-to-c", "WORKFLOW");
        String ca = job(ws, "c-to-a", "WORKFLOW");
        define(ws, ab, List.of(a), List.of(b)).statusCode(200);
        define(ws, bc, List.of(b), List.of(c)).statusCode(200);

        refused(define(ws, ca, List.of(c), List.of(a)), 400, "WORKFLOW_CYCLE").body("error_msg", containsString("c → a → b → c"));
        refused(define(ws, ca, List.of(c, c), List.of(a)), 400, "INVALID_WORKFLOW");
        refused(define(ws, ca, List.of(c), List.of(c)), 400, "WORKFLOW_CYCLE");
        refused(define(ws, ca, List.of(c), List.of(UUID.randomUUID().toString())), 400, "UNKNOWN_JOB");
        refused(define(ws, ca, List.of(c), List.of(ab)), 400, "INVALID_WORKFLOW");
        refused(define(ws, a, List.of(b), List.of(c)), 409, "NOT_A_WORKFLOW");
        refused(define(ws, UUID.randomUUID().toString(), List.of(b), List.of(c)), 404, "JOB_NOT_FOUND");
        state(ws, ca).body("triggers.size()", equalTo(0)).body("targets.size()", equalTo(0)).body("fire_count", equalTo(0));
        refused(as(ws, "viewer").get("/api/v1/workspaces/{ws}/workflows/{id}", ws, a).then(), 409, "NOT_A_WORKFLOW");

        refused(as(ws, "editor").delete("/api/v1/workspaces/{ws}/jobs/{id}", ws, a).then(), 409, "JOB_IN_WORKFLOW")
                .body("error_msg", containsString("a-to-b"));
    }

    private static String job(String ws, String name, String type) {
        return as(ws, "editor").body(Map.of("name", name, "type", type)).post("/api/v1/workspaces/{ws}/jobs", ws)
                .then().statusCode(201).extract().path("job_id");
    }

    private static ValidatableResponse define(String ws, String workflow, List<String> triggers, List<String> targets) {
        return as(ws, "editor").body(Map.of("triggers", triggers, "targets", targets))
                .put("/api/v1/workspaces/{ws}/workflows/{id}", ws, workflow).then();
    }

    private static ValidatableResponse state(String ws, String workflow) {
        return as(ws, "viewer").get("/api/v1/workspaces/{ws}/workflows/{id}", ws, workflow).then().statusCode(200);
    }

    private static ValidatableResponse refused(ValidatableResponse response, int status, String code) {
        return response.statusCode(status).body("error_code", equalTo(code)).body("solution_msg", org.hamcrest.Matchers.notNullValue());
    }

    /** What the run supervisor records when a trigger job's run succeeds. */
    private static void succeeded(String workflow, String trigger, String run) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var st = c.prepareStatement("insert into api.workflow_trigger_state (workflow_id, trigger_job_id, run_id, succeeded_at)"
                        + " values (?::uuid, ?::uuid, ?::uuid, now())")) {
            st.setString(1, workflow);
            st.setString(2, trigger);
            st.setString(3, run);
            st.executeUpdate();
        }
    }

    private static long triggerStates(String workflow) throws Exception {
        return RunLaunchIT.count("select count(*) from api.workflow_trigger_state where workflow_id = '" + workflow + "'");
    }
}
