package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.sun.net.httpserver.HttpServer;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Run-end notifications against real parts: the test plays the worker by publishing
 * {@code jobplane.run.finished} on the broker; mails arrive at a real SMTP server (GreenMail) and
 * webhook POSTs at a real HTTP server that answers as the test scripts it.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MailServerResource.class, restrictToAnnotatedClass = false)
class NotificationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec-" + "0123456789abcdef";

    private static HttpServer receiver;
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();

    record Received(String path, Map<String, String> headers, String body, long atNanos) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            long at = System.nanoTime();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, headers, body, at));
            Deque<Integer> script = scripted.get(path);
            Integer code = script == null ? null : script.poll();
            exchange.sendResponseHeaders(code == null ? 200 : code, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void aFailedRunMailsItsRecipientsOnceAndItsWebhooksGetASignedSummaryOnce() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "nightly-" + ws, Map.of("send_email", true, "email_to", List.of("ops@" + ws + ".test", "lead@" + ws + ".test")));
        String wsHook = webhook("/api/v1/workspaces/{ws}/webhooks", ws, null, "/" + ws + "/all-failures", List.of("FAILED"));
        String jobHook = webhook("/api/v1/workspaces/{ws}/jobs/{job}/webhooks", ws, job, "/" + ws + "/job", null);
        String run = launch(ws, job);

        RunFinished end = new RunFinished(run, 1, ws, job, RunStatus.FAILED, "task 0 failed: relation \"x\" does not exist",
                Instant.now(), "TASK_FAILED", "w1");
        finish(run, end);
        List<MimeMessage> mails = awaitMails(ws, 1);
        MimeMessage mail = mails.get(0);
        assertEquals("jobplane: nightly-" + ws + " FAILED", mail.getSubject());
        assertEquals(List.of("ops@" + ws + ".test", "lead@" + ws + ".test"),
                List.of(mail.getRecipients(Message.RecipientType.TO)).stream().map(Object::toString).toList());
        String text = GreenMailUtil.getBody(mail);
        assertTrue(text.contains(run) && text.contains("TASK_FAILED") && text.contains("relation \"x\" does not exist"), text);

        Received toWorkspace = awaitPosts("/" + ws + "/all-failures", 1).get(0);
        Received toJob = awaitPosts("/" + ws + "/job", 1).get(0);
        for (Received post : List.of(toWorkspace, toJob)) {
            assertValidSignature(post);
            JsonNode summary = JSON.readTree(post.body());
            assertEquals("run.finished", summary.get("event").asText());
            assertEquals(run, summary.get("run_id").asText());
            assertEquals("FAILED", summary.get("status").asText());
            assertEquals("TASK_FAILED", summary.get("error_code").asText());
            assertEquals("nightly-" + ws, summary.get("job_name").asText());
            assertEquals("run.finished", post.header("X-Jobplane-Event"));
            assertFalse(post.body().contains(SECRET) || post.headers().toString().contains(SECRET));
        }

        // The run-finished event again (a redelivery), then a run of a second job on the same partition:
        // once the second run's mail is here, the redelivery was handled, and sent nothing.
        String quiet = job(ws, "quiet-" + ws, Map.of("send_email", true, "email_to", List.of("quiet@" + ws + ".test"),
                "email_error_only", true, "email_subject", "Quiet job " + ws));
        String succeeded = launch(ws, quiet);
        String failed = launch(ws, quiet);
        finish(run, end);
        finish(run, new RunFinished(succeeded, 1, ws, quiet, RunStatus.SUCCESS, null, Instant.now(), null, "w1"));
        finish(run, new RunFinished(failed, 1, ws, quiet, RunStatus.FAILED, "it broke", Instant.now(), "TASK_FAILED", "w1"));
        List<MimeMessage> all = awaitMails(ws, 3);
        assertEquals(List.of("jobplane: nightly-" + ws + " FAILED", "jobplane: nightly-" + ws + " FAILED", "Quiet job " + ws),
                all.stream().map(NotificationsIT::subject).toList(),
                "the first mail once to each of its two recipients, and for the quiet job only its failed run");
        awaitPosts("/" + ws + "/all-failures", 2);
        assertEquals(1, posts("/" + ws + "/job").size(), "the job's webhook was not called again");
        assertEquals(List.of(run, failed), posts("/" + ws + "/all-failures").stream()
                .map(p -> read(p.body()).get("run_id").asText()).toList(), "the workspace's FAILED-only webhook skipped the success");

        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{run}/notifications", ws, succeeded).then().statusCode(200)
                .body("", hasSize(0));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{run}/notifications", ws, run).then().statusCode(200)
                .body("", hasSize(3)).body("find { it.channel == 'EMAIL' }.recipients", hasSize(2))
                .body("find { it.channel == 'EMAIL' }.status", equalTo("DELIVERED"))
                .body("find { it.webhook_id == '" + jobHook + "' }.attempts[0].response_code", equalTo(200));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/webhooks/{id}/deliveries", ws, wsHook).then().statusCode(200)
                .body("", hasSize(2)).body("[0].run_id", equalTo(failed)).body("[1].run_id", equalTo(run));
    }

    @Test
    void aWebhookAnsweringErrorsIsTriedAgainWithGrowingGapsAndEveryTryIsListed() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "flaky-" + ws, Map.of());
        scripted.put("/" + ws + "/flaky", new ArrayDeque<>(List.of(500, 503, 429)));
        scripted.put("/" + ws + "/gone", new ArrayDeque<>(List.of(410)));
        String flaky = webhook("/api/v1/workspaces/{ws}/webhooks", ws, null, "/" + ws + "/flaky", null);
        String gone = webhook("/api/v1/workspaces/{ws}/jobs/{job}/webhooks", ws, job, "/" + ws + "/gone", null);
        String run = launch(ws, job);
        finish(run, new RunFinished(run, 1, ws, job, RunStatus.SUCCESS, null, Instant.now(), null, "w1"));

        List<Received> tries = awaitPosts("/" + ws + "/flaky", 4);
        long first = (tries.get(1).atNanos() - tries.get(0).atNanos()) / 1_000_000;
        long second = (tries.get(2).atNanos() - tries.get(1).atNanos()) / 1_000_000;
        long third = (tries.get(3).atNanos() - tries.get(2).atNanos()) / 1_000_000;
        assertTrue(first >= 250 && second > first && third > second, "gaps grow: " + first + ", " + second + ", " + third + " ms");
        assertEquals(1, tries.stream().map(t -> t.header("X-Jobplane-Delivery")).distinct().count(),
                "every try carries the same delivery id");
        for (Received t : tries) {
            assertValidSignature(t);
        }
        assertEquals(1, tries.stream().map(Received::body).distinct().count(), "every try sends the same summary");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/webhooks/{id}/deliveries", ws, flaky).then().statusCode(200)
                .body("", hasSize(1)).body("[0].status", equalTo("DELIVERED")).body("[0].run_id", equalTo(run))
                .body("[0].attempts.response_code", equalTo(List.of(500, 503, 429, 200)))
                .body("[0].attempts.outcome", equalTo(List.of("RETRY", "RETRY", "RETRY", "DELIVERED")))
                .body("[0].attempts[0].error", equalTo("HTTP 500")));
        // A 4xx other than 408, 425 and 429 refuses the delivery: tried once, never again.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/webhooks/{id}/deliveries", ws, gone).then().statusCode(200)
                .body("[0].status", equalTo("FAILED")).body("[0].attempts.outcome", equalTo(List.of("FAILED")))
                .body("[0].attempts[0].response_code", equalTo(410)));
        assertEquals(1, posts("/" + ws + "/gone").size());
    }

    @Test
    void webhooksToRefusedAddressesAreRefusedWhenSavedOrWhenSent() throws Exception {
        String ws = uniqueWorkspace();
        as(ws, "editor").body(Map.of("url", "http://169.254.169.254/latest/meta-data/", "secret", SECRET))
                .post("/api/v1/workspaces/{ws}/webhooks", ws).then().statusCode(400)
                .body("error_code", equalTo("EGRESS_DENIED")).body("error_msg", containsString("cloud metadata"));
        int platformPort = TestInfrastructure.shared().postgres().port();
        as(ws, "editor").body(Map.of("url", "http://localhost:" + platformPort + "/", "secret", SECRET))
                .post("/api/v1/workspaces/{ws}/webhooks", ws).then().statusCode(400)
                .body("error_code", equalTo("EGRESS_DENIED")).body("error_msg", containsString("platform"));
        // A name is looked up when the delivery connects: this machine's name reaches the platform database.
        String name = java.net.InetAddress.getLocalHost().getHostName();
        org.junit.jupiter.api.Assumptions.assumeTrue(java.net.InetAddress.getByName(name).isLoopbackAddress()
                || java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getByName(name)) != null);
        String job = job(ws, "denied-" + ws, Map.of());
        String hook = read(as(ws, "editor").body(Map.of("url", "http://" + name + ":" + platformPort + "/hook", "secret", SECRET))
                .post("/api/v1/workspaces/{ws}/webhooks", ws).then().statusCode(201).extract().asString())
                .get("webhook_id").asText();
        String run = launch(ws, job);
        finish(run, new RunFinished(run, 1, ws, job, RunStatus.SUCCESS, null, Instant.now(), null, "w1"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(ws, "viewer")
                .get("/api/v1/workspaces/{ws}/webhooks/{id}/deliveries", ws, hook).then().statusCode(200)
                .body("[0].status", equalTo("FAILED")).body("[0].attempts.outcome", equalTo(List.of("FAILED")))
                .body("[0].attempts[0].response_code", equalTo(null))
                .body("[0].attempts[0].error", containsString("EGRESS_DENIED")));
    }

    @Test
    void badWebhooksAreRefusedWithClearErrorsChangeNothingAndSecretsNeverShow() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "hooks-" + ws, Map.of());
        String hooks = "/api/v1/workspaces/{ws}/webhooks";
        for (String url : List.of("ftp://files.example.com/in", "not a url", "https://user:pw@hooks.example.com/x", "https:///nohost")) {
            as(ws, "editor").body(Map.of("url", url, "secret", SECRET)).post(hooks, ws).then().statusCode(400)
                    .body("error_code", equalTo("INVALID_WEBHOOK_URL"));
        }
        as(ws, "editor").body(Map.of("url", "https://hooks.example.com/x", "secret", "short")).post(hooks, ws).then()
                .statusCode(400).body("error_code", equalTo("VALIDATION_FAILED"));
        as(ws, "editor").body(Map.of("url", "https://hooks.example.com/x", "secret", SECRET, "events", List.of("DONE")))
                .post(hooks, ws).then().statusCode(400).body("error_code", equalTo("INVALID_ENUM_VALUE"));
        as(ws, "editor").body(Map.of("url", "https://hooks.example.com/x", "secret", SECRET))
                .post("/api/v1/workspaces/{ws}/jobs/{job}/webhooks", ws, java.util.UUID.randomUUID()).then().statusCode(404)
                .body("error_code", equalTo("JOB_NOT_FOUND"));
        as(ws, "viewer").get(hooks, ws).then().statusCode(200).body("", hasSize(0));

        String id = webhook(hooks, ws, null, "/" + ws + "/kept", List.of("FAILED", "STOPPED"));
        String jobHook = webhook("/api/v1/workspaces/{ws}/jobs/{job}/webhooks", ws, job, "/" + ws + "/job", null);
        String list = as(ws, "viewer").get(hooks, ws).then().statusCode(200).body("", hasSize(2))
                .body("find { it.webhook_id == '" + id + "' }.events", equalTo(List.of("FAILED", "STOPPED")))
                .body("find { it.webhook_id == '" + jobHook + "' }.job_id", equalTo(job)).extract().asString();
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}/webhooks", ws, job).then().statusCode(200)
                .body("webhook_id", equalTo(List.of(jobHook)));
        String one = as(ws, "viewer").get(hooks + "/{id}", ws, id).then().statusCode(200).body("secret_set", equalTo(true))
                .extract().asString();
        String audit = as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body("find { it.object_id == '" + id + "' }.details.secret", equalTo("(changed)")).extract().asString();
        String stored = ApiTestSupport.storedValue("select secret from api.webhook where id = ?::uuid", id);
        for (String text : List.of(list, one, audit, stored)) {
            assertFalse(text.contains(SECRET), "the secret shows in " + text);
        }
        as(ws, "editor").delete(hooks + "/{id}", ws, id).then().statusCode(204);
        as(ws, "viewer").get(hooks + "/{id}", ws, id).then().statusCode(404).body("error_code", equalTo("WEBHOOK_NOT_FOUND"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then()
                .body("find { it.action == 'webhook.deleted' }.object_id", equalTo(id));
    }

    // --- the worker's side and the receivers ----------------------------------------------------

    private static void finish(String key, RunFinished end) {
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, key,
                EventCodec.encode(CloudEvent.of("/test/worker", EventTypes.RUN_FINISHED, end.runId(), end)));
    }

    private static void assertValidSignature(Received post) throws Exception {
        String timestamp = post.header("X-Jobplane-Timestamp");
        assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 300, "a fresh timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + post.body())
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, post.header("X-Jobplane-Signature"));
    }

    private static List<Received> posts(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private static List<Received> awaitPosts(String path, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> posts(path).size() >= count);
        return posts(path);
    }

    /** Mails to the workspace's recipients: one per recipient, as SMTP delivers them. */
    private static List<MimeMessage> awaitMails(String ws, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> mails(ws).size() >= count);
        return mails(ws);
    }

    private static List<MimeMessage> mails(String ws) {
        return List.of(MailServerResource.server().getReceivedMessages()).stream()
                .filter(m -> GreenMailUtil.getHeaders(m).contains("@" + ws + ".test")).toList();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // --- fixtures --------------------------------------------------------------------------------

    private static String job(String ws, String name, Map<String, Object> notifications) {
        String connection = as(ws, "editor").body(postgresConnection(name + "-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connection, "tasks", List.of(Map.of("query", "select 1"))));
        if (!notifications.isEmpty()) {
            body.put("notifications", notifications);
        }
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201)
                .extract().path("job_id");
    }

    private static String webhook(String path, String ws, String job, String receiverPath, List<String> events) {
        Map<String, Object> body = new HashMap<>(Map.of("url",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + receiverPath, "secret", SECRET));
        if (events != null) {
            body.put("events", events);
        }
        Object[] params = job == null ? new Object[] { ws } : new Object[] { ws, job };
        String response = as(ws, "editor").body(body).post(path, params).then().statusCode(201)
                .body("secret_set", equalTo(true)).extract().asString();
        assertFalse(response.contains(SECRET));
        return read(response).get("webhook_id").asText();
    }

    private static String launch(String ws, String job) {
        return as(ws, "operator").post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, job).then().statusCode(202)
                .extract().path("run_id");
    }
}
