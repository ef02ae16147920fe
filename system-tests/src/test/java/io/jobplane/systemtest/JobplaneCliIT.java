package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jobplane.stack.Ports;

/** The newcomer's path: {@code ./jobplane up}, a token, {@code status}, a second {@code up}, {@code down}. */
class JobplaneCliIT {

    private final Path root = Path.of(System.getProperty("jobplane.root", "..")).toAbsolutePath().normalize();
    private final Map<String, String> env = new HashMap<>();

    @AfterEach
    void leaveNothingRunning() throws Exception {
        if (!env.isEmpty()) {
            run("down");
        }
    }

    @Test
    void upStartsEverythingOnceAndDownStopsItAll() throws Exception {
        Path state = Files.createDirectories(root.resolve("system-tests/target/cli-" + UUID.randomUUID()));
        int pgPort = Ports.free();
        int tenantPort = Ports.free();
        int apiPort = Ports.free();
        env.put("JOBPLANE_STATE_DIR", state.toString());
        env.put("JOBPLANE_KAFKA_PORT", String.valueOf(Ports.free()));
        env.put("JOBPLANE_KAFKA_CONTROLLER_PORT", String.valueOf(Ports.free()));
        env.put("JOBPLANE_PG_PORT", String.valueOf(pgPort));
        env.put("JOBPLANE_TENANT_PG_PORT", String.valueOf(tenantPort));
        env.put("JOBPLANE_API_PORT", String.valueOf(apiPort));
        env.put("JOBPLANE_WORKER_PORT", String.valueOf(Ports.free()));
        env.put("JOBPLANE_HARVESTER_PORT", String.valueOf(Ports.free()));
        env.put("JOBPLANE_POLICY_PORT", String.valueOf(Ports.free()));

        Result up = run("up");
        assertEquals(0, up.exit, up.output);
        assertTrue(up.output.contains("jobplane is up"), up.output);
        assertTrue(up.output.contains("postgresql://jobplane@127.0.0.1:" + pgPort + "/jobplane"), up.output);
        // The example connection points at the tenant server's 'demo' database, never at the platform's.
        assertTrue(up.output.contains("jdbc:postgresql://127.0.0.1:" + tenantPort + "/demo"), up.output);
        assertTrue(up.output.contains("http://127.0.0.1:" + apiPort), up.output);
        // The platform's own passwords stay in their owner-only files; the demo one is read from its file.
        try (var files = Files.list(state.resolve("keys"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".password")).toList()) {
                assertFalse(up.output.contains(Files.readString(f).trim()), f.getFileName() + " printed");
            }
        }
        assertTrue(up.output.contains("postgres-demo.password"), up.output);
        Matcher token = Pattern.compile("export TOKEN=(\\S+)").matcher(up.output);
        assertTrue(token.find(), up.output);
        given().auth().oauth2(token.group(1)).get("http://127.0.0.1:" + apiPort + "/api/v1/workspaces/demo/jobs")
                .then().statusCode(200);

        Result status = run("status");
        assertEquals(0, status.exit, status.output);
        List<Long> pids = pidsIn(status.output);
        assertEquals(7, pids.size(), status.output);

        Result again = run("up");
        assertEquals(0, again.exit, again.output);
        assertEquals(7, again.output.split("already running", -1).length - 1, again.output);
        assertEquals(pids, pidsIn(run("status").output), "a second up starts nothing new");

        String minted = run("token", "--workspace", "finance", "--role", "viewer").output.trim();
        given().auth().oauth2(minted).get("http://127.0.0.1:" + apiPort + "/api/v1/workspaces/finance/jobs")
                .then().statusCode(200);
        assertEquals(2, run("token", "--workspace", "finance", "--role", "root").exit);

        Result down = run("down");
        assertEquals(0, down.exit, down.output);
        env.clear();
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "pid " + pid + " still runs after down:\n" + down.output);
        }
        env.put("JOBPLANE_STATE_DIR", state.toString());
        env.put("JOBPLANE_PG_PORT", String.valueOf(pgPort));
        env.put("JOBPLANE_TENANT_PG_PORT", String.valueOf(tenantPort));
        env.put("JOBPLANE_API_PORT", String.valueOf(apiPort));
        assertEquals(3, run("status").exit, "status reports the stack down");
        env.clear();
    }

    private static List<Long> pidsIn(String statusOutput) {
        List<Long> pids = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\S+\\s+\\d+\\s+(\\d+)\\s+UP$").matcher(statusOutput);
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    private record Result(int exit, String output) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("jobplane").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("./jobplane " + String.join(" ", args) + " hung:\n" + output);
        }
        return new Result(p.exitValue(), output);
    }
}
