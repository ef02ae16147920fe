package io.jobplane.stack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobplane.stack.DevKeys;

/** The CLI as a person runs it: its own JVM, its environment, its output and exit code. */
class JobplaneCliTest {

    @TempDir
    Path state;

    @Test
    void withoutArgumentsItPrintsUsageWithEveryCommandAndPortVariable() throws Exception {
        Result r = run();
        assertEquals(0, r.exit, r.output);
        for (String expected : List.of("up", "down", "status", "token", "logs", "login", "jobs", "runs", "JOBPLANE_TOKEN",
                "JOBPLANE_CONFIG", "JOBPLANE_API_PORT", "JOBPLANE_KAFKA_PORT",
                "JOBPLANE_PG_PORT", "JOBPLANE_DB_URL")) {
            assertTrue(r.output.contains(expected), expected + " missing from:\n" + r.output);
        }
    }

    @Test
    void tokenPrintsOnlyAJwtSignedWithTheStateFoldersKey() throws Exception {
        Result r = run("token", "--workspace", "finance", "--role", "viewer", "--subject", "ada", "--ttl", "30m");
        assertEquals(0, r.exit, r.errors);
        String token = r.output.trim();
        assertEquals(1, r.output.strip().lines().count(), "only the token, so $(jobplane token ...) works:\n" + r.output);

        DevKeys keys = DevKeys.ensure(state.resolve("keys"));
        JwtClaims claims = new JwtConsumerBuilder().setVerificationKey(keys.publicKey())
                .setExpectedIssuer("jobplane-dev").setExpectedAudience("jobplane").build().processToClaims(token);
        assertEquals("ada", claims.getSubject());
        assertEquals(Map.of("finance", "viewer"), claims.getClaimValue("workspaces"));
        long ttl = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertTrue(Math.abs(ttl - 1800) < 5, "ttl " + ttl);
    }

    @Test
    void tokenRefusesAnUnknownRoleWithAClearMessage() throws Exception {
        Result r = run("token", "--workspace", "finance", "--role", "root");
        assertEquals(2, r.exit, r.output);
        assertTrue(r.errors.contains("unknown role 'root': use one of viewer, operator, editor, admin"), r.errors);
        assertEquals("", r.output, "nothing that looks like a token on standard output");
        assertFalse(Files.exists(state.resolve("keys")), "a refused command makes no keys");
    }

    @Test
    void statusOfAStackThatNeverRanIsNotRunningWithExitCode3() throws Exception {
        Result r = run("status");
        assertEquals(3, r.exit, r.output);
        for (String component : List.of("kafka", "postgresql", "job-api", "execution-worker", "metadata-harvester",
                "policy-migrator")) {
            assertTrue(r.output.lines().anyMatch(l -> l.startsWith(component + " ") && l.endsWith("NOT RUNNING")),
                    component + " not reported as NOT RUNNING:\n" + r.output);
        }
        assertTrue(r.output.contains("database  postgresql://jobplane@127.0.0.1:"), r.output);
        assertTrue(r.output.contains("API       http://127.0.0.1:"), r.output);
    }

    @Test
    void downWithNothingRunningSaysSoAndSucceeds() throws Exception {
        Result r = run("down");
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("nothing of jobplane was running"), r.output);
    }

    /** What the command printed on standard output and on standard error, kept apart. */
    private record Result(int exit, String output, String errors) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), JobplaneCli.class.getName()));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("jobplane-cli", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(errors.toFile());
            pb.environment().put("JOBPLANE_HOME", state.toString());
            pb.environment().put("JOBPLANE_STATE_DIR", state.toString());
            pb.environment().remove("JOBPLANE_DB_URL");
            Process p = pb.start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jobplane " + String.join(" ", args) + " hung");
            return new Result(p.exitValue(), output, Files.readString(errors));
        } finally {
            Files.delete(errors);
        }
    }
}
