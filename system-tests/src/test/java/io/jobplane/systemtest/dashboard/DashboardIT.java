package io.jobplane.systemtest.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.stack.Platform;
import io.jobplane.stack.TopicRecorder;
import io.jobplane.systemtest.SystemPlatform;
import io.jobplane.systemtest.WorkspaceCalls;
import io.restassured.response.Response;

/**
 * The live dashboard end to end: the platform's four services as processes on a real Kafka broker and
 * PostgreSQL, a real headless Chromium on job-api's {@code /dashboard/}, runs launched through the API,
 * and the run stream ({@code GET …/runs/stream}) it reads: what the page shows and how fast, the
 * stream's checks (401, 404, 429), and a resume with Last-Event-ID.
 */
class DashboardIT {

    private static final String WS = "ops";
    private static final String CANARY = "dash-canary-7c2e-secret";
    private static final String TENANT = "dash_tenant";
    /** Tenant text that would run as script if the page put it into HTML. */
    private static final String HOSTILE = "<img src=x onerror=\"window.__xss=1\">boom";
    private static final String CHROMIUM = System.getProperty("jobplane.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("jobplane.chromedriver", "/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    private static Platform platform;
    private static WorkspaceCalls calls;
    private static TopicRecorder runEvents;
    private static ChromeDriver browser;
    private static ChromeDriverService driverService;
    private static String connectionId;
    private static Path userDataDir;

    @BeforeAll
    static void start() throws Exception {
        platform = SystemPlatform.startOnFreePorts("dashboard", Map.of(
                "jobplane.run-stream.max-streams-per-token", "3",
                "jobplane.run-stream.heartbeat", "1s"));
        calls = new WorkspaceCalls(platform, WS);
        String targetDb = "dash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        platform.tenant().createDatabase(targetDb, TENANT, CANARY);
        var pg = platform.tenant();
        String jdbcUrl = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + targetDb;
        connectionId = calls.api().body(Map.of("name", "warehouse", "type", "postgresql", "jdbc_url", jdbcUrl,
                "username", TENANT, "password", CANARY)).post("/api/v1/workspaces/{ws}/connections", WS)
                .then().statusCode(201).extract().path("connection_id");
        runEvents = TopicRecorder.record(platform.kafka().access(), Topics.RUN_EVENTS);
        await().atMost(Duration.ofSeconds(30)).until(runEvents::caughtUp);
        Files.createDirectories(SCREENSHOTS);
        // A fresh profile each time, under target/.
        userDataDir = Files.createDirectories(Path.of("target/chromium-profile-" + UUID.randomUUID()).toAbsolutePath());
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1100", "--user-data-dir=" + userDataDir);
        browser = new ChromeDriver(driverService, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        if (runEvents != null) {
            runEvents.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aRunAppearsRunningAndEndsSuccessOnThePageWithinTwoSecondsOfItsEvent() throws Exception {
        String jobId = createJob("nightly-orders", List.of(
                "create table if not exists orders (id int primary key, note text)",
                "select pg_sleep(3)",
                "insert into orders select g, 'order ' || g from generate_series(1, 250) g on conflict do nothing"));
        String failingJob = createJob("broken-load", List.of(
                "do $$ begin raise exception '" + HOSTILE.replace("'", "''") + "'; end $$"));
        openDashboard("viewer-1");

        String runId = calls.launch(jobId);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> "RUNNING".equals(text("#active tr[data-run-id='" + runId + "'] td:nth-child(3) .status")));
        assertEquals("nightly-orders", text("#active tr[data-run-id='" + runId + "'] td.job"));
        screenshot("dashboard-running");

        ConsumerRecord<String, String> finished = awaitEvent(runId, EventTypes.RUN_FINISHED);
        assertTrue(finished.value().contains("\"status\":\"SUCCESS\""), finished.value());
        long eventAt = finished.timestamp();
        long remaining = Math.max(0, eventAt + 2000 - System.currentTimeMillis());
        await().atMost(Duration.ofMillis(remaining)).pollInterval(Duration.ofMillis(20))
                .until(() -> "SUCCESS".equals(text("#ended tr[data-run-id='" + runId + "'] .status")));
        long latency = System.currentTimeMillis() - eventAt;
        System.out.printf("dashboard: run.finished on Kafka at %d, SUCCESS on the page %d ms later%n", eventAt, latency);
        assertTrue(latency <= 2000, "the page showed SUCCESS " + latency + " ms after the event");
        assertEquals(null, text("#active tr[data-run-id='" + runId + "']"), "an ended run leaves the active runs");
        assertEquals("SUCCESS", text("#jobs tr[data-job-id='" + jobId + "'] .status"));

        String failedRun = calls.launch(failingJob);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> text("#failures li[data-run-id='" + failedRun + "'] pre.error") != null);
        String error = text("#failures li[data-run-id='" + failedRun + "'] pre.error");
        assertTrue(error.contains(HOSTILE), "the failure shows the database's error text as text: " + error);
        assertEquals("FAILED", text("#ended tr[data-run-id='" + failedRun + "'] .status"));
        assertEquals(Boolean.TRUE, js("return window.__xss === undefined && document.querySelectorAll('#failures img').length === 0"),
                "tenant text must never become HTML");
        screenshot("dashboard");

        // A click on the run shows its log, read from GET …/runs/{run_id}/logs (the failure is logged at ERROR).
        // (by script: the list is drawn anew every second, an element found a moment earlier may be gone)
        js("document.querySelector(arguments[0]).click()", "#failures li[data-run-id='" + failedRun + "'] a.run-link");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String log = text("#log-lines");
            return log != null && log.contains("ERROR") && log.contains(HOSTILE);
        });
        assertEquals(Boolean.TRUE, js("return window.__xss === undefined && document.querySelectorAll('#log-lines img').length === 0"));
        assertFalse(text("#log-lines").contains(CANARY));
        screenshot("dashboard-log");
    }

    @Test
    void theStreamRefusesAnotherWorkspaceAndNoTokenAndCapsStreamsPerToken() throws Exception {
        String stream = platform.apiUrl() + "/api/v1/workspaces/" + WS + "/runs/stream";
        Response other = given().header("Accept", "text/event-stream")
                .auth().oauth2(platform.mintToken("intruder", Map.of("elsewhere", "admin")))
                .get(stream);
        WorkspaceCalls.expectError(other, 404, "WORKSPACE_NOT_FOUND");
        Response anonymous = given().header("Accept", "text/event-stream").get(stream);
        anonymous.then().statusCode(401);

        String greedy = platform.mintToken("greedy", Map.of(WS, "viewer"));
        try (SseClient a = SseClient.open(stream, greedy, null); SseClient b = SseClient.open(stream, greedy, null);
                SseClient c = SseClient.open(stream, greedy, null)) {
            Response fourth = given().header("Accept", "text/event-stream").auth().oauth2(greedy).get(stream);
            WorkspaceCalls.expectError(fourth, 429, "TOO_MANY_STREAMS");
            // Heartbeat comments keep an idle stream open through proxies.
            await().atMost(Duration.ofSeconds(10)).until(() -> a.comments() >= 2);
        }
        // Closed streams give their places back.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            try (SseClient again = SseClient.open(stream, greedy, null)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> !again.events().isEmpty());
                assertEquals("stream.ready", again.events().get(0).name());
            }
        });

        Response badId = given().header("Accept", "text/event-stream").header("Last-Event-ID", "not-an-id")
                .auth().oauth2(greedy).get(stream);
        WorkspaceCalls.expectError(badId, 400, "INVALID_LAST_EVENT_ID");
    }

    @Test
    void aClientThatReconnectsWithLastEventIdIsReplayedWhatItMissed() throws Exception {
        String jobId = createJob("resumed-job", List.of("select 1", "select 2"));
        String token = platform.mintToken("resumer", Map.of(WS, "viewer"));
        String stream = platform.apiUrl() + "/api/v1/workspaces/" + WS + "/runs/stream";

        String lastId;
        try (SseClient first = SseClient.open(stream, token, null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> first.lastEventId() != null);
            lastId = first.lastEventId();
        }
        // Missed while disconnected: a whole run.
        String runId = calls.launch(jobId);
        calls.awaitTerminal(runId).body("status", equalTo("SUCCESS"));
        awaitEvent(runId, EventTypes.RUN_FINISHED);

        try (SseClient resumed = SseClient.open(stream, token, lastId)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> resumed.events().stream().anyMatch(e -> e.name().equals("stream.ready")));
            List<String> types = resumed.ofRun(runId).stream().map(SseClient.Event::name).toList();
            assertEquals(EventTypes.RUN_QUEUED, types.get(0), "replayed from the start of the run: " + types);
            assertEquals(EventTypes.RUN_FINISHED, types.get(types.size() - 1), types.toString());
            assertTrue(types.contains(EventTypes.RUN_STARTED) && types.contains(EventTypes.TASK_FINISHED), types.toString());
            // Each replayed event is the CloudEvent as on Kafka, all of the run's up to its end, in order.
            List<String> kafkaIds = untilFinished(runEvents.matching(r -> runId.equals(r.key())
                    && !r.value().contains("\"type\":\"" + EventTypes.RUN_LOG + "\"")).stream().map(ConsumerRecord::value).toList());
            List<String> streamIds = untilFinished(resumed.ofRun(runId).stream().map(SseClient.Event::data).toList());
            assertEquals(kafkaIds, streamIds);
            // The replay ends where live events take over, and every event has an id to resume from.
            List<SseClient.Event> all = resumed.events();
            assertEquals("stream.ready", all.get(all.size() - 1).name());
            all.forEach(e -> assertNotNull(e.id(), "event without id: " + e));

            // Live again: the next run arrives on the same stream, not replayed twice.
            String next = calls.launch(jobId);
            await().atMost(Duration.ofSeconds(60)).until(() -> resumed.ofRun(next).stream()
                    .anyMatch(e -> e.name().equals(EventTypes.RUN_FINISHED)));
            assertEquals(1, resumed.ofRun(runId).stream().filter(e -> e.name().equals(EventTypes.RUN_FINISHED)).count());
        }
        // Nothing on the stream is a secret: run events carry none.
        calls.api().get("/api/v1/workspaces/{ws}/runs/{run}", WS, runId).then().body(org.hamcrest.Matchers.not(containsString(CANARY)));
    }

    /** The CloudEvent ids of the events up to and including the run's end. */
    private static List<String> untilFinished(List<String> cloudEvents) {
        List<String> ids = new java.util.ArrayList<>();
        for (String e : cloudEvents) {
            ids.add(idOf(e));
            if (e.contains("\"type\":\"" + EventTypes.RUN_FINISHED + "\"")) {
                break;
            }
        }
        return ids;
    }

    private static String idOf(String cloudEvent) {
        int at = cloudEvent.indexOf("\"id\":\"");
        return cloudEvent.substring(at + 6, cloudEvent.indexOf('"', at + 6));
    }

    private static ConsumerRecord<String, String> awaitEvent(String runId, String type) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10)).until(() -> !runEvents
                .matching(r -> runId.equals(r.key()) && r.value().contains("\"type\":\"" + type + "\"")).isEmpty());
        return runEvents.matching(r -> runId.equals(r.key()) && r.value().contains("\"type\":\"" + type + "\"")).get(0);
    }

    private static String createJob(String name, List<String> queries) {
        return calls.api().body(Map.of("name", name, "type", "TABLE_TO_TABLE", "destination_connection_id", connectionId,
                        "tasks", queries.stream().map(q -> Map.of("query", q)).toList()))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
    }

    /** Opens the dashboard and signs in with a viewer token, as a person pasting it would. */
    private static void openDashboard(String subject) {
        browser.get(platform.apiUrl() + "/dashboard/");
        browser.findElement(By.id("token")).sendKeys(platform.mintToken(subject, Map.of(WS, "viewer")));
        browser.findElement(By.id("workspace")).clear();
        browser.findElement(By.id("workspace")).sendKeys(WS);
        browser.findElement(By.id("connect-button")).click();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "live".equals(text("#connection")));
    }

    /** The text of the first element the selector finds, or null. */
    private static String text(String selector) {
        Object text = js("var e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector);
        return text == null ? null : text.toString();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }
}
