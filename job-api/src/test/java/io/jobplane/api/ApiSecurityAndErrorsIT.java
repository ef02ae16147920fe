package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.jobplane.api.security.VerifiedTokens;

import io.jobplane.stack.DevTokens;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class ApiSecurityAndErrorsIT {

    @Inject
    VerifiedTokens verifiedTokens;

    @Test
    void requestsWithoutAValidTokenAre401WithAJsonError() {
        String ws = uniqueWorkspace();
        var key = TestInfrastructure.shared().keys().privateKey();
        String expired = DevTokens.builder(key).subject("x").workspace(ws, "admin")
                .expiresAt(Instant.now().minusSeconds(600)).sign();
        String wrongAudience = DevTokens.builder(key).subject("x").workspace(ws, "admin").audience("someone-else")
                .expiresAt(Instant.now().plusSeconds(600)).sign();
        String wrongIssuer = DevTokens.builder(key).subject("x").workspace(ws, "admin").issuer("https://evil")
                .expiresAt(Instant.now().plusSeconds(600)).sign();
        String valid = ApiTestSupport.token(ws, "admin");
        String badSignature = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA" + valid.substring(valid.lastIndexOf('.') + 5);

        given().get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(401)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo("UNAUTHENTICATED"))
                .body("solution_msg", notNullValue())
                .body("request_id", notNullValue());
        for (String token : List.of(expired, wrongAudience, wrongIssuer, badSignature, "not-a-jwt")) {
            given().auth().oauth2(token).get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(401)
                    .body("error_code", equalTo("UNAUTHENTICATED"));
        }
        given().auth().oauth2(valid).get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200);
    }

    @Test
    void aVerifiedTokenIsNotVerifiedAgainUntilItExpires() {
        String ws = uniqueWorkspace();
        var key = TestInfrastructure.shared().keys().privateKey();
        String shortLived = DevTokens.builder(key).subject("x").workspace(ws, "admin")
                .expiresAt(Instant.now().plusSeconds(3)).sign();
        given().auth().oauth2(shortLived).get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200);
        long hits = verifiedTokens.hits();
        given().auth().oauth2(shortLived).get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200);
        assertTrue(verifiedTokens.hits() > hits, "the second request with the same token is answered from the cache");

        // Another signature on the same claims is a different token: verified, and refused.
        String forged = shortLived.substring(0, shortLived.lastIndexOf('.') + 1) + "AAAA"
                + shortLived.substring(shortLived.lastIndexOf('.') + 5);
        given().auth().oauth2(forged).get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(401);

        // Once the token expires, the cache does not keep it alive.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> given().auth()
                .oauth2(shortLived).get("/api/v1/workspaces/{ws}/jobs", ws).statusCode() == 401);
        given().auth().oauth2(shortLived).get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(401)
                .body("error_code", equalTo("UNAUTHENTICATED"));
    }

    @Test
    void anotherWorkspaceAnswers404AndALowRoleAnswers403() {
        String mine = uniqueWorkspace();
        String theirs = uniqueWorkspace();
        String connectionId = as(theirs, "admin").body(postgresConnection("theirs", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", theirs).then().statusCode(201)
                .extract().path("connection_id");

        as(mine, "admin").get("/api/v1/workspaces/{ws}/connections/{id}", theirs, connectionId)
                .then().statusCode(404).body("error_code", equalTo("WORKSPACE_NOT_FOUND"));
        as(mine, "admin").get("/api/v1/workspaces/{ws}/connections/{id}", mine, connectionId)
                .then().statusCode(404).body("error_code", equalTo("CONNECTION_NOT_FOUND"));
        as(mine, "viewer").body(postgresConnection("c", "pw")).post("/api/v1/workspaces/{ws}/connections", mine)
                .then().statusCode(403).body("error_code", equalTo("INSUFFICIENT_ROLE"));
    }

    @Test
    void badInputGetsACodeAMessageAndAFixAndStoresNothing() throws Exception {
        String ws = uniqueWorkspace();
        String path = "/api/v1/workspaces/" + ws + "/connections";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"name\": ", "MALFORMED_JSON");
        cases.put("{\"name\":\"a\",\"type\":\"postgresql\",\"jdbc_url\":\"jdbc:postgresql://h/db\",\"colour\":1}",
                "UNKNOWN_FIELD");
        cases.put("{\"name\":\"a\",\"type\":\"oracle\",\"jdbc_url\":\"jdbc:postgresql://h/db\"}", "INVALID_ENUM_VALUE");
        cases.put("{\"name\":\"a\",\"type\":\"postgresql\",\"port\":\"many\",\"host\":\"h\",\"database\":\"d\"}",
                "INVALID_FIELD_TYPE");
        cases.put("{\"type\":\"postgresql\",\"jdbc_url\":\"jdbc:postgresql://h/db\"}", "VALIDATION_FAILED");
        cases.put("{\"name\":\"" + "x".repeat(300) + "\",\"type\":\"postgresql\",\"jdbc_url\":\"jdbc:postgresql://h/db\"}",
                "VALIDATION_FAILED");
        cases.put("{\"name\":\"a\",\"type\":\"postgresql\"}", "CONNECTION_ADDRESS_MISSING");
        cases.put("{\"name\":\"a\",\"type\":\"postgresql\",\"jdbc_url\":\"jdbc:postgresql://u:p@h/db\"}", "INVALID_JDBC_URL");
        cases.put("[]", "INVALID_FIELD_TYPE");
        cases.put("{\"name\":\"a\",\"type\":\"postgresql\",\"jdbc_url\":\"jdbc:postgresql://h/db\",\"username\":\"\\u0000\"}",
                "INVALID_VALUE");
        cases.forEach((body, code) -> as(ws, "editor").body(body).post(path)
                .then().statusCode(400)
                .body("error_code", equalTo(code))
                .body("error_msg", notNullValue())
                .body("solution_msg", notNullValue()));

        as(ws, "editor").body(Map.of("name", "j", "type", "TABLE_TO_TABLE",
                "destination_connection_id", UUID.randomUUID().toString(), "tasks", List.of(Map.of("query", "select 1"))))
                .post("/api/v1/workspaces/{ws}/jobs", ws)
                .then().statusCode(400).body("error_code", equalTo("UNKNOWN_CONNECTION"));
        as(ws, "editor").body("{\"name\":\"j\",\"type\":\"NOT_A_TYPE\"}").post("/api/v1/workspaces/{ws}/jobs", ws)
                .then().statusCode(400).body("error_code", equalTo("INVALID_ENUM_VALUE"))
                .body("solution_msg", containsString("TABLE_TO_TABLE"));

        assertEquals(0, RunLaunchIT.count("select count(*) from api.connection where workspace = '" + ws + "'"));
        assertEquals(0, RunLaunchIT.count("select count(*) from api.job where workspace = '" + ws + "'"));
    }

    @Test
    void unknownPathsAndRunsAreJson404() {
        String ws = uniqueWorkspace();
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, UUID.randomUUID())
                .then().statusCode(404).body("error_code", equalTo("RUN_NOT_FOUND"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/not-a-uuid", ws)
                .then().statusCode(404).contentType(ContentType.JSON);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("/api/v1/workspaces/{workspace}/jobs"));
    }

    @Test
    void theOpenApiDocumentListsEveryResourceSettingAndWriteOnlySecret() {
        var doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        java.util.Set<String> paths = doc.<String, Object>getMap("paths").keySet();
        for (String path : List.of("/api/v1/workspaces", "/api/v1/workspaces/{workspace}",
                "/api/v1/workspaces/{workspace}/connections", "/api/v1/workspaces/{workspace}/connections/{connection_id}",
                "/api/v1/workspaces/{workspace}/connections/{connection_id}/test", "/api/v1/workspaces/{workspace}/jobs",
                "/api/v1/workspaces/{workspace}/jobs/{job_id}", "/api/v1/workspaces/{workspace}/jobs/{job_id}/tasks",
                "/api/v1/workspaces/{workspace}/jobs/{job_id}/tasks/{task_id}",
                "/api/v1/workspaces/{workspace}/jobs/{job_id}/tasks/{task_id}/move",
                "/api/v1/workspaces/{workspace}/jobs/{job_id}/runs", "/api/v1/workspaces/{workspace}/audit")) {
            assertTrue(paths.contains(path), path + " is documented; documented: " + paths);
        }
        Map<String, Object> connection = doc.<String, Object>getMap("components.schemas.ConnectionRequest.properties");
        assertTrue(connection.keySet().containsAll(List.of("base_path", "base_url", "headers", "secret_headers", "auth_token",
                "jdbc_url", "password")), connection.keySet().toString());
        for (String secret : List.of("password", "auth_token", "secret_headers", "api_key")) {
            assertEquals(Boolean.TRUE, doc.get("components.schemas.ConnectionRequest.properties." + secret + ".writeOnly"),
                    secret + " is write-only");
        }
        assertEquals(List.of("postgresql", "mysql", "hive_metastore", "filesystem", "http", "treasure_data"),
                doc.getList("components.schemas.ConnectionType.enum"));
        Map<String, Object> job = doc.<String, Object>getMap("components.schemas.JobRequest.properties");
        assertTrue(job.keySet().containsAll(List.of("schedule", "notifications", "execution", "replication", "parameter",
                "queries", "tasks", "pipeline_id", "source_connection_id", "destination_connection_id", "labels",
                "continue_on_error")), job.keySet().toString());
        assertTrue(doc.<String, Object>getMap("components.schemas.Replication.properties").keySet().containsAll(List.of(
                "destination_schema", "table_name_prefix", "use_gmt_datetime", "history_mode", "truncate_table_data",
                "drop_table", "auto_truncate_strings", "deletion_behavior", "alter_schema", "replicate_interval",
                "replicate_interval_unit", "replicate_start_date", "batch_size", "cdc_engine_settings")));
        assertTrue(doc.<String, Object>getMap("components.schemas.JobParameter.properties").keySet().containsAll(List.of(
                "metadata_migration_parameter", "permission_migration_parameter", "metadata_discovery_parameter")));
        assertEquals(Boolean.TRUE, doc.get("components.schemas.DataSourceParameter.properties.secret_key.writeOnly"));
        assertEquals(20, (Integer) doc.get("components.schemas.MetadataMigrationParameter.properties.locations.maxItems"));
        assertEquals(49, (Integer) doc.get("components.schemas.Principal.properties.principal_name.maxLength"));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
