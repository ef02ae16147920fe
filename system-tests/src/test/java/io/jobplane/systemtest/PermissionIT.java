package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobplane.stack.Platform;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Permission migration end to end on the whole platform: a real Ranger policy file (Apache Ranger's Hive
 * policy-engine test set, kept beside the project in {@code shared/vendor/ranger}) is read by a
 * PERMISSION_MIGRATION run through a filesystem connection, its grants travel on
 * {@code jobplane.policy-changes} to policy-migrator, and job-api's grant queries answer them; a second run
 * of the same file changes nothing; the same job started through LakeFormation's lf-jobs API ends SUCCESS.
 */
@ExtendWith(SharedPlatform.class)
class PermissionIT {

    private static final String WS = "permissions-e2e";
    /** Counted by hand once from the file (execution-worker's RangerFilesTest keeps the working). */
    private static final int GRANTS = 43;
    private static final int LEFT_OUT = 6;
    private static Platform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SharedPlatform.platform();
    }


    @Test
    void aRangerFileBecomesGrantsAndRunningItAgainChangesNothing() throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Path folder = Files.createDirectories(platform.filesRoot().resolve("policies-" + suffix + "/ranger"));
        Files.copy(vendor("ranger/test_policyengine_hive.json"), folder.resolve("hive-policies.json"));
        api().body(Map.of("name", "policies-" + suffix, "type", "filesystem", "base_path", folder.getParent().toRealPath().toString()))
                .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(201);
        Map<String, Object> parameter = new HashMap<>(Map.of("location", "fs://policies-" + suffix + "/ranger",
                "file_name", "hive-policies.json", "policy_type", "RANGER", "log_location", "fs://policies-" + suffix + "/logs",
                "instance_id", "e2e"));
        parameter.put("ranger_permission_migration_principal_relas", Map.of("user_to", "IAM_USER", "user_prefix", "iam-",
                "group_to", "IAM_GROUP"));
        String jobId = api().body(Map.of("name", "ranger_" + suffix, "type", "PERMISSION_MIGRATION",
                        "parameter", Map.of("permission_migration_parameter", parameter)))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");

        String first = launch(jobId);
        awaitTerminal(first).body("status", equalTo("SUCCESS")).body("tasks[0].task_id", equalTo("migrate-permissions"))
                .body("tasks[0].rows_affected", equalTo(GRANTS));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> report(first).getBoolean("complete"));
        JsonPath report = report(first);
        assertEquals(GRANTS, report.getInt("grants_added"), report.prettify());
        assertEquals(LEFT_OUT, report.getInt("reported_left_out"), report.prettify());
        List<Map<String, Object>> grants = allGrants();
        assertEquals(GRANTS, grants.size());
        long users = grants.stream().filter(g -> "IAM_USER".equals(principal(g).get("type"))).count();
        assertEquals(23, users, "users mapped to IAM users");
        assertEquals(GRANTS - 23, grants.stream().filter(g -> "IAM_GROUP".equals(principal(g).get("type"))).count());
        assertTrue(grants.stream().filter(g -> "IAM_USER".equals(principal(g).get("type")))
                .allMatch(g -> String.valueOf(principal(g).get("name")).startsWith("iam-")), "the user prefix applies");

        // The check endpoint finds the grant that allows what a migrated grant names, and refuses what none does.
        Map<String, Object> some = grants.stream().filter(g -> resource(g).get("table") != null && !Boolean.TRUE.equals(
                resource(g).get("pattern"))).findFirst().orElseThrow();
        String on = resource(some).get("catalog") + "." + resource(some).get("database") + "." + resource(some).get("table");
        api().queryParam("principal", principal(some).get("name")).queryParam("privilege", some.get("privilege"))
                .queryParam("resource", on).get("/api/v1/workspaces/{ws}/grants/check", WS).then().statusCode(200)
                .body("allowed", equalTo(true));
        api().queryParam("principal", "iam-nobody-" + suffix).queryParam("privilege", "SELECT").queryParam("resource", on)
                .get("/api/v1/workspaces/{ws}/grants/check", WS).then().statusCode(200).body("allowed", equalTo(false));

        // The same file again: the same grants, nothing added or revoked.
        String second = launch(jobId);
        awaitTerminal(second).body("status", equalTo("SUCCESS")).body("tasks[0].rows_affected", equalTo(GRANTS));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> report(second).getBoolean("complete"));
        JsonPath again = report(second);
        assertEquals(0, again.getInt("grants_added"), again.prettify());
        assertEquals(0, again.getInt("grants_revoked"), again.prettify());
        assertEquals(GRANTS, again.getInt("grants_unchanged"), again.prettify());
        assertEquals(GRANTS, allGrants().size());

        // Started through LakeFormation's lf-jobs API, a permission job ends with LakeFormation's SUCCESS.
        String project = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
        String instance = UUID.randomUUID().toString();
        String workspace = project + "." + instance;
        String token = platform.mintToken("lf", Map.of(workspace, "admin"));
        given().baseUri(platform.apiUrl()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "policies-" + suffix, "type", "filesystem", "base_path", folder.getParent().toRealPath().toString()))
                .post("/api/v1/workspaces/{ws}/connections", workspace).then().statusCode(201);
        String jobs = "/v1/" + project + "/instances/" + instance + "/lf-jobs";
        String id = given().baseUri(platform.apiUrl()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "migrate_ranger", "type", "PERMISSION_MIGRATION", "parameter",
                        Map.of("permission_migration_parameter", parameter)))
                .post(jobs).then().statusCode(201).extract().path("id");
        given().baseUri(platform.apiUrl()).auth().oauth2(token).post(jobs + "/" + id + "/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> "SUCCESS".equals(
                given().baseUri(platform.apiUrl()).auth().oauth2(token).get(jobs + "/" + id).then().statusCode(200).extract().path("status")));
        // Another workspace's grants are its own: this one's token sees none of the first workspace's.
        given().baseUri(platform.apiUrl()).auth().oauth2(token).get("/api/v1/workspaces/{ws}/grants", WS).then().statusCode(404);
        assertFalse(grants.isEmpty());
    }

    /** Wildcards of a policy expand against the tables the catalog holds (here found by a discovery), not left as patterns. */
    @Test
    void wildcardsExpandAgainstTheTablesTheCatalogKnows() throws Exception {
        // A workspace of its own: its catalog's tables are what the wildcards expand against.
        String ws = "permissions-wild";
        WorkspaceCalls calls = new WorkspaceCalls(platform, ws);
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Path lake = Files.createDirectories(platform.filesRoot().resolve("lake-" + suffix));
        Files.createDirectories(lake.resolve("finance/ledger"));
        Files.createDirectories(lake.resolve("finance/budget"));
        Files.writeString(lake.resolve("finance/ledger/part-0.csv"), "1,10\n");
        Files.writeString(lake.resolve("finance/budget/part-0.csv"), "2,20\n");
        Files.writeString(lake.resolve("policies.json"), """
                {"policies": [{"id": 7, "name": "finance readers", "service": "hivedev", "serviceType": "hive", "isEnabled": true,
                  "resources": {"database": {"values": ["finance_%s"]}, "table": {"values": ["*"]}, "column": {"values": ["*"]}},
                  "policyItems": [{"accesses": [{"type": "select", "isAllowed": true}], "users": ["carol"], "groups": [],
                                   "delegateAdmin": false}]}]}
                """.formatted(suffix));
        calls.api().body(Map.of("name", "lake-" + suffix, "type", "filesystem", "base_path", lake.toRealPath().toString()))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201);
        String discovery = calls.api().body(Map.of("name", "discover_" + suffix, "type", "METADATA_DISCOVERY", "parameter",
                        Map.of("metadata_discovery_parameter", Map.of("data_location", "fs://lake-" + suffix + "/finance",
                                "target_catalog", "hive", "target_database", "finance_" + suffix, "conflict_strategy", "UPSERT",
                                "file_discovery_type", "CSV", "log_location", "fs://lake-" + suffix + "/logs", "instance_id", "e2e"))))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        calls.awaitTerminal(calls.launch(discovery)).body("status", equalTo("SUCCESS"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> calls.api()
                .get("/api/v1/workspaces/{ws}/catalogs/hive/databases/{db}/tables", ws, "finance_" + suffix).then().extract()
                .jsonPath().getList("tables.name").size() == 2);

        String migration = calls.api().body(Map.of("name", "finance_policies_" + suffix, "type", "PERMISSION_MIGRATION", "parameter",
                        Map.of("permission_migration_parameter", Map.of("location", "fs://lake-" + suffix + "/", "file_name",
                                "policies.json", "policy_type", "RANGER", "log_location", "fs://lake-" + suffix + "/logs",
                                "instance_id", "e2e"))))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        calls.awaitTerminal(calls.launch(migration)).body("status", equalTo("SUCCESS")).body("tasks[0].rows_affected", equalTo(2));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> calls.api().queryParam("principal", "carol")
                .get("/api/v1/workspaces/{ws}/grants", ws).then().extract().jsonPath().getList("grants").size() == 2);
        JsonPath carol = calls.api().queryParam("principal", "carol").get("/api/v1/workspaces/{ws}/grants", ws).then().extract().jsonPath();
        assertEquals(List.of("budget", "ledger"), carol.getList("grants.resource.table").stream().map(String::valueOf).sorted().toList());
        assertEquals(List.of(false, false), carol.getList("grants.resource.pattern"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> principal(Map<String, Object> grant) {
        return (Map<String, Object>) grant.get("principal");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resource(Map<String, Object> grant) {
        return (Map<String, Object>) grant.get("resource");
    }

    private static List<Map<String, Object>> allGrants() {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = api().queryParam("limit", 10);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/workspaces/{ws}/grants", WS).then().statusCode(200).extract().jsonPath();
            all.addAll(page.getList("grants"));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        return all;
    }

    /** A file of the vendor folder kept beside the project ({@code -Djobplane.vendor.dir}, else {@code shared/vendor} above). */
    private static Path vendor(String file) {
        String dir = System.getProperty("jobplane.vendor.dir");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).resolve(file);
        }
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path candidate = at.resolve("shared/vendor").resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the vendor file " + file + " is not in a shared/vendor folder above the project;"
                + " name the folder with -Djobplane.vendor.dir");
    }

    private static JsonPath report(String runId) {
        return api().get("/api/v1/workspaces/{ws}/runs/{run}/permission-report", WS, runId).then().statusCode(200).extract().jsonPath();
    }

    private static RequestSpecification api() {
        return new WorkspaceCalls(platform, WS).api();
    }

    private static String launch(String jobId) {
        return new WorkspaceCalls(platform, WS).launch(jobId);
    }

    private static ValidatableResponse awaitTerminal(String runId) {
        return new WorkspaceCalls(platform, WS).awaitTerminal(runId);
    }
}
