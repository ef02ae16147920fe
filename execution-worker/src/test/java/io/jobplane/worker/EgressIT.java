package io.jobplane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The worker checks every address at connect time whatever job-api accepted: commands here name
 * their connections directly, as a command that got past job-api (or predates a policy change) would.
 * The test allowlist holds 127.0.0.0/8; the platform's database is refused all the same.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class EgressIT {

    private static final String DB = "egress_target";
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
    void aRunCannotReachThePlatformDatabaseButReachesTheTenantServer() {
        PostgresServer platform = TestInfrastructure.shared().postgres();
        for (String url : List.of(platform.jdbcUrl(), "jdbc:postgresql://localhost:" + platform.port() + "/jobplane",
                "jdbc:postgresql://[::ffff:127.0.0.1]:" + platform.port() + "/jobplane")) {
            RunFinished finished = runs.awaitFinished(launch(url, "select 1"));
            assertEquals(RunStatus.FAILED, finished.status(), url);
            assertTrue(finished.errorMessage().contains("platform's own database or broker"), finished.errorMessage());
        }
        PostgresServer tenant = TestInfrastructure.shared().tenant();
        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(launch(tenant.jdbcUrl(DB), "select 1")).status());
    }

    @Test
    void theBrokerAndMetadataAddressesAreRefusedToo() {
        String broker = TestInfrastructure.shared().kafka().bootstrapServers();
        RunFinished toBroker = runs.awaitFinished(launch("jdbc:postgresql://" + broker + "/x", "select 1"));
        assertEquals(RunStatus.FAILED, toBroker.status());
        assertTrue(toBroker.errorMessage().contains("platform's own database or broker"), toBroker.errorMessage());
        RunFinished toMetadata = runs.awaitFinished(launch("jdbc:postgresql://169.254.169.254:5432/x", "select 1"));
        assertEquals(RunStatus.FAILED, toMetadata.status());
        assertTrue(toMetadata.errorMessage().contains("cloud metadata address"), toMetadata.errorMessage());
    }

    @Test
    void jdbcParametersOffTheAllowlistAreRefusedBeforeConnecting() {
        PostgresServer tenant = TestInfrastructure.shared().tenant();
        RunFinished finished = runs.awaitFinished(launch(tenant.jdbcUrl(DB) + "?socketFactory=javax.net.DefaultSocketFactory",
                "select 1"));
        assertEquals(RunStatus.FAILED, finished.status());
        assertTrue(finished.errorMessage().contains("'socketFactory' is not allowed"), finished.errorMessage());
    }

    @Test
    void aReverseEtlReceiverAtARefusedAddressEndsTheTaskAtOnce() {
        PostgresServer tenant = TestInfrastructure.shared().tenant();
        ConnectionSpec source = new ConnectionSpec("src", "postgresql", tenant.jdbcUrl(DB), tenant.username(),
                WorkerRuns.keyring().seal("unused"));
        ConnectionSpec receiver = new ConnectionSpec("dst", "http", null, null, null, null, "http://169.254.169.254/latest",
                Map.of(), Map.of());
        ReplicationSpec spec = new ReplicationSpec(null, "", false, false, false, false, "HARD_DELETE", null, null, null, 10, true);
        LaunchCommand launch = LaunchCommand.builder().run(UUID.randomUUID().toString(), 1, "ws")
                .job("job-retl", "reverse-etl", "REVERSE_ETL", false).launch("manual", Instant.now(), Instant.now(), Map.of())
                .tasks(List.of(new TaskSpec("task-0", 0, "REPLICATE [meta-data] WITH KeyColumn='id' SELECT g AS id FROM generate_series(1, 3) g"))).settings(new RunSettings(false, 1, null, 3, 1, 3))
                .destination(receiver).source(source).replication(spec).build();
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        List<TaskFinished> tasks = runs.tasksOf(launch.runId());
        assertTrue(tasks.get(0).errorMessage().contains("cloud metadata address"), tasks.get(0).errorMessage());
    }

    private static String launch(String jdbcUrl, String query) {
        ConnectionSpec destination = new ConnectionSpec("c1", "postgresql", jdbcUrl, "jobplane",
                WorkerRuns.keyring().seal("unused-with-trust-auth"));
        LaunchCommand launch = LaunchCommand.builder().run(UUID.randomUUID().toString(), 1, "ws")
                .job("job-1", "job", "TABLE_TO_TABLE", false).launch("manual", Instant.now(), Instant.now(), Map.of())
                .tasks(List.of(new TaskSpec("task-0", 0, query))).settings(RunSettings.DEFAULT).destination(destination).build();
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        return launch.runId();
    }
}
