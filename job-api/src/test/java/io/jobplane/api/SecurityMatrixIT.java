package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.DevTokens;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every endpoint against every kind of caller: no token, expired, badly signed, wrong audience,
 * wrong issuer, a token for another workspace, and each role. Every cell is checked.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class SecurityMatrixIT {

    private static final List<String> ROLES = List.of("viewer", "operator", "editor", "admin");
    private static String ws;
    private static String connectionId;
    private static String jobId;
    private static String taskId;

    /** One endpoint: how to call it and the least role it needs. */
    record Endpoint(String method, String path, String role, Object body) {
        Response call(RequestSpecification spec) {
            String p = path.replace("{ws}", ws).replace("{conn}", connectionId).replace("{job}", jobId)
                    .replace("{task}", taskId).replace("{kind}", "jobs").replace("{none}", UUID.randomUUID().toString());
            if (body != null) {
                spec = spec.contentType(ContentType.JSON).body(body);
            }
            return spec.request(method, p);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static List<Endpoint> endpoints() {
        Map<String, Object> conn = postgresConnection("m-" + UUID.randomUUID().toString().substring(0, 6), "pw");
        Map<String, Object> webhook = Map.of("url", "https://hooks.example.com/jobplane", "secret", "matrix-secret-0123456789");
        return List.of(
                new Endpoint("GET", "/api/v1/workspaces", "any", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces", "admin", Map.of("workspace_id", ws, "display_name", "Matrix")),
                new Endpoint("PUT", "/api/v1/workspaces/{ws}", "admin", Map.of("display_name", "Matrix")),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/connections", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/connections/{conn}", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/connections", "editor", conn),
                new Endpoint("PUT", "/api/v1/workspaces/{ws}/connections/{none}", "editor", Map.of("username", "u")),
                new Endpoint("DELETE", "/api/v1/workspaces/{ws}/connections/{none}", "editor", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/connections/{none}/test", "editor", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/jobs", "editor", Map.of("name", "j", "type", "TABLE_TO_TABLE",
                        "destination_connection_id", UUID.randomUUID().toString(), "tasks", List.of(Map.of("query", "select 1")))),
                new Endpoint("PUT", "/api/v1/workspaces/{ws}/jobs/{none}", "editor", Map.of("description", "d")),
                new Endpoint("DELETE", "/api/v1/workspaces/{ws}/jobs/{none}", "editor", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/sources", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/jobs/{none}/sources", "editor", null),
                new Endpoint("DELETE", "/api/v1/workspaces/{ws}/jobs/{none}/sources", "editor", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/workflows/{job}", "viewer", null),
                new Endpoint("PUT", "/api/v1/workspaces/{ws}/workflows/{none}", "editor",
                        Map.of("triggers", List.of(UUID.randomUUID().toString()), "targets", List.of(UUID.randomUUID().toString()))),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/workflows/{none}/reset", "operator", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/properties", "viewer", null),
                new Endpoint("PUT", "/api/v1/workspaces/{ws}/jobs/{none}/properties", "editor", Map.of("REGION", "eu")),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/secrets", "viewer", null),
                new Endpoint("PUT", "/api/v1/workspaces/{ws}/jobs/{none}/secrets", "editor", Map.of("secrets", Map.of("T", "v"))),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/tasks", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/tasks/{task}", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/jobs/{none}/tasks", "editor", Map.of("query", "select 2")),
                new Endpoint("PUT", "/api/v1/workspaces/{ws}/jobs/{none}/tasks/{task}", "editor", Map.of("is_active", true)),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/jobs/{none}/tasks/{task}/move", "editor",
                        Map.of("from_index", 0, "to_index", 0)),
                new Endpoint("DELETE", "/api/v1/workspaces/{ws}/jobs/{none}/tasks/{task}", "editor", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/jobs/{none}/runs", "operator", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/runs/{none}", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/runs?status=FAILED&tag=team:data", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/runs/{none}/cancel", "operator", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/runs/{none}/rerun", "operator", Map.of("from", "FAILED")),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/runs/{none}/mark", "operator",
                        Map.of("status", "SUCCESS", "reason", "checked by hand")),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/runs/{none}/tasks/{task}/skip", "operator", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/runs/{none}/logs", "viewer", null),
                // The live stream stays open once authorised: an invalid parameter (checked after authorisation) ends the call.
                new Endpoint("GET", "/api/v1/workspaces/{ws}/runs/stream?logs=maybe", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/runs", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/runs/{none}", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/status", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/last-status", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/tasks/last-run", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/tasks/{task}/history", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/jobs/{none}/backfill", "operator",
                        Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-02T00:00:00Z")),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/backfills/{none}", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/backfills/{none}/cancel", "operator", null),
                // A window that ended long ago: refused (400) once authorised, so the matrix never freezes its workspace.
                new Endpoint("PUT", "/api/v1/workspaces/{ws}/freeze", "admin",
                        Map.of("until", "2020-01-01T00:00:00Z", "mode", "WAIT", "reason", "matrix")),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/freeze", "viewer", null),
                new Endpoint("DELETE", "/api/v1/workspaces/{ws}/freeze", "admin", null),
                // A pool named by a random id: created once authorised (a pool no job names), then read and deleted.
                new Endpoint("GET", "/api/v1/workspaces/{ws}/pools", "viewer", null),
                new Endpoint("PUT", "/api/v1/workspaces/{ws}/pools/{none}", "admin", Map.of("slots", 1)),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/pools/{none}", "viewer", null),
                new Endpoint("DELETE", "/api/v1/workspaces/{ws}/pools/{none}", "admin", null),
                // The longest policy: nothing of the matrix's workspace is ever purged by it.
                new Endpoint("PUT", "/api/v1/workspaces/{ws}/retention", "admin", Map.of("logs_days", 3650, "runs_days", 3650)),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/retention", "viewer", null),
                
                new Endpoint("GET", "/api/v1/workspaces/{ws}/catalogs", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/catalogs/{none}/databases", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/catalogs/{none}/databases/{none}/tables", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/catalogs/{none}/databases/{none}/tables/{none}", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/catalogs/{none}/databases/{none}/tables/{none}/schema-versions",
                        "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/catalogs/{none}/databases/{none}/tables/{none}/partitions", "viewer",
                        null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/catalogs/{none}/databases/{none}/functions", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/catalogs/{none}/databases/{none}/functions/{none}", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/platform/{kind}", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/platform/{kind}/{none}", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/runs/{none}/catalog-report", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/grants", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/grants/check?principal=alice&privilege=SELECT&resource=hive.sales.orders",
                        "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/principals", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/principals/{none}/grants", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/catalogs/{none}/databases/{none}/tables/{none}/grants", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/runs/{none}/permission-report", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/audit", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/webhooks", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/webhooks", "editor", webhook),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/webhooks/{none}", "viewer", null),
                new Endpoint("DELETE", "/api/v1/workspaces/{ws}/webhooks/{none}", "editor", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/webhooks/{none}/deliveries", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/jobs/{job}/webhooks", "viewer", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/jobs/{job}/webhooks", "editor", webhook),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/runs/{none}/notifications", "viewer", null),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/api-tokens", "admin", null),
                new Endpoint("POST", "/api/v1/workspaces/{ws}/api-tokens", "admin", Map.of("name", "matrix", "role", "viewer",
                        "expires_at", Instant.now().plus(Duration.ofDays(1)).toString())),
                new Endpoint("GET", "/api/v1/workspaces/{ws}/api-tokens/{none}", "admin", null),
                new Endpoint("DELETE", "/api/v1/workspaces/{ws}/api-tokens/{none}", "admin", null));
    }

    private static void workspaceWithObjects() {
        ws = uniqueWorkspace();
        connectionId = ApiTestSupport.as(ws, "editor").body(postgresConnection("matrix", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        jobId = RunLaunchIT.createJob(ws, "matrix-job", "pw");
        taskId = ApiTestSupport.as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs/{job}/tasks", ws, jobId)
                .then().statusCode(200).extract().path("[0].task_id");
    }

    @Test
    void everyEndpointTimesEveryCallerGivesTheExpectedAnswer() throws Exception {
        workspaceWithObjects();
        PrivateKey key = TestInfrastructure.shared().keys().privateKey();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey stranger = generator.generateKeyPair().getPrivate();
        Instant soon = Instant.now().plus(Duration.ofMinutes(10));
        Map<String, String> unauthenticated = Map.of(
                "expired", DevTokens.builder(key).workspace(ws, "admin").expiresAt(Instant.now().minusSeconds(120)).sign(),
                "bad signature", DevTokens.builder(stranger).workspace(ws, "admin").expiresAt(soon).sign(),
                "wrong audience", DevTokens.builder(key).workspace(ws, "admin").audience("another-api").expiresAt(soon).sign(),
                "wrong issuer", DevTokens.builder(key).workspace(ws, "admin").issuer("https://elsewhere").expiresAt(soon).sign());
        String foreign = DevTokens.mint(key, "outsider", Map.of(uniqueWorkspace(), "admin"), Duration.ofMinutes(10));

        List<String> failures = new ArrayList<>();
        int cells = 0;
        for (Endpoint e : endpoints()) {
            cells += check(failures, e, "no token", e.call(given()), 401, "UNAUTHENTICATED");
            for (var bad : unauthenticated.entrySet()) {
                cells += check(failures, e, bad.getKey(), e.call(given().auth().oauth2(bad.getValue())), 401, "UNAUTHENTICATED");
            }
            if (e.role().equals("any")) {
                // Lists the caller's own workspaces: any valid token may ask, and sees only its own.
                Response own = e.call(given().auth().oauth2(foreign));
                cells++;
                if (own.statusCode() != 200 || own.asString().contains(ws)) {
                    failures.add(e + " as foreign workspace: expected 200 without " + ws + ", got " + own.statusCode());
                }
            } else {
                cells += check(failures, e, "foreign workspace", e.call(given().auth().oauth2(foreign)), 404, "WORKSPACE_NOT_FOUND");
            }
            for (String role : ROLES) {
                Response r = e.call(given().auth().oauth2(ApiTestSupport.token(ws, role)));
                boolean allowed = e.role().equals("any") || ROLES.indexOf(role) >= ROLES.indexOf(e.role());
                if (allowed) {
                    cells++;
                    String code = r.contentType().contains("json") && r.statusCode() >= 400 ? r.path("error_code") : null;
                    if (r.statusCode() == 401 || r.statusCode() == 403 || r.statusCode() >= 500
                            || "WORKSPACE_NOT_FOUND".equals(code)) {
                        failures.add(e + " as " + role + ": expected to pass authorisation, got " + r.statusCode() + " " + code);
                    }
                } else {
                    cells += check(failures, e, role, r, 403, "INSUFFICIENT_ROLE");
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(endpoints().size() * 10, cells);
    }

    @Test
    void theMatrixCoversEveryOperationTheOpenApiDocumentLists() {
        workspaceWithObjects();
        var paths = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath()
                .<String, Map<String, Object>>getMap("paths");
        List<String> documented = new ArrayList<>();
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(m -> List.of("get", "post", "put", "delete", "patch").contains(m))
                .forEach(m -> documented.add(m.toUpperCase() + " " + path.replaceAll("\\{[a-z_]+}", "{}"))));
        List<String> covered = endpoints().stream()
                .map(e -> e.method() + " " + e.path().replaceAll("\\?.*", "").replaceAll("\\{[a-z]+}", "{}")).toList();
        // Tailer's paths name no workspace; TailerApiIT walks their roles and other workspaces.
        List<String> tailer = List.of("POST /v1/dag/launch", "POST /v1/dag/status", "POST /v1/workflow/status",
                "POST /v1/configuration/status");
        // CData's paths answer in CData's error shape and name jobs by global ids; CDataApiIT walks every one of them
        // with no token, another workspace's token and each role. LakeFormation's lf-jobs name their workspace as
        // project and instance and answer in LakeFormation's error shape; LakeFormationApiIT walks their roles and
        // other workspaces. VDK's paths answer in VDK's error shape; VdkApiIT (system-tests) walks every one of them with
        // no token, another workspace's token and each role.
        String lf = "/v1/{}/instances/{}/lf-jobs";
        List<String> lakeFormation = List.of("GET " + lf, "POST " + lf, "GET " + lf + "/{}", "PUT " + lf + "/{}",
                "DELETE " + lf + "/{}", "POST " + lf + "/{}/start", "POST " + lf + "/{}/stop");
        List<String> missing = documented.stream().filter(d -> !covered.contains(d) && !tailer.contains(d)
                && !lakeFormation.contains(d)).filter(d -> !d.substring(d.indexOf(' ') + 1).startsWith("/api.rsc/v2/"))
                .filter(d -> !d.substring(d.indexOf(' ') + 1).startsWith("/data-jobs/"))
                .sorted().toList();
        assertTrue(missing.isEmpty(), "operations the security matrix does not walk: " + missing);
    }

    private static int check(List<String> failures, Endpoint e, String caller, Response r, int status, String code) {
        if (r.statusCode() != status || !code.equals(r.path("error_code"))) {
            failures.add(e + " as " + caller + ": expected " + status + " " + code + ", got " + r.statusCode() + " "
                    + r.asString());
        }
        return 1;
    }
}
