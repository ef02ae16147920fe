package io.jobplane.systemtest;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.Topics;
import io.jobplane.stack.MetricsScrape;
import io.jobplane.stack.Platform;
import io.jobplane.stack.TopicRecorder;

/**
 * Every service's {@code /q/metrics} after real work on the whole platform: a launched run moves the
 * launch, start and end counters of its job type, its duration and its tasks' durations are recorded,
 * the outbox drains to 0, the read models record their apply lag, every consumer group's lag is there,
 * and no label carries a workspace, job or run id. Every name {@code deploy/grafana/exposed-metrics.txt}
 * lists (the names the Grafana dashboard may use, {@code DashboardTest}) is really exposed by its service.
 */
class MetricsIT {

    private static final String WS = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Platform platform;
    private static WorkspaceCalls calls;
    private static String jobId;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SystemPlatform.startOnFreePorts("metrics");
        calls = new WorkspaceCalls(platform, WS);
        var pg = platform.tenant();
        String connectionId = calls.api().body(Map.of("name", "target", "type", "postgresql", "jdbc_url", pg.jdbcUrl(),
                        "username", pg.username(), "password", pg.password()))
                .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(201).extract().path("connection_id");
        jobId = calls.api().body(Map.of("name", "measured", "type", "TABLE_TO_TABLE", "destination_connection_id", connectionId,
                        "tasks", List.of(Map.of("query", "select 1"), Map.of("query", "select 2"))))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void everyServiceMeasuresRealWorkAndExposesTheNamesTheDashboardUses() throws Exception {
        Map<String, String> type = Map.of("job_type", "TABLE_TO_TABLE");
        Map<String, String> succeeded = Map.of("job_type", "TABLE_TO_TABLE", "status", "SUCCESS");
        MetricsScrape api0 = MetricsScrape.of(api());
        MetricsScrape worker0 = MetricsScrape.of(worker());
        MetricsScrape harvester0 = MetricsScrape.of(harvester());
        MetricsScrape policy0 = MetricsScrape.of(policy());

        String runId = calls.launch(jobId);
        calls.awaitTerminal(runId).body("status", equalTo("SUCCESS"));
        String key = "metrics-" + UUID.randomUUID();
        TopicRecorder.send(platform.kafka().access(), Topics.POLICY_CHANGES, key,
                EventCodec.encode(CloudEvent.of("/test", "jobplane.policy.grant-added", key, Map.of("a", 1))));

        // job-api: launched once, ended once with its duration, the outbox relayed and drained.
        assertEquals(1, MetricsScrape.of(api()).sum("jobplane_runs_launched_total", Map.of("job_type", "TABLE_TO_TABLE",
                "trigger", "manual")) - api0.sum("jobplane_runs_launched_total", type));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            MetricsScrape api = MetricsScrape.of(api());
            assertEquals(1, api.sum("jobplane_runs_ended_total", succeeded) - api0.sum("jobplane_runs_ended_total", succeeded));
            assertEquals(1, api.sum("jobplane_run_duration_seconds_count", succeeded)
                    - api0.sum("jobplane_run_duration_seconds_count", succeeded));
            assertTrue(api.sum("jobplane_outbox_relay_lag_seconds_count", Map.of("topic", Topics.COMMANDS))
                    > api0.sum("jobplane_outbox_relay_lag_seconds_count", Map.of("topic", Topics.COMMANDS)));
            assertEquals(0, api.sum("jobplane_outbox_backlog_rows"));
            assertEquals(0, api.sum("jobplane_outbox_oldest_age_seconds"));
            assertTrue(api.has("kafka_consumer_fetch_manager_records_lag_max", Map.of("client_id", "jobplane-api")));
        });
        // The worker: started once, both tasks timed, its slots free again.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            MetricsScrape worker = MetricsScrape.of(worker());
            assertEquals(1, worker.sum("jobplane_runs_started_total", type) - worker0.sum("jobplane_runs_started_total", type));
            assertEquals(2, worker.sum("jobplane_task_duration_seconds_count", succeeded)
                    - worker0.sum("jobplane_task_duration_seconds_count", succeeded));
            assertEquals(0, worker.sum("jobplane_worker_slots_busy"));
            assertTrue(worker.sum("jobplane_worker_slots_capacity") >= 1);
            assertTrue(worker.has("kafka_consumer_fetch_manager_records_lag_max", Map.of("client_id", "jobplane-worker")));
        });
        // The read models: the run's events and the policy change were applied, each with its lag.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            MetricsScrape harvester = MetricsScrape.of(harvester());
            Map<String, String> runs = Map.of("read_model", "runs");
            assertTrue(harvester.sum("jobplane_read_model_apply_lag_seconds_count", runs)
                    >= harvester0.sum("jobplane_read_model_apply_lag_seconds_count", runs) + 4);
            assertTrue(harvester.has("kafka_consumer_fetch_manager_records_lag_max", Map.of("client_id", "jobplane-harvester")));
            MetricsScrape policy = MetricsScrape.of(policy());
            Map<String, String> grants = Map.of("read_model", "grants");
            assertTrue(policy.sum("jobplane_read_model_apply_lag_seconds_count", grants)
                    > policy0.sum("jobplane_read_model_apply_lag_seconds_count", grants));
            assertTrue(policy.has("kafka_consumer_fetch_manager_records_lag_max", Map.of("client_id", "jobplane-policy")));
        });

        Map<String, MetricsScrape> scrapes = new LinkedHashMap<>();
        scrapes.put("job-api", MetricsScrape.of(api()));
        scrapes.put("execution-worker", MetricsScrape.of(worker()));
        scrapes.put("metadata-harvester", MetricsScrape.of(harvester()));
        scrapes.put("policy-migrator", MetricsScrape.of(policy()));
        Path saved = Files.createDirectories(root().resolve("system-tests/target/metrics-scrapes"));
        for (var e : scrapes.entrySet()) {
            Files.writeString(saved.resolve(e.getKey() + ".prom"), e.getValue().text());
            // No label names a tenant's objects: HTTP URIs are templates, the rest are fixed words.
            for (MetricsScrape.Sample s : e.getValue().samples()) {
                for (String value : s.labels().values()) {
                    assertFalse(value.contains(WS) || value.contains(jobId) || value.contains(runId),
                            e.getKey() + ": " + s.name() + " labels " + s.labels());
                }
            }
        }
        MetricsScrape api = scrapes.get("job-api");
        assertTrue(api.has("http_server_requests_seconds_count",
                Map.of("uri", "/api/v1/workspaces/{workspace}/runs/{run_id}", "method", "GET")), "templated run URI");
        for (String reason : List.of("retry_backoff", "workspace_limit", "job_limit", "job_gone", "admission", "dispatched")) {
            assertTrue(api.has("jobplane_runs_waiting", Map.of("reason", reason)), reason);
        }

        // The names the dashboard may use are all exposed where the list says.
        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(root().resolve("deploy/grafana/exposed-metrics.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            if (!scrapes.get(parts[0]).names().contains(parts[1])) {
                missing.add(line);
            }
        }
        assertEquals(List.of(), missing, "listed in deploy/grafana/exposed-metrics.txt but not exposed");
    }

    private static Path root() {
        return Path.of(System.getProperty("jobplane.root", "..")).toAbsolutePath().normalize();
    }

    private static String api() {
        return platform.api().baseUrl();
    }

    private static String worker() {
        return platform.workers().get(0).baseUrl();
    }

    private static String harvester() {
        return platform.harvester().baseUrl();
    }

    private static String policy() {
        return platform.policy().baseUrl();
    }
}
