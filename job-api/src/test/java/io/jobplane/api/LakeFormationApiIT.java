package io.jobplane.api;

import static io.jobplane.api.dialect.lakeformation.LfJobBodies.discovery;
import static io.jobplane.api.dialect.lakeformation.LfJobBodies.migration;
import static io.jobplane.api.dialect.lakeformation.LfJobBodies.permissions;
import static io.jobplane.api.dialect.lakeformation.LfJobBodies.principal;
import static io.jobplane.api.dialect.lakeformation.LfJobBodies.seedRequest;
import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.token;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunHeartbeat;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * LakeFormation's lf-jobs against the real broker and database: the reference's example request as
 * printed, every field rule, list/show/update/delete/start/stop over the native services, statuses
 * that follow native run states (the test plays the worker), other workspaces 404, native roles 403,
 * bad bodies answered in LakeFormation's error shape and changing nothing, the OpenAPI tag.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class LakeFormationApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TABLE_12 = List.of("id", "name", "description", "type", "parameter", "create_time",
            "status");
    private static final List<String> SEED_SECRETS = List.of("LTAIxxxxxxxxxxxxxxxxRxPG", "12345xxxxxxxxxxxxxxxxNabcdefgh",
            "\"password\"", "access_key", "secret_key");

    /** A LakeFormation instance of a fresh project: its path and its workspace. */
    private record Instance(String project, String instance) {
        static Instance fresh() {
            return new Instance(UUID.randomUUID().toString().replace("-", ""), UUID.randomUUID().toString());
        }

        String ws() {
            return project + "." + instance;
        }

        String jobs() {
            return "/v1/" + project + "/instances/" + instance + "/lf-jobs";
        }
    }

    @Test
    void theReferencesExampleRequestCreatesAJobVisibleNatively() throws Exception {
        Instance lf = Instance.fresh();
        String jwt = token(lf.ws(), "editor");
        String printed = seedRequest();

        // As printed, sync_objects holds the generator's placeholder "string", outside the reference's own enumeration.
        JsonPath refused = post(jwt, lf.jobs(), printed).then().statusCode(400).extract().jsonPath();
        assertError(refused, 400, "common.01000001", "INVALID_ENUM_VALUE");
        assertTrue(refused.getString("error_msg").contains("sync_objects[0]"), refused.prettify());
        assertNothing(lf);

        // With that placeholder replaced by a documented value (the example response shows "DATABASE"): 201, table 12.
        ObjectNode body = (ObjectNode) JSON.readTree(printed);
        ((ArrayNode) body.at("/parameter/metadata_migration_parameter/sync_objects")).removeAll().add("DATABASE");
        Response created = post(jwt, lf.jobs(), body.toString());
        assertEquals(201, created.statusCode(), created.asString());
        JsonPath job = created.jsonPath();
        assertEquals(TABLE_12, new ArrayList<>(job.getMap("$").keySet()), "table 12's fields, without a start before any run");
        assertEquals("testjob", job.getString("name"));
        assertEquals("testjob", job.getString("description"));
        assertEquals("METADATA_MIGRATION", job.getString("type"));
        assertEquals("CREATED", job.getString("status"));
        assertTrue(job.getString("create_time").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
        assertEquals(List.of("metadata_migration_parameter"), new ArrayList<>(job.getMap("parameter").keySet()),
                "only the member of the job's type");
        assertEquals("ALIYUN_DLF", job.getString("parameter.metadata_migration_parameter.datasource_type"));
        assertEquals("xxxx.com", job.getString("parameter.metadata_migration_parameter.datasource_parameter.endpoint"));
        assertEquals(List.of("DATABASE"), job.getList("parameter.metadata_migration_parameter.sync_objects"));
        assertEquals("test2/db", job.getString("parameter.metadata_migration_parameter.locations[0].value"));
        assertNoSecret(created.asString());
        String id = job.getString("id");

        // The same job natively: its secrets sealed, listed by name only.
        as(lf.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{id}", lf.ws(), id).then().statusCode(200)
                .body("name", equalTo("testjob")).body("type", equalTo("METADATA_MIGRATION"))
                .body("secrets_set", equalTo(List.of("datasource_parameter.access_key", "datasource_parameter.password",
                        "datasource_parameter.secret_key")));
        String nativeView = as(lf.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{id}", lf.ws(), id).asString();
        for (String secret : SEED_SECRETS.subList(0, 2)) {
            assertFalse(nativeView.contains(secret), "no secret value natively either");
        }
        Response shown = given().auth().oauth2(jwt).get(lf.jobs() + "/" + id);
        assertEquals(200, shown.statusCode(), shown.asString());
        assertEquals(job.getMap("$"), shown.jsonPath().getMap("$"));
        assertNoSecret(shown.asString());
        // The name is unique in the instance, as natively.
        assertError(post(jwt, lf.jobs(), body.toString()).then().statusCode(409).extract().jsonPath(), 409, "common.00000409",
                "JOB_NAME_TAKEN");
    }

    @Test
    void everyFieldRuleBrokenOnceIsRefusedAndCreatesNothing() throws Exception {
        Instance lf = Instance.fresh();
        String jwt = token(lf.ws(), "editor");
        Map<String, Consumer<ObjectNode>> cases = new LinkedHashMap<>();
        cases.put("INVALID_PARAMETER name too short", j -> j.put("name", "abc"));
        cases.put("INVALID_PARAMETER name with dash", j -> j.put("name", "has-dash"));
        cases.put("VALIDATION_FAILED name too long", j -> j.put("name", "x".repeat(256)));
        cases.put("VALIDATION_FAILED description", j -> j.put("description", "d".repeat(4001)));
        cases.put("INVALID_ENUM_VALUE type", j -> j.put("type", "STANDARD"));
        cases.put("MISSING_FIELD parameter", j -> j.remove("parameter"));
        cases.put("MISSING_FIELD name", j -> j.remove("name"));
        cases.put("UNKNOWN_FIELD top", j -> j.put("priority", 1));
        cases.put("INVALID_FIELD_TYPE name", j -> j.put("name", 12345));
        cases.put("INVALID_PARAMETER member of the type", j -> j.put("type", "PERMISSION_MIGRATION").with("parameter")
                .remove("permission_migration_parameter"));
        cases.put("INVALID_ENUM_VALUE datasource_type", j -> migration(j).put("datasource_type", "HIVE"));
        cases.put("INVALID_ENUM_VALUE conflict_strategy", j -> migration(j).put("conflict_strategy", "UPDATE"));
        cases.put("INVALID_ENUM_VALUE sync_objects", j -> migration(j).putArray("sync_objects").add("VIEW"));
        cases.put("VALIDATION_FAILED sync_objects empty", j -> migration(j).putArray("sync_objects"));
        cases.put("INVALID_ENUM_VALUE network_type", j -> migration(j).put("network_type", "VPN"));
        cases.put("VALIDATION_FAILED source_catalog", j -> migration(j).remove("source_catalog"));
        cases.put("VALIDATION_FAILED locations over 20", j -> {
            ArrayNode locations = migration(j).putArray("locations");
            for (int i = 0; i < 21; i++) {
                locations.addObject().put("key", "k" + i).put("value", "v" + i);
            }
        });
        cases.put("VALIDATION_FAILED username", j -> ((ObjectNode) migration(j).get("datasource_parameter")).put("username", "etl_user"));
        cases.put("INVALID_PARAMETER endpoint", j -> ((ObjectNode) migration(j).get("datasource_parameter")).remove("endpoint"));
        cases.put("INVALID_PARAMETER secret_key", j -> ((ObjectNode) migration(j).get("datasource_parameter")).remove("secret_key"));
        cases.put("INVALID_PARAMETER accepted_vpc_id", j -> migration(j).put("network_type", "VPC_PEERING").remove("accepted_vpc_id"));
        cases.put("INVALID_ENUM_VALUE policy_type", j -> permissions(j).put("policy_type", "ACL"));
        cases.put("VALIDATION_FAILED file_name", j -> permissions(j).put("file_name", "a|b.json"));
        cases.put("INVALID_PARAMETER catalog_id", j -> permissions(j).remove("catalog_id"));
        cases.put("INVALID_ENUM_VALUE user_to", j -> permissions(j).with("ranger_permission_migration_principal_relas")
                .put("user_to", "ADMIN"));
        cases.put("INVALID_ENUM_VALUE file_discovery_type", j -> discovery(j).put("file_discovery_type", "TEXT"));
        cases.put("INVALID_ENUM_VALUE quote", j -> discovery(j).put("quote", "BACKTICK"));
        cases.put("VALIDATION_FAILED file_sample_rate", j -> discovery(j).put("file_sample_rate", 101));
        cases.put("INVALID_ENUM_VALUE execute_strategy", j -> discovery(j).put("execute_strategy", "MANUAL"));
        cases.put("INVALID_PARAMETER execute_day", j -> discovery(j).put("execute_strategy", "SCHEDULE").put("execute_day", 32));
        cases.put("INVALID_PARAMETER execute_hour", j -> discovery(j).put("execute_strategy", "SCHEDULE")
                .put("execute_frequency", "HOURLY").put("execute_day", "*").put("execute_hour", 3));
        cases.put("VALIDATION_FAILED principal_name long", j -> principal(j).put("principal_name", "p".repeat(50)));
        cases.put("VALIDATION_FAILED principal_name char", j -> principal(j).put("principal_name", "ana lyst"));
        cases.put("INVALID_ENUM_VALUE principal_type", j -> principal(j).put("principal_type", "ROBOT"));
        cases.put("INVALID_ENUM_VALUE principal_source", j -> principal(j).put("principal_source", "KERBEROS"));
        for (Map.Entry<String, Consumer<ObjectNode>> c : cases.entrySet()) {
            ObjectNode job = valid();
            c.getValue().accept(job);
            Response r = post(jwt, lf.jobs(), job.toString());
            assertEquals(400, r.statusCode(), c.getKey() + ": " + r.asString());
            assertError(r.jsonPath(), 400, "common.01000001", c.getKey().substring(0, c.getKey().indexOf(' ')));
        }
        assertNothing(lf);
        // Each base is valid: the refusals above are the rule each case breaks.
        for (Consumer<ObjectNode> type : List.<Consumer<ObjectNode>>of(j -> migration(j), j -> permissions(j).put("policy_type", "RANGER")
                .remove("catalog_id"), j -> discovery(j).put("execute_strategy", "SCHEDULE"))) {
            ObjectNode job = valid();
            type.accept(job);
            job.put("name", "valid_" + job.get("type").asText().toLowerCase());
            post(jwt, lf.jobs(), job.toString()).then().statusCode(201);
        }
        given().auth().oauth2(jwt).get(lf.jobs()).then().statusCode(200).body("total_count", equalTo(3));
    }

    @Test
    void listShowUpdateDeleteStartAndStopMapOntoTheNativeServices() throws Exception {
        Instance lf = Instance.fresh();
        String editor = token(lf.ws(), "editor");
        ObjectNode d = valid();
        discovery(d).put("execute_strategy", "SCHEDULE");
        d.put("name", "discover_raw");
        String discoveryId = post(editor, lf.jobs(), d.toString()).then().statusCode(201).extract().path("id");
        ObjectNode m = valid();
        m.put("name", "migrate_hive");
        String migrationId = post(editor, lf.jobs(), m.toString()).then().statusCode(201).extract().path("id");
        // A native job of another type is not an lf-job.
        String db = as(lf.ws(), "editor").body(ApiTestSupport.postgresConnection("warehouse", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", lf.ws()).then().statusCode(201).extract().path("connection_id");
        String sql = as(lf.ws(), "editor").body(Map.of("name", "plain_sql", "type", "TABLE_TO_TABLE",
                "destination_connection_id", db, "queries", List.of("select 1")))
                .post("/api/v1/workspaces/{ws}/jobs", lf.ws()).then().statusCode(201).extract().path("job_id");

        // List: newest first, filtered by name pattern, type and status; paged by offset and limit.
        JsonPath all = given().auth().oauth2(editor).get(lf.jobs()).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("jobs", "total_count"), new ArrayList<>(all.getMap("$").keySet()));
        assertEquals(2, all.getInt("total_count"));
        assertEquals(List.of("migrate_hive", "discover_raw"), all.getList("jobs.name"));
        assertNoSecret(all.prettify());
        given().auth().oauth2(editor).queryParam("name_pattern", "DISC").get(lf.jobs()).then().statusCode(200)
                .body("jobs.id", equalTo(List.of(discoveryId)));
        given().auth().oauth2(editor).queryParam("type", "METADATA_MIGRATION").get(lf.jobs()).then()
                .body("jobs.id", equalTo(List.of(migrationId)));
        given().auth().oauth2(editor).queryParam("status", "CREATED").queryParam("offset", 1).queryParam("limit", 1)
                .get(lf.jobs()).then().body("total_count", equalTo(2)).body("jobs.id", equalTo(List.of(discoveryId)));
        given().auth().oauth2(editor).queryParam("status", "RUNNING").get(lf.jobs()).then().body("total_count", equalTo(0));
        assertError(given().auth().oauth2(editor).queryParam("status", "QUEUED").get(lf.jobs()).then().statusCode(400)
                .extract().jsonPath(), 400, "common.01000001", "INVALID_ENUM_VALUE");
        assertError(given().auth().oauth2(editor).get(lf.jobs() + "/" + sql).then().statusCode(404).extract().jsonPath(), 404,
                "common.01000001", "JOB_NOT_FOUND");

        // Update: description and parameter through the native update; empty secrets keep the sealed ones.
        String sealed = ApiTestSupport.storedValue("select secrets from api.job where id = ?::uuid", migrationId);
        ObjectNode change = JSON.createObjectNode().put("description", "moved again");
        ObjectNode parameter = (ObjectNode) valid().get("parameter");
        ObjectNode ds = (ObjectNode) parameter.at("/metadata_migration_parameter/datasource_parameter");
        ds.put("password", "").put("access_key", "").put("secret_key", "");
        ((ObjectNode) parameter.get("metadata_migration_parameter")).putArray("sync_objects").add("TABLE").add("PARTITION");
        change.set("parameter", parameter);
        Response updated = put(editor, lf.jobs() + "/" + migrationId, change.toString());
        assertEquals(200, updated.statusCode(), updated.asString());
        assertEquals("moved again", updated.jsonPath().getString("description"));
        assertEquals(List.of("TABLE", "PARTITION"), updated.jsonPath().getList("parameter.metadata_migration_parameter.sync_objects"));
        assertEquals(sealed, ApiTestSupport.storedValue("select secrets from api.job where id = ?::uuid", migrationId));
        as(lf.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{id}", lf.ws(), migrationId).then()
                .body("description", equalTo("moved again"));
        assertError(put(editor, lf.jobs() + "/" + migrationId, "{\"type\": \"METADATA_DISCOVERY\"}").then().statusCode(400)
                .extract().jsonPath(), 400, "common.01000001", "TYPE_CANNOT_CHANGE");

        // Start: a discovery whose data_location names no connection of the instance is refused, nothing launched.
        String operator = token(lf.ws(), "operator");
        JsonPath refused = given().auth().oauth2(operator).post(lf.jobs() + "/" + discoveryId + "/start").then().statusCode(409)
                .extract().jsonPath();
        assertError(refused, 409, "common.00000409", "DATA_LOCATION_UNKNOWN");
        assertTrue(refused.getString("error_msg").contains("obs://logStore/2023"), refused.prettify());
        assertEquals("0", ApiTestSupport.storedValue("select count(*) from api.run where job_id = ?::uuid", discoveryId));
        // A migration from DLF's API is not run by this version; from a metastore database over JDBC it starts through the
        // one launch pipeline: SUBMITTED until a worker takes it. Its launch command carries the parameter and the sealed
        // password, never the password itself.
        assertError(given().auth().oauth2(operator).post(lf.jobs() + "/" + migrationId + "/start").then().statusCode(409)
                .extract().jsonPath(), 409, "common.00000409", "CONNECTION_TYPE_NOT_RUNNABLE");
        ObjectNode overJdbc = (ObjectNode) parameter.get("metadata_migration_parameter");
        overJdbc.put("datasource_type", "MRS_RDS_FOR_PG");
        ((ObjectNode) overJdbc.get("datasource_parameter")).put("jdbc_url", "jdbc:postgresql://metastore-db:5432/hive")
                .put("password", "canary-lf-jdbc");
        assertEquals(200, put(editor, lf.jobs() + "/" + migrationId, "{\"parameter\": " + parameter + "}").statusCode());
        JsonPath started = given().auth().oauth2(operator).post(lf.jobs() + "/" + migrationId + "/start").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("SUBMITTED", started.getString("status"), started.prettify());
        String runId = ApiTestSupport.storedValue("select id::text from api.run where job_id = ?::uuid", migrationId);
        String command = await().atMost(Duration.ofSeconds(30))
                .until(() -> RunLaunchIT.findByKey(Topics.COMMANDS, runId), r -> r != null).value();
        assertTrue(command.contains("\"metadata_migration_parameter\"") && command.contains("datasource_parameter.password"), command);
        assertFalse(command.contains("canary-lf-jdbc"), command);
        // Stop without a run in progress.
        assertError(given().auth().oauth2(operator).post(lf.jobs() + "/" + discoveryId + "/stop").then().statusCode(409)
                .extract().jsonPath(), 409, "common.00000409", "JOB_NOT_RUNNING");

        // Delete: the native delete; gone from both APIs.
        given().auth().oauth2(editor).delete(lf.jobs() + "/" + discoveryId).then().statusCode(204);
        assertError(given().auth().oauth2(editor).get(lf.jobs() + "/" + discoveryId).then().statusCode(404).extract().jsonPath(),
                404, "common.01000001", "JOB_NOT_FOUND");
        as(lf.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{id}", lf.ws(), discoveryId).then().statusCode(404);
        given().auth().oauth2(editor).get(lf.jobs()).then().body("jobs.id", equalTo(List.of(migrationId)));
    }

    /**
     * This version refuses to launch lf-job types, so the run a later release's launch will record is
     * written here as the launch pipeline writes a dispatched one; the test then plays the worker.
     */
    @Test
    void statusesFollowTheNativeRunStates() throws Exception {
        Instance lf = Instance.fresh();
        String editor = token(lf.ws(), "editor");
        String operator = token(lf.ws(), "operator");
        ObjectNode m = valid();
        String id = post(editor, lf.jobs(), m.toString()).then().statusCode(201).extract().path("id");

        String run = dispatchedRun(lf.ws(), id);
        assertEquals("SUBMITTED", status(editor, lf, id));
        heartbeat(run, lf.ws(), id, "ACCEPTED");
        send(run, EventTypes.RUN_STARTED, new RunStarted(run, 1, lf.ws(), id, "w1", Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(status(editor, lf, id)));

        // Stop: the native cancel; the run goes CANCELLING (still RUNNING here) until the worker stops it.
        given().auth().oauth2(operator).post(lf.jobs() + "/" + id + "/stop").then().statusCode(200).body("status", equalTo("RUNNING"));
        as(lf.ws(), "viewer").get("/api/v1/workspaces/{ws}/runs/{run}", lf.ws(), run).then().body("status", equalTo("CANCELLING"));
        send(run, EventTypes.RUN_FINISHED, new RunFinished(run, 1, lf.ws(), id, RunStatus.STOPPED, "stopped", Instant.now(),
                "STOPPED", "w1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "STOPPED".equals(status(editor, lf, id)));

        for (RunStatus end : List.of(RunStatus.FAILED, RunStatus.SUCCESS)) {
            String next = dispatchedRun(lf.ws(), id);
            heartbeat(next, lf.ws(), id, "ACCEPTED");
            send(next, EventTypes.RUN_STARTED, new RunStarted(next, 1, lf.ws(), id, "w1", Instant.now()));
            send(next, EventTypes.RUN_FINISHED, new RunFinished(next, 1, lf.ws(), id, end,
                    end == RunStatus.SUCCESS ? null : "it failed", Instant.now(), end == RunStatus.SUCCESS ? null : "TASK_FAILED", "w1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> end.name().equals(status(editor, lf, id)));
        }
        given().auth().oauth2(editor).queryParam("status", "SUCCESS").get(lf.jobs()).then().body("jobs.id", equalTo(List.of(id)));
        // A job with a run in progress cannot be changed or deleted: the native rule, in LakeFormation's shape.
        String busy = dispatchedRun(lf.ws(), id);
        assertError(given().auth().oauth2(editor).delete(lf.jobs() + "/" + id).then().statusCode(409).extract().jsonPath(), 409,
                "common.00000409", "JOB_RUNNING");
        given().auth().oauth2(operator).post(lf.jobs() + "/" + id + "/stop").then().statusCode(200);
        send(busy, EventTypes.RUN_FINISHED, new RunFinished(busy, 1, lf.ws(), id, RunStatus.STOPPED, "stopped", Instant.now(),
                "STOPPED", "w1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "STOPPED".equals(status(editor, lf, id)));
    }

    @Test
    void otherWorkspacesAreNotFoundAndRolesAreTheNativeOnes() throws Exception {
        Instance lf = Instance.fresh();
        ObjectNode body = valid();
        String id = post(token(lf.ws(), "editor"), lf.jobs(), body.toString()).then().statusCode(201).extract().path("id");
        ObjectNode second = valid();
        second.put("name", "second_job");
        // Each endpoint with the least role it needs natively, and what that role gets.
        record Call(String method, String path, String body, String role, int ok) {
        }
        List<Call> calls = List.of(
                new Call("POST", lf.jobs(), second.toString(), "editor", 201),
                new Call("GET", lf.jobs(), null, "viewer", 200),
                new Call("GET", lf.jobs() + "/" + id, null, "viewer", 200),
                new Call("PUT", lf.jobs() + "/" + id, "{\"description\": \"changed\"}", "editor", 200),
                new Call("POST", lf.jobs() + "/" + id + "/start", null, "operator", 409),
                new Call("POST", lf.jobs() + "/" + id + "/stop", null, "operator", 409),
                new Call("DELETE", lf.jobs() + "/" + id, null, "editor", 204));
        List<String> roles = List.of("viewer", "operator", "editor", "admin");
        String foreign = token(uniqueWorkspace(), "admin");
        Instance other = Instance.fresh();
        String otherAdmin = token(other.ws(), "admin");
        for (Call c : calls) {
            JsonPath notFound = call(foreign, c.method(), c.path(), c.body()).then().statusCode(404).extract().jsonPath();
            assertError(notFound, 404, "common.01000001", "WORKSPACE_NOT_FOUND");
            // Exactly the answer for an instance that does not exist.
            Instance none = Instance.fresh();
            JsonPath missing = call(foreign, c.method(), c.path().replace(lf.jobs(), none.jobs()), c.body()).then().statusCode(404)
                    .extract().jsonPath();
            assertEquals(missing.getString("error_msg").replace(none.ws(), lf.ws()), notFound.getString("error_msg"));
            // The same job id under an instance the caller does hold is not that instance's job.
            String elsewhere = c.path().replace(lf.jobs(), other.jobs());
            Response r = call(otherAdmin, c.method(), elsewhere, c.body());
            if (c.path().equals(lf.jobs())) {
                assertTrue(r.statusCode() < 300, r.asString());
            } else {
                assertError(r.then().statusCode(404).extract().jsonPath(), 404, "common.01000001", "JOB_NOT_FOUND");
            }
            for (String role : roles.subList(0, roles.indexOf(c.role()))) {
                JsonPath forbidden = call(token(lf.ws(), role), c.method(), c.path(), c.body()).then().statusCode(403)
                        .extract().jsonPath();
                assertError(forbidden, 403, "403", "INSUFFICIENT_ROLE");
                assertEquals("Forbidden", forbidden.getString("title"));
                assertEquals("403", forbidden.getString("error.code"));
                assertEquals(forbidden.getString("error_msg"), forbidden.getString("error.message"));
            }
        }
        as(lf.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs/{id}", lf.ws(), id).then().statusCode(200)
                .body("description", equalTo("testjob"));
        for (Call c : calls) {
            Response r = call(token(lf.ws(), c.role()), c.method(), c.path(), c.body());
            assertEquals(c.ok(), r.statusCode(), c + ": " + r.asString());
        }
        // No token, or a bad one: 401 in LakeFormation's shape; a project id that cannot name a workspace: 404.
        assertError(given().get(lf.jobs()).then().statusCode(401).extract().jsonPath(), 401, "APIG.1002", "UNAUTHENTICATED");
        assertError(given().auth().oauth2("not.a.token").get(lf.jobs()).then().statusCode(401).extract().jsonPath(), 401,
                "APIG.1002", "UNAUTHENTICATED");
        assertError(given().auth().oauth2(token(lf.ws(), "admin")).get("/v1/a.b/instances/" + lf.instance() + "/lf-jobs").then()
                .statusCode(404).extract().jsonPath(), 404, "common.01000001", "WORKSPACE_NOT_FOUND");
    }

    /**
     * A LakeFormation client sends its credential in {@code X-Auth-Token}: an API token (and the platform's
     * JWT) works there, with the token's workspace and role; a revoked one is refused in LakeFormation's shape.
     */
    @Test
    void lakeFormationClientsAuthenticateWithAnApiTokenInXAuthToken() throws Exception {
        Instance lf = Instance.fresh();
        post(token(lf.ws(), "editor"), lf.jobs(), valid().toString()).then().statusCode(201);
        Response created = as(lf.ws(), "admin").body(java.util.Map.of("name", "lf-script", "role", "viewer",
                "expires_at", Instant.now().plus(Duration.ofDays(1)).toString()))
                .post("/api/v1/workspaces/{ws}/api-tokens", lf.ws());
        created.then().statusCode(201);
        String apiToken = created.jsonPath().getString("token");
        for (String credential : List.of(apiToken, token(lf.ws(), "viewer"))) {
            given().header("X-Auth-Token", credential).get(lf.jobs()).then().statusCode(200).body("total_count", equalTo(1));
        }
        ObjectNode second = valid();
        second.put("name", "viewer_cannot");
        JsonPath forbidden = given().header("X-Auth-Token", apiToken).contentType(ContentType.JSON).body(second.toString())
                .post(lf.jobs()).then().statusCode(403).extract().jsonPath();
        assertError(forbidden, 403, "403", "INSUFFICIENT_ROLE");
        as(lf.ws(), "admin").delete("/api/v1/workspaces/{ws}/api-tokens/{id}", lf.ws(), created.jsonPath().getString("token_id"))
                .then().statusCode(204);
        assertError(given().header("X-Auth-Token", apiToken).get(lf.jobs()).then().statusCode(401).extract().jsonPath(), 401,
                "APIG.1002", "UNAUTHENTICATED");
    }

    @Test
    void malformedAndOversizedBodiesGetLakeFormationsShapeAndChangeNothing() throws Exception {
        Instance lf = Instance.fresh();
        String jwt = token(lf.ws(), "admin");
        String id = post(jwt, lf.jobs(), valid().toString()).then().statusCode(201).extract().path("id");
        String before = given().auth().oauth2(jwt).get(lf.jobs() + "/" + id).asString();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"name\": ", "MALFORMED_JSON");
        cases.put("{\"description\": \"x\"} trailing", "MALFORMED_JSON");
        cases.put("", "MISSING_BODY");
        cases.put("[\"testjob\"]", "INVALID_FIELD_TYPE");
        cases.put("{\"description\": \"" + "x".repeat(70_000) + "\"}", "BODY_TOO_LARGE");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            int status = c.getValue().equals("BODY_TOO_LARGE") ? 413 : 400;
            String code = status == 413 ? "common.00000413" : "common.01000001";
            assertError(post(jwt, lf.jobs(), c.getKey()).then().statusCode(status).extract().jsonPath(), status, code, c.getValue());
            assertError(put(jwt, lf.jobs() + "/" + id, c.getKey()).then().statusCode(status).extract().jsonPath(), status, code,
                    c.getValue());
        }
        assertError(given().auth().oauth2(jwt).contentType(ContentType.TEXT).body("name=testjob").post(lf.jobs()).then()
                .statusCode(415).extract().jsonPath(), 415, "common.00000415", "UNSUPPORTED_MEDIA_TYPE");
        assertEquals(before, given().auth().oauth2(jwt).get(lf.jobs() + "/" + id).asString(), "nothing changed");
        given().auth().oauth2(jwt).get(lf.jobs()).then().body("total_count", equalTo(1));
    }

    @Test
    void theLakeFormationEndpointsHaveTheirOwnTagInTheOpenApiDocument() {
        JsonPath doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertTrue(doc.getList("tags.name").contains("LakeFormation"));
        String base = "/v1/{project_id}/instances/{instance_id}/lf-jobs";
        Map<String, List<String>> operations = Map.of(base, List.of("get", "post"), base + "/{job_id}",
                List.of("get", "put", "delete"), base + "/{job_id}/start", List.of("post"), base + "/{job_id}/stop", List.of("post"));
        operations.forEach((path, methods) -> methods.forEach(m -> assertEquals(List.of("LakeFormation"),
                doc.getList("paths.'" + path + "'." + m + ".tags"), m + " " + path)));
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static void assertError(JsonPath error, int status, String lfCode, String code) {
        String text = error.prettify();
        assertEquals(lfCode, error.getString("error_code"), text);
        assertEquals(code, error.getString("common_error_code"), text);
        assertFalse(error.getString("error_msg").isBlank(), text);
        assertFalse(error.getString("solution_msg").isBlank(), text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), "no stack trace: " + text);
        if (status != 403) {
            assertEquals(List.of("error_code", "error_msg", "common_error_code", "solution_msg", "request_id"),
                    new ArrayList<>(error.getMap("$").keySet()), text);
        }
    }

    private static void assertNoSecret(String body) {
        for (String secret : SEED_SECRETS) {
            assertFalse(body.contains(secret), secret + " in " + body);
        }
    }

    /** No lf-job and no native job in the instance's workspace. */
    private static void assertNothing(Instance lf) {
        given().auth().oauth2(token(lf.ws(), "viewer")).get(lf.jobs()).then().statusCode(200).body("total_count", equalTo(0));
        as(lf.ws(), "viewer").get("/api/v1/workspaces/{ws}/jobs", lf.ws()).then().statusCode(200).body("jobs.size()", equalTo(0));
    }

    private static String status(String jwt, Instance lf, String id) {
        return given().auth().oauth2(jwt).get(lf.jobs() + "/" + id).then().statusCode(200).extract().path("status");
    }

    private static Response post(String jwt, String path, String body) {
        return given().auth().oauth2(jwt).contentType(ContentType.JSON).body(body).post(path);
    }

    private static Response put(String jwt, String path, String body) {
        return given().auth().oauth2(jwt).contentType(ContentType.JSON).body(body).put(path);
    }

    private static Response call(String jwt, String method, String path, String body) {
        var request = given().auth().oauth2(jwt).contentType(ContentType.JSON);
        if (body != null) {
            request = request.body(body);
        }
        return request.request(method, path);
    }

    /** The seed's example with its placeholders replaced by documented values: a valid migration job. */
    private static ObjectNode valid() throws IOException {
        ObjectNode job = (ObjectNode) JSON.readTree(seedRequest());
        ((ArrayNode) job.at("/parameter/metadata_migration_parameter/sync_objects")).removeAll().add("DATABASE").add("TABLE");
        return job;
    }

    /** A run of the job as the launch pipeline records a dispatched one (this version does not launch lf-job types). */
    private static String dispatchedRun(String ws, String jobId) throws Exception {
        String run = UUID.randomUUID().toString();
        var pg = TestInfrastructure.shared().postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var st = c.prepareStatement("""
                        insert into api.run (id, workspace, job_id, attempt, trigger, requested_at, requested_by, state,
                                             execution_date, dispatched_at)
                        values (?::uuid, ?, ?::uuid, 1, 'manual', now(), 'tester', 'DISPATCHED', now(), now())""")) {
            st.setString(1, run);
            st.setString(2, ws);
            st.setString(3, jobId);
            st.executeUpdate();
        }
        return run;
    }

    private static void heartbeat(String run, String ws, String job, String state) {
        send(run, EventTypes.RUN_HEARTBEAT, new RunHeartbeat(run, 1, ws, job, "w1", state, Instant.now()));
    }

    private static void send(String run, String type, Object payload) {
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, run,
                EventCodec.encode(CloudEvent.of("/test/worker", type, run, payload)));
    }
}
