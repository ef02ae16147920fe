package io.jobplane.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.stack.Platform;
import io.jobplane.stack.cli.JobplaneCli;
import io.jobplane.stack.cli.user.UserContext;

/**
 * The user commands of {@code ./jobplane} (login, jobs, runs) against the whole platform: the CLI runs
 * in this JVM with its own environment, home and standard input, the platform as real processes.
 */
@ExtendWith(SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserCliIT {

    private static final String WS = "cli";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Platform platform;
    private static WorkspaceCalls calls;
    private static String connectionId;

    @TempDir
    static Path home;

    private static final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SharedPlatform.platform();
        calls = new WorkspaceCalls(platform, WS);
        String db = "cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String password = UUID.randomUUID().toString().replace("-", "");
        platform.tenant().createDatabase(db, "cli_owner", password);
        var pg = platform.tenant();
        connectionId = calls.api().body(Map.of("name", "warehouse", "type", "postgresql", "jdbc_url", pg.jdbcUrl(db),
                "username", "cli_owner", "password", password))
                .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(201).extract().path("connection_id");
        // The CLI finds the platform as it finds a local stack: its state folder (keys) and its API port.
        env.put("JOBPLANE_STATE_DIR", platform.logDir().getParent().toString());
        env.put("JOBPLANE_API_PORT", String.valueOf(URI.create(platform.apiUrl()).getPort()));
        env.put("JOBPLANE_CONFIG", home.resolve("config/jobplane.json").toString());
    }


    @Test
    @Order(1)
    void loginStoresAnOwnerOnlyConfigAndNeverPrintsTheToken() throws Exception {
        Path config = home.resolve("config/jobplane.json");
        // A token the API refuses is not stored; the API's error reaches the user with its fix.
        Result refused = cli("login", "--workspace", WS, "--token", "not-a-token");
        assertEquals(3, refused.exit, refused.all());
        assertTrue(refused.errors.contains("UNAUTHENTICATED (HTTP 401)") && refused.errors.contains("fix:"), refused.errors);
        assertFalse(Files.exists(config));

        String operator = platform.mintToken("ada", Map.of(WS, "operator"));
        Result viaStdin = cliWithInput(operator + "\n", "login", "--token-stdin");
        assertEquals(0, viaStdin.exit, viaStdin.all());
        assertTrue(viaStdin.output.contains("workspace " + WS + ", role operator"), viaStdin.output);
        assertFalse(viaStdin.all().contains(operator), "the token is never printed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));

        // Without a token, on the local stack's machine: a dev token made with its key (admin of the workspace).
        Result local = cli("login", "--workspace", WS);
        assertEquals(0, local.exit, local.all());
        assertTrue(local.output.contains("a dev token of the local stack") && local.output.contains("role admin"), local.output);
        JsonNode stored = JSON.readTree(config.toFile());
        assertEquals(platform.apiUrl(), stored.path("url").asText());
        assertEquals(WS, stored.path("workspace").asText());
        assertFalse(local.all().contains(stored.path("token").asText()), "the token is never printed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
    }

    @Test
    @Order(2)
    void applyCreatesThenLeavesAloneThenUpdatesAndListAndGetShowTheJob() throws Exception {
        Path file = home.resolve("load-customers.json");
        Files.writeString(file, job("load-customers", "first version", List.of(
                "create table if not exists customers (id int primary key, name text)",
                "insert into customers values (1, 'Ada') on conflict do nothing")));
        Result created = cli("jobs", "apply", "-f", file.toString());
        assertEquals(0, created.exit, created.all());
        assertTrue(created.output.startsWith("job load-customers created ("), created.output);
        Result again = cli("jobs", "apply", "-f", file.toString());
        assertTrue(again.output.startsWith("job load-customers unchanged"), again.output);

        Files.writeString(file, job("load-customers", "second version", List.of(
                "create table if not exists customers (id int primary key, name text)",
                "insert into customers values (1, 'Ada') on conflict do nothing",
                "insert into customers values (2, 'Grace') on conflict do nothing")));
        Result updated = cli("jobs", "apply", "-f", file.toString());
        assertEquals(0, updated.exit, updated.all());
        assertTrue(updated.output.contains("updated") && updated.output.contains("description; tasks: 0 changed, 1 added, 0 removed"),
                updated.output);
        String jobId = jobId("load-customers");
        calls.api().get("/api/v1/workspaces/{ws}/jobs/{job}", WS, jobId).then().statusCode(200)
                .body("description", org.hamcrest.Matchers.equalTo("second version"))
                .body("tasks", org.hamcrest.Matchers.hasSize(3));

        Result table = cli("jobs", "list");
        assertEquals(0, table.exit, table.all());
        assertTrue(table.output.startsWith("NAME "), table.output);
        assertTrue(table.output.lines().anyMatch(l -> l.startsWith("load-customers ") && l.contains("TABLE_TO_TABLE")
                && l.contains(jobId)), table.output);
        JsonNode listed = JSON.readTree(cli("jobs", "list", "--output", "json").output);
        assertEquals(jobId, listed.path("jobs").get(0).path("job_id").asText());

        Result get = cli("jobs", "get", "load-customers");
        assertTrue(get.output.contains("second version") && get.output.contains("INDEX  ACTIVE")
                && get.output.contains("insert into customers values (2, 'Grace')"), get.output);
        assertEquals(3, JSON.readTree(cli("jobs", "get", jobId, "-o", "json").output).path("tasks").size());

        Result missing = cli("jobs", "get", "no-such-job");
        assertEquals(3, missing.exit);
        assertTrue(missing.errors.contains("no job named 'no-such-job'"), missing.errors);
        assertFalse(missing.errors.contains("Exception"), missing.errors);
    }

    @Test
    @Order(3)
    void launchFollowExitsZeroOnSuccessAndOneOnFailureWithTheLogTail() throws Exception {
        Result ok = cli("runs", "launch", "load-customers", "--follow");
        assertEquals(0, ok.exit, ok.all());
        assertTrue(ok.output.lines().anyMatch(l -> l.matches("\\s+task 2\\s+SUCCESS\\s+rows 1\\b.*")), ok.output);
        assertTrue(ok.output.contains("SUCCESS in "), ok.output);

        Files.writeString(home.resolve("broken.json"), job("broken", "fails", List.of("select 1", "select 1/0")));
        assertEquals(0, cli("jobs", "apply", "-f", home.resolve("broken.json").toString()).exit);
        Result failed = cli("runs", "launch", "broken", "--follow", "--tail", "5");
        assertEquals(1, failed.exit, failed.all());
        assertTrue(failed.output.contains("FAILED"), failed.output);
        assertTrue(failed.output.contains("--- log"), "the end of the log follows:\n" + failed.output);
        String tail = failed.output.substring(failed.output.indexOf("--- log"));
        assertTrue(tail.contains("division by zero"), "the log tail shows why:\n" + failed.output);

        // One Idempotency-Key, one run, however often the launch is sent.
        String first = runIdOf(cli("runs", "launch", "broken", "--idempotency-key", "nightly-1", "-o", "json"));
        Result replay = cli("runs", "launch", "broken", "--idempotency-key", "nightly-1");
        assertTrue(replay.output.contains(first) && replay.output.contains("earlier launch with this key"), replay.output);
        calls.awaitTerminal(first);
    }

    @Test
    @Order(4)
    void runsListFiltersByStatusAndTime() throws Exception {
        // History comes from the run read model, a moment after the run ended.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(2,
                JSON.readTree(cli("runs", "list", "--job", "broken", "-o", "json").output).path("runs").size()));
        JsonNode failed = JSON.readTree(cli("runs", "list", "--job", "broken", "--status", "FAILED", "--since", "1h", "-o", "json").output);
        assertEquals(2, failed.path("runs").size());
        failed.path("runs").forEach(r -> assertEquals("FAILED", r.path("status").asText()));
        assertEquals(0, JSON.readTree(cli("runs", "list", "--job", "broken", "--status", "SUCCESS", "-o", "json").output)
                .path("runs").size());
        assertEquals(0, JSON.readTree(cli("runs", "list", "--job", "broken", "--until", "2020-01-01", "-o", "json").output)
                .path("runs").size());
        Result table = cli("runs", "list", "-j", "load-customers");
        assertTrue(table.output.startsWith("RUN ID ") && table.output.contains(" SUCCESS "), table.output);

        Result badTime = cli("runs", "list", "--job", "broken", "--since", "yesterday");
        assertEquals(3, badTime.exit);
        assertTrue(badTime.errors.contains("'yesterday' is not a time"), badTime.errors);
    }

    @Test
    @Order(5)
    void cancelStopsALongRunAndLogsFollowEndsWithItsCode() throws Exception {
        Files.writeString(home.resolve("long.json"), job("long", "sleeps", List.of("select pg_sleep(120)")));
        assertEquals(0, cli("jobs", "apply", "-f", home.resolve("long.json").toString()).exit);
        String runId = runIdOf(cli("runs", "launch", "long", "-o", "json"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(runStatus(runId)));

        Result cancel = cli("runs", "cancel", runId);
        assertEquals(0, cancel.exit, cancel.all());
        assertTrue(cancel.output.matches("run " + runId + ": (CANCELLING|STOPPED)\\s*"), cancel.output);
        Result follow = cli("runs", "logs", runId, "--follow");
        assertEquals(2, follow.exit, "a followed run that ended STOPPED exits 2:\n" + follow.all());
        assertEquals("STOPPED", runStatus(runId));

        Result get = cli("runs", "get", runId);
        assertTrue(get.output.contains("STOPPED") && get.output.contains("CANCELLED"), get.output);
        Result again = cli("runs", "cancel", runId);
        assertEquals(3, again.exit);
        assertTrue(again.errors.contains("RUN_ENDED (HTTP 409)"), again.errors);
    }

    @Test
    @Order(6)
    void logsPrintTheRunsLinesAndErrorsAreTheApisOwn() throws Exception {
        String runId = calls.launch(jobId("load-customers"));
        calls.awaitTerminal(runId);
        await().atMost(Duration.ofSeconds(30)).until(() -> !cli("runs", "logs", runId).output.isBlank());
        JsonNode lines = JSON.readTree(cli("runs", "logs", runId, "-o", "json").output).path("lines");
        assertTrue(lines.size() > 0);
        Result tail = cli("runs", "logs", runId, "--tail", "1");
        assertEquals(1, tail.output.lines().count(), tail.output);

        Result unknown = cli("runs", "get", UUID.randomUUID().toString());
        assertEquals(3, unknown.exit);
        assertTrue(unknown.errors.contains("RUN_NOT_FOUND (HTTP 404)") && unknown.errors.contains("fix:"), unknown.errors);
        // Another workspace is not there for this token.
        Result other = cli("jobs", "list", "--workspace", "someone-else");
        assertEquals(3, other.exit);
        assertTrue(other.errors.contains("WORKSPACE_NOT_FOUND (HTTP 404)"), other.errors);
        // An API that does not answer is named as such.
        Result down = cli("jobs", "list", "--url", "http://127.0.0.1:" + io.jobplane.stack.Ports.free());
        assertEquals(3, down.exit);
        assertTrue(down.errors.contains("connection refused"), down.errors);
    }

    private static String job(String name, String description, List<String> queries) throws Exception {
        Map<String, Object> job = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE", "description", description,
                "destination_connection_id", connectionId));
        List<Map<String, Object>> tasks = new ArrayList<>();
        queries.forEach(q -> tasks.add(Map.of("query", q)));
        job.put("tasks", tasks);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(job);
    }

    private static String jobId(String name) throws Exception {
        return JSON.readTree(cli("jobs", "get", name, "-o", "json").output).path("job_id").asText();
    }

    private static String runStatus(String runId) throws Exception {
        return JSON.readTree(cli("runs", "get", runId, "-o", "json").output).path("status").asText();
    }

    private static String runIdOf(Result launched) throws Exception {
        assertEquals(0, launched.exit, launched.all());
        String id = JSON.readTree(launched.output).path("run_id").asText();
        assertNotEquals("", id);
        return id;
    }

    private record Result(int exit, String output, String errors) {
        String all() {
            return output + errors;
        }
    }

    private static Result cli(String... args) {
        return cliWithInput("", args);
    }

    private static Result cliWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        UserContext context = new UserContext(env::get, home, in, Duration.ofMillis(200));
        int exit = JobplaneCli.run(context, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }
}
