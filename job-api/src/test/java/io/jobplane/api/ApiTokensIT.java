package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * API tokens against the real database and broker: created by a workspace admin with a JWT, shown
 * once, accepted in every place a client sends credentials, scoped to one workspace and role,
 * refused on the very next request after a revoke or past their expiry, audited.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class ApiTokensIT {

    private static final String TOKENS = "/api/v1/workspaces/{ws}/api-tokens";

    private static Map<String, Object> tokenRequest(String name, String role, Instant expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("role", role);
        body.put("expires_at", expiresAt.toString());
        return body;
    }

    /** Creates a token with an admin JWT; answers the whole creation response. */
    private static Response create(String ws, String role, Instant expiresAt) {
        return as(ws, "admin").body(tokenRequest("script-" + role, role, expiresAt)).post(TOKENS, ws);
    }

    private static String tokenValue(String ws, String role) {
        return create(ws, role, Instant.now().plus(Duration.ofDays(1))).then().statusCode(201).extract().path("token");
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    private static String basic(String user, String token) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    /** The token sent in each place a client may put it. */
    private static Map<String, RequestSpecification> everyPlace(String token) {
        Map<String, RequestSpecification> places = new LinkedHashMap<>();
        places.put("Authorization: Bearer", given().header("Authorization", "Bearer " + token));
        places.put("X-Auth-Token", given().header("X-Auth-Token", token));
        places.put("x-cdata-authtoken", given().header("x-cdata-authtoken", token));
        places.put("Authorization: Basic", given().header("Authorization", basic("cdata-admin", token)));
        places.put("Authorization: Basic without user", given().header("Authorization", basic("", token)));
        return places;
    }

    private static long count(String sql, Object... params) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void assertRefused(Response r, String... secrets) {
        r.then().statusCode(401).contentType(ContentType.JSON)
                .body("error_code", equalTo("UNAUTHENTICATED"))
                .body("error_msg", notNullValue())
                .body("solution_msg", notNullValue())
                .body("request_id", notNullValue());
        assertEquals(Set.of("error_code", "error_msg", "solution_msg", "request_id"), r.jsonPath().getMap("$").keySet());
        for (String secret : secrets) {
            assertFalse(r.asString().contains(secret), "the answer repeats a credential: " + r.asString());
            assertFalse(r.headers().toString().contains(secret), "a header repeats a credential");
        }
    }

    @Test
    void aTokenIsShownOnceStoredHashedAndWorksWhereverAClientSendsIt() throws Exception {
        String ws = uniqueWorkspace();
        Instant expiresAt = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Object> request = tokenRequest("nightly-loader", "editor", expiresAt);
        request.put("description", "the nightly load script");
        Response created = as(ws, "admin").body(request).post(TOKENS, ws);
        created.then().statusCode(201)
                .header("Cache-Control", "no-store")
                .header("Location", containsString("/api/v1/workspaces/" + ws + "/api-tokens/"))
                .body("token", matchesPattern("jpt_[A-Za-z0-9_-]{43}"))
                .body("name", equalTo("nightly-loader"))
                .body("description", equalTo("the nightly load script"))
                .body("role", equalTo("editor"))
                .body("status", equalTo("active"))
                .body("created_by", equalTo("tester"))
                .body("expires_at", equalTo(expiresAt.toString()))
                .body("last_used_at", nullValue())
                .body("$", not(hasKey("token_hash")));
        String token = created.path("token");
        String id = created.path("token_id");

        // Only the SHA-256 of the value is stored; the value is in no column.
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, count("select count(*) from api.api_token where id = ?::uuid and encode(token_hash, 'hex') = ?", id, hex));
        assertEquals(0, count("select count(*) from api.api_token t where strpos(t::text, ?) > 0", token));

        // The token works in every place, on the workspace's endpoints, acting as an editor.
        for (var place : everyPlace(token).entrySet()) {
            place.getValue().get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200);
            assertEquals(List.of(ws), place.getValue().get("/api/v1/workspaces").then().statusCode(200).extract()
                    .jsonPath().getList("workspace_id"), place.getKey());
        }
        bearer(token).get("/api/v1/workspaces").then().body("[0].role", equalTo("editor"));
        String connectionId = bearer(token).body(postgresConnection("made-by-token", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        given().header("x-cdata-authtoken", token).get("/api/v1/workspaces/{ws}/connections/{id}", ws, connectionId)
                .then().statusCode(200);
        // What the token does is recorded as done by the token.
        List<Map<String, Object>> made = as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.object_id == '" + connectionId + "' }");
        assertEquals(1, made.size(), made.toString());
        assertEquals("api-token:" + id, made.get(0).get("actor"));

        // The value is never shown again: not in the list, not in the token, not in the audit trail.
        Response list = as(ws, "admin").get(TOKENS, ws);
        list.then().statusCode(200).body("size()", equalTo(1)).body("[0].token_id", equalTo(id))
                .body("[0]", not(hasKey("token"))).body("[0].status", equalTo("active"))
                .body("[0].last_used_at", notNullValue());
        assertFalse(list.asString().contains(token));
        Response one = as(ws, "admin").get(TOKENS + "/{id}", ws, id);
        one.then().statusCode(200).body("$", not(hasKey("token"))).body("role", equalTo("editor"));
        assertFalse(one.asString().contains(token));
        Response audit = as(ws, "admin").get("/api/v1/workspaces/{ws}/audit", ws);
        assertFalse(audit.asString().contains(token));
        assertFalse(audit.asString().contains(token.substring(4)));
    }

    @Test
    void theJwtIsAcceptedInTheSamePlacesAndTwoDifferentCredentialsAreRefused() {
        String ws = uniqueWorkspace();
        String jwt = ApiTestSupport.token(ws, "viewer");
        for (var place : everyPlace(jwt).entrySet()) {
            place.getValue().get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200);
        }
        String expired = DevTokens.builder(TestInfrastructure.shared().keys().privateKey()).subject("x").workspace(ws, "admin")
                .expiresAt(Instant.now().minusSeconds(600)).sign();
        for (var place : everyPlace(expired).entrySet()) {
            assertRefused(place.getValue().get("/api/v1/workspaces/{ws}/jobs", ws), expired);
        }

        String token = tokenValue(ws, "viewer");
        // The same credential twice is one credential.
        given().header("Authorization", "Bearer " + token).header("X-Auth-Token", token)
                .get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200);
        // Two different ones are refused, even when each alone is valid.
        assertRefused(given().header("Authorization", "Bearer " + jwt).header("X-Auth-Token", token)
                .get("/api/v1/workspaces/{ws}/jobs", ws), jwt, token);
        assertRefused(given().header("x-cdata-authtoken", jwt).header("X-Auth-Token", token)
                .get("/api/v1/workspaces/{ws}/jobs", ws), jwt, token);
        assertRefused(given().header("Authorization", basic("u", token)).header("x-cdata-authtoken", jwt)
                .get("/api/v1/workspaces/{ws}/jobs", ws), jwt, token);

        // Malformed headers and unknown tokens.
        String unknown = "jpt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        List<RequestSpecification> refused = List.of(
                given().header("Authorization", "Bearer"),
                given().header("Authorization", "Digest username=\"tester\""),
                given().header("Authorization", "Basic %%%"),
                given().header("Authorization", basic("only-a-user", "")),
                given().header("X-Auth-Token", ""),
                given().header("X-Auth-Token", token + " trailing"),
                given().header("Authorization", "Bearer " + unknown),
                given().header("X-Auth-Token", "jpt_tooshort"),
                given().header("x-cdata-authtoken", token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A")));
        for (RequestSpecification spec : refused) {
            assertRefused(spec.get("/api/v1/workspaces/{ws}/jobs", ws), token);
        }
        Response revokedOrUnknown = given().header("Authorization", "Bearer " + unknown).get("/api/v1/workspaces/{ws}/jobs", ws);
        revokedOrUnknown.then().body("error_msg", equalTo("The API token is unknown, revoked or expired"));
        given().header("Authorization", "Bearer " + jwt).header("X-Auth-Token", token).get("/api/v1/workspaces/{ws}/jobs", ws)
                .then().body("error_msg", containsString("different credentials"));
    }

    @Test
    void aRevokedTokenIsRefusedOnItsVeryNextRequest() throws Exception {
        String ws = uniqueWorkspace();
        Response created = create(ws, "operator", Instant.now().plus(Duration.ofDays(7)));
        String token = created.path("token");
        String id = created.path("token_id");
        bearer(token).get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200);

        as(ws, "admin").delete(TOKENS + "/{id}", ws, id).then().statusCode(204);
        for (var place : everyPlace(token).entrySet()) {
            assertRefused(place.getValue().get("/api/v1/workspaces/{ws}/jobs", ws), token);
        }
        as(ws, "admin").get(TOKENS + "/{id}", ws, id).then().statusCode(200)
                .body("status", equalTo("revoked")).body("revoked_at", notNullValue()).body("revoked_by", equalTo("tester"));
        // Revoking again changes nothing.
        as(ws, "admin").delete(TOKENS + "/{id}", ws, id).then().statusCode(204);
        assertRefused(bearer(token).get("/api/v1/workspaces/{ws}/jobs", ws), token);

        // An admin token may revoke another token (and then that one is refused at once), but not create one.
        Response admin = create(ws, "admin", Instant.now().plus(Duration.ofDays(1)));
        String adminToken = admin.path("token");
        Response victim = create(ws, "viewer", Instant.now().plus(Duration.ofDays(1)));
        bearer(victim.path("token")).get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200);
        bearer(adminToken).delete(TOKENS + "/{id}", ws, victim.path("token_id")).then().statusCode(204);
        assertRefused(bearer(victim.path("token")).get("/api/v1/workspaces/{ws}/jobs", ws));
        assertEquals(1, count("select count(*) from api.api_token where id = ?::uuid and revoked_by = ?",
                victim.path("token_id"), "api-token:" + admin.path("token_id")));
    }

    @Test
    void anExpiredTokenIsRefused() {
        String ws = uniqueWorkspace();
        Response created = create(ws, "viewer", Instant.now().plusSeconds(4));
        created.then().statusCode(201);
        String token = created.path("token");
        bearer(token).get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> bearer(token).get("/api/v1/workspaces/{ws}/jobs", ws).statusCode() == 401);
        for (var place : everyPlace(token).entrySet()) {
            assertRefused(place.getValue().get("/api/v1/workspaces/{ws}/jobs", ws), token);
        }
        as(ws, "admin").get(TOKENS + "/{id}", ws, created.path("token_id")).then().body("status", equalTo("expired"));
    }

    @Test
    void aTokenReachesOnlyItsOwnWorkspaceAndActsWithExactlyItsRole() {
        String mine = uniqueWorkspace();
        String theirs = uniqueWorkspace();
        String theirConnection = as(theirs, "admin").body(postgresConnection("theirs", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", theirs).then().statusCode(201).extract().path("connection_id");
        String admin = tokenValue(mine, "admin");
        for (var place : everyPlace(admin).entrySet()) {
            place.getValue().get("/api/v1/workspaces/{ws}/jobs", theirs).then().statusCode(404)
                    .body("error_code", equalTo("WORKSPACE_NOT_FOUND"));
        }
        bearer(admin).get("/api/v1/workspaces/{ws}/connections/{id}", theirs, theirConnection).then().statusCode(404)
                .body("error_code", equalTo("WORKSPACE_NOT_FOUND"));
        bearer(admin).get("/api/v1/workspaces/{ws}/connections/{id}", mine, theirConnection).then().statusCode(404)
                .body("error_code", equalTo("CONNECTION_NOT_FOUND"));
        bearer(admin).get(TOKENS, theirs).then().statusCode(404).body("error_code", equalTo("WORKSPACE_NOT_FOUND"));

        String jobId = RunLaunchIT.createJob(mine, "token-job", "pw");
        String viewer = tokenValue(mine, "viewer");
        bearer(viewer).get("/api/v1/workspaces/{ws}/jobs/{job}", mine, jobId).then().statusCode(200);
        given().header("X-Auth-Token", viewer).post("/api/v1/workspaces/{ws}/jobs/{job}/runs", mine, jobId).then()
                .statusCode(403).body("error_code", equalTo("INSUFFICIENT_ROLE"));
        given().header("Authorization", basic("x", viewer)).post("/api/v1/workspaces/{ws}/jobs/{job}/runs", mine, jobId)
                .then().statusCode(403).body("error_code", equalTo("INSUFFICIENT_ROLE"));
        bearer(viewer).get(TOKENS, mine).then().statusCode(403).body("error_code", equalTo("INSUFFICIENT_ROLE"));

        String operator = tokenValue(mine, "operator");
        String runId = given().header("x-cdata-authtoken", operator).post("/api/v1/workspaces/{ws}/jobs/{job}/runs", mine, jobId)
                .then().statusCode(202).extract().path("run_id");
        bearer(viewer).get("/api/v1/workspaces/{ws}/runs/{run}", mine, runId).then().statusCode(200);
        bearer(operator).body(Map.of("description", "changed")).put("/api/v1/workspaces/{ws}/jobs/{job}", mine, jobId)
                .then().statusCode(403).body("error_code", equalTo("INSUFFICIENT_ROLE"));
    }

    @Test
    void onlyAnAdminWithAJwtCreatesTokens() throws Exception {
        String ws = uniqueWorkspace();
        Map<String, Object> body = tokenRequest("x", "viewer", Instant.now().plus(Duration.ofDays(1)));
        for (String role : List.of("viewer", "operator", "editor")) {
            as(ws, role).body(body).post(TOKENS, ws).then().statusCode(403).body("error_code", equalTo("INSUFFICIENT_ROLE"));
            as(ws, role).get(TOKENS, ws).then().statusCode(403).body("error_code", equalTo("INSUFFICIENT_ROLE"));
            as(ws, role).delete(TOKENS + "/{id}", ws, UUID.randomUUID()).then().statusCode(403);
        }
        as(uniqueWorkspace(), "admin").body(body).post(TOKENS, ws).then().statusCode(404)
                .body("error_code", equalTo("WORKSPACE_NOT_FOUND"));
        assertEquals(0, count("select count(*) from api.api_token where workspace = ?", ws));

        String adminToken = tokenValue(ws, "admin");
        String editorToken = tokenValue(ws, "editor");
        bearer(adminToken).body(body).post(TOKENS, ws).then().statusCode(403)
                .body("error_code", equalTo("API_TOKEN_CANNOT_CREATE_TOKENS"));
        bearer(editorToken).body(tokenRequest("up", "admin", Instant.now().plus(Duration.ofDays(1)))).post(TOKENS, ws)
                .then().statusCode(403).body("error_code", equalTo("INSUFFICIENT_ROLE"));
        bearer(adminToken).get(TOKENS, ws).then().statusCode(200).body("size()", equalTo(2));
        assertEquals(2, count("select count(*) from api.api_token where workspace = ?", ws));
    }

    @Test
    void badInputGetsAJsonErrorAndCreatesNothing() throws Exception {
        String ws = uniqueWorkspace();
        Instant now = Instant.now();
        Map<String, Object> noExpiry = tokenRequest("a", "viewer", now);
        noExpiry.remove("expires_at");
        Map<String, Object> tooFar = tokenRequest("a", "viewer", now.plus(Duration.ofDays(366)));
        Map<String, Object> notATime = tokenRequest("a", "viewer", now.plusSeconds(60));
        notATime.put("expires_at", "next tuesday");
        Map<String, Object> unknownRole = tokenRequest("a", "owner", now.plus(Duration.ofDays(1)));
        Map<String, Object> noName = tokenRequest("a", "viewer", now.plus(Duration.ofDays(1)));
        noName.remove("name");
        Map<String, Object> noRole = tokenRequest("a", "viewer", now.plus(Duration.ofDays(1)));
        noRole.remove("role");
        Map<String, Object> unknownField = tokenRequest("a", "viewer", now.plus(Duration.ofDays(1)));
        unknownField.put("scopes", List.of("all"));
        List<Object[]> all = List.of(
                new Object[] { "VALIDATION_FAILED", noExpiry },
                new Object[] { "INVALID_EXPIRY", tokenRequest("a", "viewer", now.minusSeconds(60)) },
                new Object[] { "INVALID_EXPIRY", tooFar },
                new Object[] { "INVALID_EXPIRY", notATime },
                new Object[] { "INVALID_ENUM_VALUE", unknownRole },
                new Object[] { "VALIDATION_FAILED", noName },
                new Object[] { "VALIDATION_FAILED", noRole },
                new Object[] { "UNKNOWN_FIELD", unknownField },
                new Object[] { "MALFORMED_JSON", "{\"name\": " });
        for (Object[] c : all) {
            Response r = as(ws, "admin").body(c[1]).post(TOKENS, ws);
            r.then().statusCode(400).contentType(ContentType.JSON)
                    .body("error_code", equalTo(c[0]))
                    .body("error_msg", notNullValue())
                    .body("solution_msg", notNullValue())
                    .body("$", not(hasKey("token")));
        }
        as(ws, "admin").body(unknownRole).post(TOKENS, ws).then().body("solution_msg", containsString("viewer, operator, editor, admin"));
        as(ws, "admin").body(tooFar).post(TOKENS, ws).then().body("error_msg", containsString("365 days"));
        assertEquals(0, count("select count(*) from api.api_token where workspace = ?", ws));
        assertEquals(0, count("select count(*) from api.audit_event where workspace = ? and action = 'api_token.created'", ws));
        as(ws, "admin").delete(TOKENS + "/{id}", ws, UUID.randomUUID()).then().statusCode(404)
                .body("error_code", equalTo("API_TOKEN_NOT_FOUND"));
    }

    @Test
    void everyTokenAdministrationIsInTheAuditTrail() {
        String ws = uniqueWorkspace();
        Response created = create(ws, "viewer", Instant.now().plus(Duration.ofDays(2)));
        String id = created.path("token_id");
        String token = created.path("token");
        as(ws, "admin").get(TOKENS, ws).then().statusCode(200);
        as(ws, "admin").get(TOKENS + "/{id}", ws, id).then().statusCode(200);
        as(ws, "admin").delete(TOKENS + "/{id}", ws, id).then().statusCode(204);

        Response audit = as(ws, "admin").get("/api/v1/workspaces/{ws}/audit", ws);
        audit.then().statusCode(200);
        List<Map<String, Object>> rows = audit.jsonPath().getList("findAll { it.object_type == 'api_token' }");
        assertEquals(List.of("api_token.revoked", "api_token.read", "api_token.listed", "api_token.created"),
                rows.stream().map(r -> r.get("action")).toList());
        assertTrue(rows.stream().allMatch(r -> "tester".equals(r.get("actor"))), rows.toString());
        Map<String, Object> createdRow = rows.get(3);
        assertEquals(id, createdRow.get("object_id"));
        assertEquals(Map.of("name", "script-viewer", "role", "viewer", "expires_at", created.path("expires_at")),
                createdRow.get("details"));
        assertEquals(id, rows.get(0).get("object_id"));
        assertFalse(audit.asString().contains(token));
    }

    @Test
    void theOpenApiDocumentDescribesTheTokenEndpoints() {
        var paths = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath()
                .<String, Map<String, Object>>getMap("paths");
        assertEquals(Set.of("get", "post"), paths.get("/api/v1/workspaces/{workspace}/api-tokens").keySet().stream()
                .filter(m -> !m.equals("parameters")).collect(java.util.stream.Collectors.toSet()));
        assertTrue(paths.get("/api/v1/workspaces/{workspace}/api-tokens/{token_id}").keySet().containsAll(Set.of("get", "delete")));
    }
}
