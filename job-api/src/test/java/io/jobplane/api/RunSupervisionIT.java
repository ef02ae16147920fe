package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunHeartbeat;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.MetricsScrape;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * job-api's supervision of runs, against the real broker: the test plays the workers by sending
 * the events a worker sends (heartbeats, starts, ends) and reads the commands job-api sends back.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class RunSupervisionIT {

    private static TopicRecorder commands;
    private static TopicRecorder control;

    @BeforeAll
    static void record() {
        String bootstrap = TestInfrastructure.shared().kafka().bootstrapServers();
        commands = TopicRecorder.record(bootstrap, Topics.COMMANDS);
        control = TopicRecorder.record(bootstrap, Topics.CONTROL);
    }

    @AfterAll
    static void stop() {
        commands.close();
        control.close();
    }

    @Test
    void launchOptionsReachTheLaunchCommandInTheJobsOrder() {
        String ws = uniqueWorkspace();
        String job = job(ws, "options", Map.of(), List.of(task("select 0", true), task("select 1", true), task("select 2", false)));
        List<String> tasks = as(ws, "viewer").get(jobPath(ws, job) + "/tasks").then().extract().path("task_id");
        String runId = as(ws, "operator").body(Map.of("tasks", List.of(tasks.get(2), tasks.get(0)),
                "parameters", Map.of("region", "eu-west"), "execution_date", "2026-11-01T00:00:00Z"))
                .post(jobPath(ws, job) + "/runs").then().statusCode(202).extract().path("run_id");

        LaunchCommand launch = launchOf(runId, 1);
        assertEquals(List.of(tasks.get(0), tasks.get(2)), launch.tasks().stream().map(t -> t.taskId()).toList(),
                "the named tasks, inactive ones too, in the job's order");
        assertEquals(Map.of("region", "eu-west"), launch.parameters());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), launch.executionDate());
        assertEquals("manual", launch.trigger());
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, runId).then().statusCode(200)
                .body("status", equalTo("QUEUED")).body("execution_date", equalTo("2026-11-01T00:00:00Z"));

        as(ws, "operator").body(Map.of("tasks", List.of(java.util.UUID.randomUUID().toString())))
                .post(jobPath(ws, job) + "/runs").then().statusCode(400).body("error_code", equalTo("UNKNOWN_TASK"));
        as(ws, "operator").body(Map.of("tasks", List.of(tasks.get(0), tasks.get(0))))
                .post(jobPath(ws, job) + "/runs").then().statusCode(400).body("error_code", equalTo("DUPLICATE_TASK"));
        as(ws, "operator").body(Map.of("parameters", Map.of("not a name", "x")))
                .post(jobPath(ws, job) + "/runs").then().statusCode(400).body("error_code", equalTo("VALIDATION_FAILED"));
        as(ws, "viewer").get(jobPath(ws, job) + "/status").then().statusCode(200).body("queued_runs", equalTo(0))
                .body("active_runs", equalTo(1));
    }

    @Test
    void preAndPostJobEventsTravelInTheLaunchCommand() {
        String ws = uniqueWorkspace();
        String job = job(ws, "events", Map.of("pre_job_event", "create table if not exists audit_log (at timestamptz)",
                "post_job_event", "insert into audit_log values (now())"), List.of(task("select 1", true)));
        LaunchCommand launch = launchOf(launch(ws, job), 1);
        assertEquals("create table if not exists audit_log (at timestamptz)", launch.settings().preJobEvent());
        assertEquals("insert into audit_log values (now())", launch.settings().postJobEvent());
    }

    @Test
    void runsOverTheJobsLimitWaitQueuedAndStartInOrderWhenASlotFrees() {
        String ws = uniqueWorkspace();
        String job = job(ws, "limited", Map.of("max_active_runs", 1), List.of(task("select 1", true)));
        String a = launch(ws, job);
        String b = launch(ws, job);
        String c = launch(ws, job);
        launchOf(a, 1);
        as(ws, "viewer").get(jobPath(ws, job) + "/status").then().body("active_runs", equalTo(1)).body("queued_runs", equalTo(2));
        assertTrue(commands.values(b).isEmpty() && commands.values(c).isEmpty(), "b and c wait for a's slot");

        workerRuns(a, 1, "w1", RunStatus.SUCCESS);
        launchOf(b, 1);
        assertTrue(commands.values(c).isEmpty(), "c waits for b");
        workerRuns(b, 1, "w1", RunStatus.FAILED);
        launchOf(c, 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, b)
                .then().body("status", equalTo("FAILED")));
    }

    @Test
    void theWorkspaceCapHoldsAcrossJobsAndTheNextRunStartsWhenOneEnds() {
        String ws = uniqueWorkspace();
        as(ws, "admin").body(Map.of("display_name", "Capped", "max_active_runs", 5))
                .put("/api/v1/workspaces/{ws}", ws).then().statusCode(404).body("error_code", equalTo("WORKSPACE_NOT_REGISTERED"));
        as(ws, "admin").body(Map.of("workspace_id", ws, "display_name", "Capped", "max_active_runs", 9))
                .post("/api/v1/workspaces").then().statusCode(201).body("max_active_runs", equalTo(9));
        as(ws, "editor").body(Map.of("display_name", "Capped", "max_active_runs", 5))
                .put("/api/v1/workspaces/{ws}", ws).then().statusCode(403);
        as(ws, "admin").body(Map.of("display_name", "Capped", "max_active_runs", 0))
                .put("/api/v1/workspaces/{ws}", ws).then().statusCode(400).body("error_code", equalTo("VALIDATION_FAILED"));
        as(ws, "admin").header("If-Match", "\"0\"").body(Map.of("display_name", "Capped", "max_active_runs", 5))
                .put("/api/v1/workspaces/{ws}", ws).then().statusCode(200).body("max_active_runs", equalTo(5))
                .header("ETag", "\"1\"");
        String first = job(ws, "first", Map.of(), List.of(task("select 1", true)));
        String second = job(ws, "second", Map.of(), List.of(task("select 1", true)));
        List<String> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            runs.add(launch(ws, i % 2 == 0 ? first : second));
        }
        for (String run : runs.subList(0, 5)) {
            launchOf(run, 1);
        }
        assertTrue(launches(runs.get(5)).isEmpty() && launches(runs.get(6)).isEmpty(), "runs 6 and 7 wait for a slot");
        workerRuns(runs.get(1), 1, "w1", RunStatus.SUCCESS);
        launchOf(runs.get(5), 1);
        assertTrue(launches(runs.get(6)).isEmpty(), "one slot freed, one run started");
        // Without a cap of its own (and none by default) the workspace's runs are dispatched at once.
        as(ws, "admin").header("If-Match", "\"0\"").body(Map.of("display_name", "Uncapped"))
                .put("/api/v1/workspaces/{ws}", ws).then().statusCode(412).body("error_code", equalTo("VERSION_MISMATCH"));
        as(ws, "admin").body(Map.of("display_name", "Uncapped")).put("/api/v1/workspaces/{ws}", ws).then().statusCode(200)
                .body("max_active_runs", nullValue());
        launchOf(launch(ws, first), 1);
        launchOf(runs.get(6), 1);
    }

    @Test
    void aRunWhoseWorkerFallsSilentIsRetriedAndThenFailsWorkerLost() {
        String ws = uniqueWorkspace();
        String job = job(ws, "fragile", Map.of("retry", Map.of("attempts", 2, "backoff_seconds", 0)), List.of(task("select 1", true)));
        String run = runningOnW1(ws, job);

        // w1 dies: no more heartbeats. The run comes back as attempt 2.
        LaunchCommand retry = launchOf(run, 2);
        assertEquals("retry", retry.trigger());
        heartbeat(run, 2, "w2", "ACCEPTED");
        // w1's late report of attempt 1 is fenced off: it changes nothing.
        send(run, EventTypes.RUN_FINISHED, new RunFinished(run, 1, ws, job, RunStatus.SUCCESS, null, Instant.now(), null, "w1"));
        // w2 dies as well; no attempts are left.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/runs/{id}", ws, run).then()
                .body("status", equalTo("FAILED")).body("error_code", equalTo("WORKER_LOST")).body("attempt", equalTo(2)));
        as(ws, "editor").body(Map.of("description", "editable again")).put(jobPath(ws, job)).then().statusCode(200);
    }

    /**
     * The backstop of the run timeout: a worker that keeps heartbeating but does not stop a run past
     * its {@code run_timeout_seconds} (here the test, which plays it) has the run failed RUN_TIMEOUT by
     * job-api and gets a cancel; its late end changes nothing.
     */
    @Test
    void aRunItsWorkerDoesNotStopAtItsRunTimeoutIsFailedRunTimeoutAndItsWorkerToldToStop() {
        String ws = uniqueWorkspace();
        String job = job(ws, "bounded", Map.of("run_timeout_seconds", 1, "task_timeout_seconds", 600),
                List.of(task("select pg_sleep(60)", true)));
        as(ws, "viewer").get(jobPath(ws, job)).then().statusCode(200).body("execution.run_timeout_seconds", equalTo(1))
                .body("execution.task_timeout_seconds", equalTo(600));
        String run = runningOnW1(ws, job);
        assertEquals(1, launchOf(run, 1).settings().runTimeoutSeconds());

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            heartbeat(run, 1, "w1", "RUNNING");
            return "FAILED".equals(as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, run).then()
                    .extract().path("status"));
        });
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, run).then().body("error_code", equalTo("RUN_TIMEOUT"))
                .body("attempt", equalTo(1));
        for (TopicRecorder topic : List.of(commands, control)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> topic.values(run).stream().map(EventCodec::decode)
                    .anyMatch(e -> e.type().equals(EventTypes.CANCEL) && e.dataAs(CancelCommand.class).attempt() == 1));
        }
        send(run, EventTypes.RUN_FINISHED, new RunFinished(run, 1, ws, job, RunStatus.STOPPED, "cancelled on request",
                Instant.now(), "CANCELLED", "w1"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/runs/{id}", ws, run).then().body("status", equalTo("FAILED"))
                .body("error_code", equalTo("RUN_TIMEOUT")));
    }

    @Test
    void aRunTimeoutOutsideOneSecondToThirtyDaysIsRefusedWithTheField() {
        String ws = uniqueWorkspace();
        String connection = as(ws, "editor").body(postgresConnection("limits-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        for (int seconds : new int[] { 0, -3, 2_592_001 }) {
            as(ws, "editor").body(Map.of("name", "limits", "type", "TABLE_TO_TABLE", "destination_connection_id", connection,
                    "tasks", List.of(task("select 1", true)), "execution", Map.of("run_timeout_seconds", seconds)))
                    .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(400)
                    .body("error_code", equalTo("VALIDATION_FAILED"))
                    .body(org.hamcrest.Matchers.containsString("run_timeout_seconds"));
        }
    }

    /**
     * While the broker is away nobody can hear a worker: supervision must not take that silence for
     * a lost worker (this run has no retry: it would end FAILED WORKER_LOST and its real end would be
     * ignored). Once the broker is back and supervision has heard for the whole window again, a run
     * whose worker stays silent is still judged lost.
     */
    @Test
    void aBrokerOutageLongerThanTheWindowIsNotTakenForALostWorker() {
        String ws = uniqueWorkspace();
        String job = job(ws, "through-outage", Map.of(), List.of(task("select 1", true)));
        String run = runningOnW1(ws, job);

        // Down for more than twice the test profile's worker-lost-after (3 s), with the sweeper running every 500 ms.
        TestInfrastructure.shared().kafka().restart(Duration.ofSeconds(8));
        heartbeat(run, 1, "w1", "RUNNING");
        send(run, EventTypes.RUN_FINISHED, new RunFinished(run, 1, ws, job, RunStatus.SUCCESS, null, Instant.now(), null, "w1"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/runs/{id}", ws, run).then()
                .body("status", equalTo("SUCCESS")).body("attempt", equalTo(1)).body("error_code", nullValue()));

        String silent = launch(ws, job);
        launchOf(silent, 1);
        heartbeat(silent, 1, "w1", "ACCEPTED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/runs/{id}", ws, silent).then()
                .body("status", equalTo("FAILED")).body("error_code", equalTo("WORKER_LOST")));
    }

    @Test
    void cancelStopsAQueuedRunAtOnceAndSendsARunningRunsWorkerItsCancel() {
        String ws = uniqueWorkspace();
        String job = job(ws, "cancellable", Map.of("max_active_runs", 1), List.of(task("select pg_sleep(60)", true)));
        String running = launch(ws, job);
        String waiting = launch(ws, job);
        launchOf(running, 1);
        heartbeat(running, 1, "w1", "ACCEPTED");

        as(ws, "operator").post("/api/v1/workspaces/{ws}/runs/{id}/cancel", ws, waiting).then().statusCode(202)
                .body("status", equalTo("STOPPED"));
        as(ws, "operator").post("/api/v1/workspaces/{ws}/runs/{id}/cancel", ws, running).then().statusCode(202)
                .body("status", equalTo("CANCELLING"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, running).then().body("status", equalTo("CANCELLING"));
        for (TopicRecorder topic : List.of(commands, control)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> topic.values(running).stream().map(EventCodec::decode)
                    .anyMatch(e -> e.type().equals(EventTypes.CANCEL) && e.dataAs(CancelCommand.class).attempt() == 1));
        }
        workerRuns(running, 1, "w1", RunStatus.STOPPED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/runs/{id}", ws, running).then().body("status", equalTo("STOPPED")));
        as(ws, "operator").post("/api/v1/workspaces/{ws}/runs/{id}/cancel", ws, running).then().statusCode(409)
                .body("error_code", equalTo("RUN_ENDED"));
        assertTrue(commands.values(waiting).isEmpty(), "the cancelled queued run was never dispatched");
    }

    /**
     * Cancel of a queued run against its admission, many times over: a job with a cap of one holds
     * run b queued behind a; a's slot is freed, then a launch of c (which admits the waiting runs)
     * and a cancel of b are sent at the same moment. Exactly one may win: a b that the cancel
     * stopped at once ({@code STOPPED}) stays stopped and never gets a launch command; a b admitted
     * first is answered {@code CANCELLING} and its worker gets a cancel.
     */
    @Test
    void aCancelledQueuedRunIsNeverAlsoAdmitted() throws Exception {
        String ws = uniqueWorkspace();
        List<String> stoppedAtOnce = new java.util.ArrayList<>();
        List<String> all = new java.util.ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 25; round++) {
                String job = job(ws, "race-" + round, Map.of("max_active_runs", 1), List.of(task("select 1", true)));
                String a = launch(ws, job);
                String b = launch(ws, job);
                all.addAll(List.of(a, b));
                execute("update api.run set state = 'SUCCESS', finished_at = now() where id = ?::uuid", a);
                var start = new java.util.concurrent.CountDownLatch(1);
                var launchC = pool.submit(() -> {
                    start.await();
                    return launch(ws, job);
                });
                var cancelB = pool.submit(() -> {
                    start.await();
                    return as(ws, "operator").post("/api/v1/workspaces/{ws}/runs/{id}/cancel", ws, b).then()
                            .statusCode(202).extract().<String>path("status");
                });
                start.countDown();
                all.add(launchC.get(30, java.util.concurrent.TimeUnit.SECONDS));
                String answer = cancelB.get(30, java.util.concurrent.TimeUnit.SECONDS);
                String stored = storedValue("select state from api.run where id = ?::uuid", b);
                if (answer.equals("STOPPED")) {
                    stoppedAtOnce.add(b);
                    assertEquals("STOPPED", stored, "round " + round + ": b was answered STOPPED, so it stays stopped");
                } else {
                    assertEquals("CANCELLING", answer, "round " + round);
                    assertEquals("CANCELLING", stored, "round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(!stoppedAtOnce.isEmpty(), "some cancels won the race");
        // Every command written has left the outbox once the relay is drained; then the topic holds them all.
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.parseLong(storedValue(
                "select count(*) from api.outbox where message_key = any(string_to_array(?, ','))", String.join(",", all))) == 0);
        var launched = ApiTestSupport.readAll(Topics.COMMANDS, Duration.ofSeconds(30)).stream()
                .filter(r -> all.contains(r.key())).map(r -> EventCodec.decode(r.value()))
                .filter(e -> e.type().equals(EventTypes.LAUNCH)).map(e -> e.subject()).collect(java.util.stream.Collectors.toSet());
        assertTrue(launched.size() > stoppedAtOnce.size(), "the topic was read: the other runs' launches are there");
        for (String b : stoppedAtOnce) {
            assertTrue(!launched.contains(b), "run " + b + " answered STOPPED but got a launch command");
        }
    }

    @Test
    void aSecondWorkerThatTookAnAttemptAnotherHoldsIsToldToStop() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "fenced", Map.of(), List.of(task("select 1", true)));
        String run = launch(ws, job);
        launchOf(run, 1);
        heartbeat(run, 1, "w1", "ACCEPTED");
        await().atMost(Duration.ofSeconds(10)).until(() -> storedWorker(run) != null);
        heartbeat(run, 1, "w2", "ACCEPTED");
        await().atMost(Duration.ofSeconds(20)).until(() -> control.values(run).stream().map(EventCodec::decode)
                .map(e -> e.dataAs(CancelCommand.class)).anyMatch(c -> "w2".equals(c.workerId()) && c.attempt() == 1));
        assertEquals("w1", storedWorker(run));
    }

    /**
     * /q/metrics: launches and ends are counted by job type, an ended run's duration is recorded, a run
     * held by its job's limit is counted waiting for that reason, and the outbox drains to 0.
     */
    @Test
    void metricsCountLaunchesAndEndsTimeRunsAndSayWhyRunsWait() {
        String ws = uniqueWorkspace();
        String job = job(ws, "measured", Map.of("max_active_runs", 1), List.of(task("select 1", true)));
        Map<String, String> manual = Map.of("job_type", "TABLE_TO_TABLE", "trigger", "manual");
        Map<String, String> succeeded = Map.of("job_type", "TABLE_TO_TABLE", "status", "SUCCESS");
        Map<String, String> jobLimit = Map.of("reason", "job_limit");
        MetricsScrape before = scrape();
        String a = launch(ws, job);
        launchOf(a, 1);
        String b = launch(ws, job);
        assertEquals(2, scrape().sum("jobplane_runs_launched_total", manual) - before.sum("jobplane_runs_launched_total", manual));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
                scrape().sum("jobplane_runs_waiting", jobLimit) > before.sum("jobplane_runs_waiting", jobLimit), "b waits for a's slot"));

        workerRuns(a, 1, "w1", RunStatus.SUCCESS);
        launchOf(b, 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            MetricsScrape now = scrape();
            assertEquals(1, now.sum("jobplane_runs_ended_total", succeeded) - before.sum("jobplane_runs_ended_total", succeeded));
            assertEquals(1, now.sum("jobplane_run_duration_seconds_count", succeeded)
                    - before.sum("jobplane_run_duration_seconds_count", succeeded));
            assertEquals(before.sum("jobplane_runs_waiting", jobLimit), now.sum("jobplane_runs_waiting", jobLimit));
            assertTrue(now.sum("jobplane_runs_waiting", Map.of("reason", "dispatched")) >= 1, "b is dispatched");
            assertTrue(now.sum("jobplane_outbox_relay_lag_seconds_count", Map.of("topic", Topics.COMMANDS))
                    >= before.sum("jobplane_outbox_relay_lag_seconds_count", Map.of("topic", Topics.COMMANDS)) + 2);
            assertEquals(0, now.sum("jobplane_outbox_backlog_rows"));
        });
        MetricsScrape after = scrape();
        assertTrue(after.has("http_server_requests_seconds_count",
                Map.of("method", "POST", "uri", "/api/v1/workspaces/{workspace}/jobs/{job_id}/runs", "status", "202")));
        after.samples().forEach(sample -> sample.labels().values().forEach(value -> assertTrue(
                !value.contains(ws) && !value.contains(job) && !value.contains(a), sample.name() + " " + sample.labels())));
    }

    private static MetricsScrape scrape() {
        return MetricsScrape.parse(io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    // --- the worker's side -----------------------------------------------------------------------

    /** A run launched and started by worker w1 (attempt 1), once job-api shows it RUNNING. */
    private static String runningOnW1(String ws, String job) {
        String run = launch(ws, job);
        launchOf(run, 1);
        heartbeat(run, 1, "w1", "ACCEPTED");
        send(run, EventTypes.RUN_STARTED, new RunStarted(run, 1, ws, job, "w1", Instant.now()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/runs/{id}", ws, run).then().body("status", equalTo("RUNNING")));
        return run;
    }

    private static void workerRuns(String run, int attempt, String worker, RunStatus end) {
        heartbeat(run, attempt, worker, "ACCEPTED");
        send(run, EventTypes.RUN_STARTED, new RunStarted(run, attempt, "ws", "job", worker, Instant.now()));
        send(run, EventTypes.RUN_FINISHED, new RunFinished(run, attempt, "ws", "job", end,
                end == RunStatus.SUCCESS ? null : "it ended " + end, Instant.now(), end == RunStatus.SUCCESS ? null : end.name(), worker));
    }

    private static void heartbeat(String run, int attempt, String worker, String state) {
        send(run, EventTypes.RUN_HEARTBEAT, new RunHeartbeat(run, attempt, "ws", "job", worker, state, Instant.now()));
    }

    private static void send(String run, String type, Object payload) {
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, run,
                EventCodec.encode(CloudEvent.of("/test/worker", type, run, payload)));
    }

    private static LaunchCommand launchOf(String run, int attempt) {
        await().atMost(Duration.ofSeconds(30)).until(() -> launches(run).stream().anyMatch(l -> l.attempt() == attempt));
        return launches(run).stream().filter(l -> l.attempt() == attempt).findFirst().orElseThrow();
    }

    private static List<LaunchCommand> launches(String run) {
        return commands.values(run).stream().map(EventCodec::decode).filter(e -> e.type().equals(EventTypes.LAUNCH))
                .map(e -> e.dataAs(LaunchCommand.class)).toList();
    }

    // --- fixtures --------------------------------------------------------------------------------

    private static String job(String ws, String name, Map<String, Object> execution, List<Map<String, Object>> tasks) {
        String connection = as(ws, "editor").body(postgresConnection(name + "-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connection, "tasks", tasks));
        if (!execution.isEmpty()) {
            body.put("execution", execution);
        }
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201)
                .extract().path("job_id");
    }

    private static Map<String, Object> task(String query, boolean active) {
        return Map.of("query", query, "is_active", active);
    }

    private static String launch(String ws, String job) {
        return as(ws, "operator").post(jobPath(ws, job) + "/runs").then().statusCode(202).extract().path("run_id");
    }

    private static String jobPath(String ws, String job) {
        return "/api/v1/workspaces/" + ws + "/jobs/" + job;
    }

    private static void execute(String sql, String id) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var st = c.prepareStatement(sql)) {
            st.setString(1, id);
            assertEquals(1, st.executeUpdate());
        }
    }

    private static String storedValue(String sql, String id) throws Exception {
        return ApiTestSupport.storedValue(sql, id);
    }

    private static String storedWorker(String run) throws Exception {
        return ApiTestSupport.storedValue("select worker_id from api.run where id = ?::uuid", run);
    }
}
