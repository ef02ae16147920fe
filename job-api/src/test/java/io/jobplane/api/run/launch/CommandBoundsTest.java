package io.jobplane.api.run.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.core.Response.Status;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobType;
import io.jobplane.api.run.RunEntity;
import io.jobplane.events.EventCodec;
import io.jobplane.events.payload.LaunchCommand;

class CommandBoundsTest {

    @Test
    void theSizeIsTheUtf8BytesOfTheText() {
        for (String text : new String[] { "", "select 1", "é", "日本語", "emoji 😀 and \u0000", "x".repeat(100_000) + "ü" }) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, CommandBounds.utf8Length(text), text);
        }
        assertEquals(3, CommandBounds.utf8Length("\ud800"), "a lone surrogate is written as one replacement character");
    }

    @Test
    void aCommandOverTheLimitIsRefusedWith413NamingItsSizeTheLimitAndItsParts() {
        LaunchPlan plan = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql")
                .task("select '" + "x".repeat(600_000) + "'").task("select '" + "é".repeat(300_000) + "'").plan();
        LaunchCommand command = LaunchCommands.command(run(plan), plan, null);
        String encoded = EventCodec.encode("/test", "jobplane.command.launch", command.runId(), command);
        long size = CommandBounds.utf8Length(encoded);
        assertTrue(size > 1_200_000, "both tasks are in the command: " + size);

        CommandBounds.check(command, encoded, size);
        ApiException refused = assertThrows(ApiException.class, () -> CommandBounds.check(command, encoded, size - 1));
        assertEquals(Status.REQUEST_ENTITY_TOO_LARGE, refused.status());
        assertEquals("LAUNCH_COMMAND_TOO_LARGE", refused.code());
        assertTrue(refused.getMessage().contains(size + " bytes, more than the limit of " + (size - 1)), refused.getMessage());
        assertTrue(refused.getMessage().contains("2 tasks of 1200018 bytes of text"), refused.getMessage());
        assertTrue(refused.solution().contains("jobplane.launch.max-command-bytes"), refused.solution());
    }

    @Test
    void theDefaultLimitLeavesRoomForTheRecordUnderTheCommandsTopicsLimit() {
        long topicLimit = 16L * 1024 * 1024;
        long defaultLimit = 15L * 1024 * 1024; // LaunchConfig's default
        assertTrue(CommandBounds.fitsTopic(defaultLimit, topicLimit));
        assertFalse(CommandBounds.fitsTopic(topicLimit, topicLimit), "the record's key and headers need room too");
        assertFalse(CommandBounds.fitsTopic(0, topicLimit));
    }

    private static RunEntity run(LaunchPlan plan) {
        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID();
        run.workspace = "ws";
        run.jobId = plan.job().id;
        run.attempt = 1;
        run.trigger = "manual";
        run.requestedAt = Instant.parse("2026-12-01T10:00:00Z");
        run.executionDate = run.requestedAt;
        run.parameters = "{}";
        return run;
    }
}
