package io.jobplane.stack.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.stack.DevTokens;
import io.jobplane.stack.Passwords;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.StackException;

/** The running local stack as the benchmarks use it: its API with an admin token for one workspace, and its PostgreSQL. */
final class StackApi {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The tenant-server role that owns the benchmarks' databases, and the name of its password file. */
    private static final String BENCH_ROLE = "bench";
    private static final String BENCH_SECRET = "postgres-bench";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String api;
    private final String token;
    private final String workspace;
    private final PostgresServer pg;
    private final LocalStack stack;

    StackApi(String workspace) {
        this.stack = new LocalStack();
        this.workspace = workspace;
        this.api = stack.apiUrl();
        this.pg = stack.postgres();
        this.token = DevTokens.mint(stack.keys().privateKey(), "bench", Map.of(workspace, "admin"), Duration.ofHours(2));
    }

    LocalStack stack() {
        return stack;
    }

    /** The bearer token the bench uses. */
    String token() {
        return token;
    }

    String url() {
        return api;
    }

    PostgresServer postgres() {
        return pg;
    }

    /** Fails with the fix when the API does not answer ready. */
    void requireReady() throws Exception {
        if (request("GET", "/q/health/ready", null).statusCode() != 200) {
            throw new StackException("the API at " + api + " is not ready: start the platform with ./jobplane up");
        }
    }

    /** A path under the workspace, e.g. {@code /jobs}. */
    String ws(String path) {
        return "/api/v1/workspaces/" + workspace + path;
    }

    /**
     * A database of the stack's tenant server for the bench's jobs, owned by the bench's own role (tenant
     * connections never reach the platform's database), created unless it exists.
     */
    void tenantDatabase(String database) {
        stack.tenant().createDatabase(database, BENCH_ROLE, benchPassword());
    }

    /** A postgresql connection to a {@link #tenantDatabase}, created if missing; returns its id. */
    String tenantConnection(String database) throws Exception {
        tenantDatabase(database);
        Map<String, Object> body = new HashMap<>(Map.of("name", "bench-" + database + "-" + stamp(), "type", "postgresql",
                "jdbc_url", stack.tenant().jdbcUrl(database), "username", BENCH_ROLE, "password", benchPassword()));
        return created(request("POST", ws("/connections"), body), "connection_id");
    }

    /** A session on a {@link #tenantDatabase}, as the bench's role. */
    Connection tenantDb(String database) throws SQLException {
        return DriverManager.getConnection(stack.tenant().jdbcUrl(database), BENCH_ROLE, benchPassword());
    }

    private String benchPassword() {
        return Passwords.ensure(stack.keysDir(), BENCH_SECRET);
    }

    HttpResponse<String> request(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The field of a 201 answer; anything else is a failed setup. */
    static String created(HttpResponse<String> r, String field) throws Exception {
        if (r.statusCode() != 201 && r.statusCode() != 202) {
            throw new StackException("setup failed: " + r.statusCode() + " " + r.body());
        }
        JsonNode node = JSON.readTree(r.body());
        return node.get(field).asText();
    }

    Connection db() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }

    static String stamp() {
        return Long.toString(System.currentTimeMillis(), 36);
    }
}
