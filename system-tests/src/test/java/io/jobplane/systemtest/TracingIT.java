package io.jobplane.systemtest;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.TraceContext;
import io.jobplane.stack.Platform;
import io.jobplane.stack.TopicRecorder;
import io.jobplane.systemtest.OtlpReceiver.ReceivedSpan;

/**
 * One trace follows a launch through the platform (docs/tracing.md): the four services as processes export
 * their spans over OTLP/HTTP to a receiver this test runs, and the CloudEvents on Kafka carry the trace.
 */
class TracingIT {

    private static final String WS = "traced";
    private static final String PASSWORD = "trace-canary-" + UUID.randomUUID();
    private static OtlpReceiver receiver;
    private static Platform platform;
    private static WorkspaceCalls calls;
    private static String connectionId;

    @BeforeAll
    static void startPlatform() throws Exception {
        receiver = OtlpReceiver.start();
        platform = SystemPlatform.startOnFreePorts("tracing", Map.of(
                "quarkus.otel.traces.sampler.arg", "1.0",
                "quarkus.otel.exporter.otlp.traces.endpoint", receiver.endpoint(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "100ms"));
        calls = new WorkspaceCalls(platform, WS);
        String database = "traced_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        platform.tenant().createDatabase(database, "traced_tenant", PASSWORD);
        connectionId = calls.createPostgresConnection("warehouse", database, "traced_tenant", PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneTraceFollowsALaunchThroughTheApiTheRelayTheWorkerAndTheHarvester() throws Exception {
        String jobId = calls.createSqlJob("traced-job", connectionId,
                List.of("create table traced (id int)", "insert into traced values (1), (2)"));
        String runId = calls.launch(jobId);
        calls.awaitTerminal(runId).body("status", equalTo("SUCCESS"));

        // The launch command on Kafka names the trace, and the relay's span as the parent.
        CloudEvent command = events(Topics.COMMANDS, runId).stream().filter(e -> e.type().equals(EventTypes.LAUNCH))
                .findFirst().orElseThrow();
        TraceContext sent = command.trace();
        assertNotNull(sent, "the launch command carries a valid traceparent: " + command.traceparent());
        String traceId = sent.traceId();

        // Spans are exported in batches as they end: the run's, both tasks' and the harvester's come last.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                find(traceId, "execution-worker", s -> s.name().equals("run")) != null
                && receiver.spans().stream().filter(s -> s.traceId().equals(traceId) && s.name().equals("task")).count() == 2
                && find(traceId, "metadata-harvester", s -> s.name().equals("apply run events")) != null);
        assertEquals(List.of(), receiver.refused());
        List<ReceivedSpan> trace = receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();

        ReceivedSpan request = only(traceId, "job-api", s -> s.kind() == OtlpReceiver.SERVER && s.name().contains("runs"));
        assertEquals("", request.parentSpanId(), "the launch request starts the trace: " + request);
        ReceivedSpan relay = only(traceId, "job-api", s -> s.name().equals("outbox relay") && s.spanId().equals(sent.spanId()));
        assertEquals(OtlpReceiver.PRODUCER, relay.kind());
        assertEquals(request.spanId(), relay.parentSpanId(), "the relay continues the launch request");
        ReceivedSpan process = only(traceId, "execution-worker", "process");
        assertEquals(OtlpReceiver.CONSUMER, process.kind());
        assertEquals(relay.spanId(), process.parentSpanId(), "the worker continues the command's trace");
        ReceivedSpan run = only(traceId, "execution-worker", "run");
        assertEquals(process.spanId(), run.parentSpanId());
        assertEquals("SUCCESS", run.attributes().get("jobplane.run_status"));
        assertEquals(runId, run.attributes().get("jobplane.run_id"));
        List<ReceivedSpan> tasks = trace.stream().filter(s -> s.name().equals("task")).toList();
        assertEquals(2, tasks.size(), "one span per task: " + trace);
        tasks.forEach(t -> assertEquals(run.spanId(), t.parentSpanId(), "a task's span is the run's child"));

        // Every event of the run carries the trace: job-api's from its relay, the worker's from its run.
        Set<String> relays = trace.stream().filter(s -> s.name().equals("outbox relay")).map(ReceivedSpan::spanId)
                .collect(Collectors.toSet());
        List<CloudEvent> runEvents = events(Topics.RUN_EVENTS, runId);
        assertTrue(runEvents.size() >= 6, "queued, started, two tasks started and finished, finished: " + runEvents.size());
        for (CloudEvent event : runEvents) {
            TraceContext carried = event.trace();
            assertNotNull(carried, event.type() + " carries a valid traceparent");
            assertEquals(traceId, carried.traceId(), event.type());
            if (event.source().startsWith("/jobplane/execution-worker") && !event.type().equals(EventTypes.RUN_HEARTBEAT)) {
                assertEquals(run.spanId(), carried.spanId(), event.type() + " is sent from the run's span");
            } else if (event.source().equals("/jobplane/job-api")) {
                assertTrue(relays.contains(carried.spanId()), event.type() + " is sent from a relay span");
            }
        }

        // The harvester applied them inside spans that continue the senders'.
        List<ReceivedSpan> applied = trace.stream().filter(s -> s.service().equals("metadata-harvester")).toList();
        assertFalse(applied.isEmpty());
        Set<String> senders = new java.util.HashSet<>(relays);
        senders.add(run.spanId());
        senders.add(process.spanId());
        for (ReceivedSpan span : applied) {
            assertEquals(OtlpReceiver.CONSUMER, span.kind());
            assertTrue(senders.contains(span.parentSpanId()), "the harvester continues a sender's span: " + span);
        }

        // No span says anything it must not: no secret, no SQL.
        for (ReceivedSpan span : receiver.spans()) {
            span.attributes().forEach((key, value) -> {
                assertFalse(value.contains(PASSWORD), "a secret in " + span);
                assertFalse(key.startsWith("db."), "a database statement in " + span);
            });
        }
    }

    private static List<CloudEvent> events(String topic, String runId) {
        try (TopicRecorder recorder = TopicRecorder.record(platform.kafka().access(), topic)) {
            await().atMost(Duration.ofSeconds(30)).until(recorder::caughtUp);
            return recorder.matching(r -> runId.equals(r.key())).stream().map(ConsumerRecord::value).map(EventCodec::decode)
                    .toList();
        }
    }

    private static ReceivedSpan only(String traceId, String service, String name) {
        return only(traceId, service, s -> s.name().equals(name));
    }

    private static ReceivedSpan only(String traceId, String service, Predicate<ReceivedSpan> which) {
        List<ReceivedSpan> found = receiver.spans().stream()
                .filter(s -> s.traceId().equals(traceId) && s.service().equals(service) && which.test(s)).toList();
        assertEquals(1, found.size(), "one such span of " + service + " in the trace: " + receiver.spans().stream()
                .filter(s -> s.traceId().equals(traceId)).toList());
        return found.get(0);
    }

    private static ReceivedSpan find(String traceId, String service, Predicate<ReceivedSpan> which) {
        return receiver.spans().stream().filter(s -> s.traceId().equals(traceId) && s.service().equals(service) && which.test(s))
                .findFirst().orElse(null);
    }
}
