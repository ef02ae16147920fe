package io.jobplane.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunHeartbeat;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A worker with one run slot: it takes no more commands than it can run (the rest wait in Kafka, as
 * lag of its consumer group) and runs them all; an end event whose error text is larger than the
 * status topic takes arrives cut to fit, once, instead of being dropped.
 */
@QuarkusTest
@TestProfile(WorkerBoundsIT.OneSlot.class)
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class WorkerBoundsIT {

    /** One run slot. */
    public static class OneSlot implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobplane.worker.max-concurrent-runs", "1");
        }
    }

    private static final String DB = "worker_bounds";
    private static WorkerRuns runs;

    @BeforeAll
    static void recordTopics() {
        TestInfrastructure.shared().tenant().createDatabase(DB);
        runs = new WorkerRuns();
    }

    @AfterAll
    static void stopRecording() {
        runs.close();
    }

    @Test
    void aWorkerWithOneSlotLeavesTheCommandsItCannotRunInKafkaAndRunsThemAllOneAtATime() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            LaunchCommand launch = command(List.of("select pg_sleep(0.4)"));
            ids.add(launch.runId());
            WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        }
        AtomicLong mostLag = new AtomicLong();
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                mostLag.accumulateAndGet(lag(admin), Math::max);
                return mostLag.get() >= 10;
            });
        }
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(90)).until(() -> runs.typesOf(id).contains(EventTypes.RUN_FINISHED));
        }

        List<long[]> spans = new ArrayList<>();
        for (String id : ids) {
            RunFinished end = runs.awaitFinished(id);
            assertEquals(RunStatus.SUCCESS, end.status(), id);
            RunStarted start = runs.eventsOf(id).stream().filter(e -> e.type().equals(EventTypes.RUN_STARTED))
                    .findFirst().orElseThrow().dataAs(RunStarted.class);
            RunHeartbeat accepted = runs.eventsOf(id).stream().filter(e -> e.type().equals(EventTypes.RUN_HEARTBEAT))
                    .map(e -> e.dataAs(RunHeartbeat.class)).filter(h -> "ACCEPTED".equals(h.state())).findFirst().orElseThrow();
            spans.add(new long[] { accepted.at().toEpochMilli(), end.finishedAt().toEpochMilli(), start.startedAt().toEpochMilli() });
            assertEquals(1, runs.typesOf(id).stream().filter(EventTypes.RUN_FINISHED::equals).count(), "one end per run");
        }
        spans.sort(Comparator.comparingLong(s -> s[0]));
        for (int i = 1; i < spans.size(); i++) {
            assertTrue(spans.get(i)[0] >= spans.get(i - 1)[1],
                    "one command held at a time: run " + i + " was accepted before the one before it ended: " + spans.stream()
                            .map(s -> s[0] + "-" + s[1]).collect(Collectors.joining(", ")));
        }
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lag(admin) == 0);
        }
    }

    /**
     * A worker killed right after running an attempt must not have its command delivered again to
     * another worker (the work would run twice): the command is committed before the run starts.
     */
    @Test
    void aLaunchIsCommittedBeforeItsRunStarts() throws Exception {
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lag(admin) == 0);
            LaunchCommand launch = command(List.of("select pg_sleep(2)"));
            WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> runs.typesOf(launch.runId()).contains(EventTypes.RUN_STARTED));
            assertEquals(0, lag(admin), "the command was committed before its run started");
            assertEquals(RunStatus.SUCCESS, runs.awaitFinished(launch.runId()).status());
        }
    }

    @Test
    void anEndEventWithAHugeErrorTextArrivesCutToFitOnceAndTheRunIsNotRunAgain() {
        String huge = "do $$ begin raise exception '%', repeat('x', 2000000); end $$";
        LaunchCommand launch = command(List.of(huge, "select 1"));
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);

        RunFinished end = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.FAILED, end.status());
        assertEquals("TASK_FAILED", end.errorCode());
        assertTrue(end.errorMessage().contains("xxxx"), "the database's text is kept as far as it fits");
        assertTrue(end.errorMessage().contains("bytes kept to fit the event size limit]"), "and says it was cut");
        assertTrue(end.errorMessage().getBytes(StandardCharsets.UTF_8).length < 1_000_000);
        List<TaskFinished> tasks = runs.tasksOf(launch.runId());
        assertEquals(List.of(TaskStatus.FAILED, TaskStatus.SKIPPED), tasks.stream().map(TaskFinished::status).toList());
        assertTrue(tasks.get(0).errorMessage().contains("bytes kept to fit the event size limit]"));

        List<String> types = runs.typesOf(launch.runId());
        assertEquals(1, types.stream().filter(EventTypes.RUN_STARTED::equals).count(), "the run ran once: " + types);
        assertEquals(1, types.stream().filter(EventTypes.RUN_FINISHED::equals).count(), "and ended once: " + types);
        List<CloudEvent> heartbeats = runs.eventsOf(launch.runId()).stream()
                .filter(e -> e.type().equals(EventTypes.RUN_HEARTBEAT)).toList();
        assertTrue(heartbeats.size() >= 1, "announced");
    }

    private static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("jobplane-worker")
                .partitionsToOffsetAndMetadata().get();
        var partitions = admin.describeTopics(List.of(Topics.COMMANDS)).allTopicNames().get().get(Topics.COMMANDS).partitions();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(p -> new TopicPartition(Topics.COMMANDS, p.partition()), p -> OffsetSpec.latest()));
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata done = committed.get(e.getKey());
            lag += e.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.shared().kafka().bootstrapServers());
        return Admin.create(props);
    }

    private static LaunchCommand command(List<String> queries) {
        TestInfrastructure infra = TestInfrastructure.shared();
        String runId = UUID.randomUUID().toString();
        ConnectionSpec destination = new ConnectionSpec("c1", "postgresql", infra.tenant().jdbcUrl(DB),
                infra.tenant().username(), WorkerRuns.keyring().seal("unused-with-trust-auth"));
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            tasks.add(new TaskSpec("task-" + i, i, queries.get(i)));
        }
        return LaunchCommand.builder().run(runId, 1, "ws").job("job-1", "job", "TABLE_TO_TABLE", false)
                .launch("manual", Instant.now(), Instant.now(), Map.of()).tasks(tasks).settings(RunSettings.DEFAULT)
                .destination(destination).build();
    }
}
