package io.jobplane.worker.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.TraceContext;
import io.jobplane.events.consume.EventConsumer;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.worker.listener.Commands.Cancel;
import io.jobplane.worker.listener.Commands.Command;
import io.jobplane.worker.listener.Commands.Launch;
import io.smallrye.mutiny.Uni;

/** What a worker takes for a command, read through the consumer skeleton with an in-memory dead-letter sink. */
class CommandsTest {

    private final List<String> deadLettered = new ArrayList<>();
    private final List<Command> read = new ArrayList<>();
    private final EventConsumer<Command> consumer = EventConsumer.deadLettering("commands", Commands.ROUTES,
            (record, why) -> {
                deadLettered.add(record.key() + ": " + why.getMessage());
                return Uni.createFrom().voidItem();
            });

    @Test
    void aValidLaunchAndCancelAreTakenInOrder() {
        LaunchCommand launch = launch("r1", 1, List.of(new TaskSpec("t1", 0, "select 1")));
        CancelCommand cancel = new CancelCommand("r1", "ws", Instant.now(), 1, "alice", null);
        consume(record("a", EventTypes.LAUNCH, launch), record("b", EventTypes.CANCEL, cancel));

        assertEquals(List.of(new Launch(launch, null), new Cancel(cancel)), read);
        assertEquals(List.of(), deadLettered);
    }

    @Test
    void aCommandLackingWhatItMustHoldIsDeadLetteredAndTheRestTaken() {
        LaunchCommand good = launch("r1", 1, List.of(new TaskSpec("t1", 0, "select 1")));
        consume(record("no-run", EventTypes.LAUNCH, launch(null, 1, List.of())),
                record("no-attempt", EventTypes.LAUNCH, launch("r2", 0, List.of())),
                record("no-task-id", EventTypes.LAUNCH, launch("r3", 1, Arrays.asList(new TaskSpec(null, 0, "x")))),
                record("no-cancel-run", EventTypes.CANCEL, new CancelCommand(null, "ws", Instant.now(), null, "bob", null)),
                record("not-a-command", EventTypes.RUN_STARTED, Map.of("run_id", "r4")),
                record("good", EventTypes.LAUNCH, good));

        assertEquals(List.of(new Launch(good, null)), read);
        assertEquals(List.of(
                "no-run: launch command lacks run_id, job_type, tasks or a valid attempt",
                "no-attempt: launch command lacks run_id, job_type, tasks or a valid attempt",
                "no-task-id: launch command for run r3 has a task without task_id",
                "no-cancel-run: cancel command lacks run_id",
                "not-a-command: event e-not-a-command has the unknown type jobplane.run.started"), deadLettered);
    }

    @Test
    void aLaunchKeepsTheTraceContextItCameWithAndOneMalformedIsNone() {
        LaunchCommand launch = launch("r1", 1, List.of(new TaskSpec("t1", 0, "select 1")));
        TraceContext trace = TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);
        String traced = EventCodec.encode("/test", EventTypes.LAUNCH, "r1", launch, trace);
        String malformed = traced.replace(trace.traceparent(), "00-nonsense");
        consume(new ConsumerRecord<>(Topics.COMMANDS, 0, 0L, "r1", traced),
                new ConsumerRecord<>(Topics.COMMANDS, 0, 1L, "r1", malformed));

        assertEquals(List.of(new Launch(launch, trace), new Launch(launch, null)), read);
        assertEquals(List.of(), deadLettered);
    }

    @SafeVarargs
    private void consume(ConsumerRecord<String, String>... records) {
        consumer.consume(List.of(records), commands -> {
            read.addAll(commands);
            return Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(10));
    }

    /** A record holding the command, its event id derived from the key (as the reasons quote it). */
    private static ConsumerRecord<String, String> record(String key, String type, Object payload) {
        CloudEvent e = CloudEvent.of("/test", type, key, payload);
        CloudEvent event = new CloudEvent(e.specversion(), "e-" + key, e.source(), e.type(), e.subject(), e.time(),
                e.datacontenttype(), e.data());
        return new ConsumerRecord<>(Topics.COMMANDS, 0, 0L, key, EventCodec.encode(event));
    }

    private static LaunchCommand launch(String runId, int attempt, List<TaskSpec> tasks) {
        return LaunchCommand.builder().run(runId, attempt, "ws").job("job", "job", "TABLE_TO_TABLE", false)
                .launch("manual", Instant.now(), Instant.now(), Map.of()).tasks(tasks).build();
    }
}
