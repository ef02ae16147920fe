package io.jobplane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.StepPackageSpec;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.Zips;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A worker whose sandbox cannot start never runs a step process unconfined. */
@QuarkusTest
@TestProfile(StepsWithoutSandboxIT.NoBwrap.class)
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PackageServer.Resource.class, restrictToAnnotatedClass = false)
class StepsWithoutSandboxIT {

    /** The worker looks for bubblewrap where there is none. */
    public static class NoBwrap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobplane.worker.steps.sandbox.bwrap-command", "/nonexistent/bwrap");
        }
    }

    private static final String DB = "steps_unsandboxed";
    private static WorkerRuns runs;

    @BeforeAll
    static void start() {
        TestInfrastructure.shared().tenant().createDatabase(DB);
        runs = new WorkerRuns();
    }

    @AfterAll
    static void stop() {
        runs.close();
    }

    @Test
    void processStepsFailSandboxUnavailableAndNeverRun() {
        Path planted = Path.of(System.getProperty("java.io.tmpdir"), "unsandboxed-" + UUID.randomUUID());
        LaunchCommand launch = command(Map.of("10_plant.sh", "touch '" + planted + "'", "20_more.py", "print('never')"),
                List.of("10_plant.sh", "20_more.py"));
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertEquals("SANDBOX_UNAVAILABLE", finished.errorCode());
        assertTrue(finished.errorMessage().contains("apt-get install bubblewrap"), finished.errorMessage());
        assertEquals(List.of(TaskStatus.SKIPPED, TaskStatus.SKIPPED), runs.tasksOf(launch.runId()).stream().map(TaskFinished::status).toList());
        assertFalse(Files.exists(planted), "the step never ran");
    }

    @Test
    void sqlStepsNeedNoSandboxAndStillRun() {
        LaunchCommand launch = command(Map.of("10_only.sql", "select 1"), List.of("10_only.sql"));
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.SUCCESS, finished.status(), finished.errorMessage());
    }

    private static LaunchCommand command(Map<String, String> files, List<String> steps) {
        var pg = TestInfrastructure.shared().tenant();
        byte[] zip = Zips.of(files);
        StepPackageSpec pkg = new StepPackageSpec(1, PackageServer.shared().add(zip), zip.length, steps, Map.of(), Map.of());
        ConnectionSpec db = new ConnectionSpec("db", "postgresql", pg.jdbcUrl(DB), pg.username(), WorkerRuns.keyring().seal("unused"));
        return LaunchCommand.builder().run(UUID.randomUUID().toString(), 1, "ws").job("job-u", "steps", "STEPS", false)
                .launch("manual", Instant.now(), Instant.now(), Map.of()).tasks(List.of()).settings(RunSettings.DEFAULT)
                .destination(db).steps(pkg).build();
    }
}
