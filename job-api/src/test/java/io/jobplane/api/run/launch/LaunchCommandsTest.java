package io.jobplane.api.run.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.api.job.JobType;
import io.jobplane.api.run.RunEntity;
import io.jobplane.events.EventCodec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunQueued;

class LaunchCommandsTest {

    private static RunEntity run(LaunchPlan plan, UUID[] taskIds) {
        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID();
        run.workspace = "ws";
        run.jobId = plan.job().id;
        run.attempt = 2;
        run.trigger = "schedule";
        run.requestedAt = Instant.parse("2026-12-01T10:00:00Z");
        run.executionDate = Instant.parse("2026-12-01T00:00:00Z");
        run.parameters = "{\"region\": \"eu\"}";
        run.taskIds = taskIds;
        return run;
    }

    @Test
    void theCommandCarriesTheRunsTasksInJobOrderWithItsSettingsAndSealedConnection() {
        LaunchPlan plan = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql")
                .settings("{\"execution\": {\"task_timeout_seconds\": 30, \"run_timeout_seconds\": 600, \"retry\": {\"attempts\": 3, \"backoff_seconds\": 5}}}")
                .task("select 1").task("select 2", false).task("select 3").plan();
        UUID second = plan.tasks().get(1).id;
        UUID third = plan.tasks().get(2).id;

        LaunchCommand command = LaunchCommands.command(run(plan, new UUID[] { third, second }), plan, null);

        assertEquals(List.of("select 2", "select 3"), command.tasks().stream().map(t -> t.query()).toList());
        assertEquals(2, command.attempt());
        assertEquals("eu", command.parameters().get("region"));
        assertEquals(30, command.settings().taskTimeoutSeconds());
        assertEquals(600, command.settings().runTimeoutSeconds());
        assertEquals(3, command.settings().taskAttempts());
        assertEquals("c2VhbGVk", command.destination().password().ciphertext());
        assertNull(command.source());
        assertNull(command.replication(), "only replicating jobs carry replication settings");
    }

    @Test
    void aRunOfTheActiveTasksAndItsQueuedEventNameTheSameTasks() {
        LaunchPlan plan = Plans.of(JobType.TABLE_TO_TABLE).destination("mysql").task("select 1").task("select 2", false).plan();
        RunEntity run = run(plan, null);

        LaunchCommand command = LaunchCommands.command(run, plan, null);
        RunQueued queued = LaunchCommands.queued(run, plan);

        assertEquals(command.tasks().stream().map(t -> t.taskId()).toList(),
                queued.tasks().stream().map(RunQueued.TaskRef::taskId).toList());
        assertEquals(List.of(plan.tasks().get(0).id.toString()), queued.tasks().stream().map(RunQueued.TaskRef::taskId).toList());
        assertEquals(plan.job().name, queued.jobName());
        assertEquals("schedule", queued.trigger());
    }

    @Test
    void replicatingJobsCarryTheirSourceAndReplicationSettingsWithDefaults() {
        LaunchPlan plan = Plans.of(JobType.STANDARD).source("postgresql").destination("postgresql")
                .settings("{\"replication\": {\"table_name_prefix\": \"stg_\"}}").task("REPLICATE [accounts]").plan();

        LaunchCommand command = LaunchCommands.command(run(plan, null), plan, null);

        assertEquals("stg_", command.replication().tableNamePrefix());
        assertEquals("HARD_DELETE", command.replication().deletionBehavior());
        assertEquals(plan.source().id.toString(), command.source().connectionId());
    }

    @Test
    void aBuiltCommandReadsBackAsTheSameCommand() {
        LaunchPlan plan = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql").task("select {{region}}").plan();
        LaunchCommand command = LaunchCommands.command(run(plan, null), plan, null);

        String json = EventCodec.encode("/jobplane/job-api", "jobplane.command.launch", command.runId(), command);

        assertEquals(command, EventCodec.decode(json).dataAs(LaunchCommand.class));
        assertEquals(command, command.toBuilder().build());
    }
}
