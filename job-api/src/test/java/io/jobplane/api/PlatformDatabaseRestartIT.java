package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.jobplane.events.Topics;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * job-api recovers from a crash of the platform's PostgreSQL: after an immediate-mode restart
 * (every session cut off, no shutdown checkpoint) its readiness is UP again within 10 s of the
 * database accepting connections, and a launch goes through.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class PlatformDatabaseRestartIT {

    private static final Duration RECOVERY = Duration.ofSeconds(10);

    @Test
    void readyWithinTenSecondsOfTheDatabaseComingBackAndALaunchGoesThrough() throws Exception {
        String ws = uniqueWorkspace();
        String jobId = RunLaunchIT.createJob(ws, "after-restart", "pw");
        await().atMost(Duration.ofSeconds(60)).until(PlatformDatabaseRestartIT::ready);
        // The test server skips fsync and synchronous commit: what it committed survives an immediate
        // shutdown only once written out, and the job must outlive the restart.
        var pg = TestInfrastructure.shared().postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password())) {
            c.createStatement().execute("checkpoint");
        }

        pg.restartImmediately();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(PlatformDatabaseRestartIT::ready);
        long millis = (System.nanoTime() - back) / 1_000_000;
        System.out.printf("job-api ready %d ms after the platform database accepted connections again%n", millis);
        assertTrue(millis <= RECOVERY.toMillis(), "ready " + millis + " ms after the database came back, more than " + RECOVERY);

        String runId = as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId)
                .then().statusCode(202).body("status", equalTo("QUEUED")).extract().path("run_id");
        await().atMost(Duration.ofSeconds(30)).until(() -> RunLaunchIT.findByKey(Topics.COMMANDS, runId) != null);
    }

    private static boolean ready() {
        return given().get("/q/health/ready").statusCode() == 200;
    }
}
