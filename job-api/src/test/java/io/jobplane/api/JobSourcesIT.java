package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.MessageDigest;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.Zips;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Step packages of STEPS jobs: uploaded as zips, checked, versioned, listed and deleted; stored byte for byte. */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class JobSourcesIT {

    @Test
    void aPackageIsCheckedStoredAsANewVersionListedAndDeleted() throws Exception {
        String ws = uniqueWorkspace();
        String job = as(ws, "editor").body(Map.of("name", "packaged", "type", "STEPS"))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        String sources = "/api/v1/workspaces/" + ws + "/jobs/" + job + "/sources";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("my-job/20_load.sql", "insert into t select 1");
        files.put("my-job/10_prepare.py", "print('ready')");
        files.put("my-job/config.ini", "[job]");
        files.put("my-job/lib/helper.py", "x = 1");
        files.put("my-job/05_clean.sh", "echo clean");
        byte[] zip = zip(files);

        as(ws, "editor").contentType("application/zip").body(zip).post(sources).then().statusCode(201)
                .body("version", equalTo(1)).body("size_bytes", equalTo(zip.length))
                .body("sha256", equalTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip))))
                .body("steps", equalTo(List.of("05_clean.sh", "10_prepare.py", "20_load.sql")));
        byte[] second = zip(Map.of("01_only.sql", "select 1"));
        as(ws, "editor").contentType("application/octet-stream").body(second).post(sources).then().statusCode(201)
                .body("version", equalTo(2)).body("steps", equalTo(List.of("01_only.sql")));
        as(ws, "viewer").get(sources).then().statusCode(200).body("version", equalTo(List.of(2, 1)));
        assertArrayEquals(zip, storedContent(job, 1), "the package is stored byte for byte");

        as(ws, "editor").contentType("application/zip").body("not a zip".getBytes()).post(sources).then().statusCode(400)
                .body("error_code", equalTo("INVALID_PACKAGE"));
        as(ws, "editor").contentType("application/zip").body(zip(Map.of("../evil.sh", "rm -rf /"))).post(sources)
                .then().statusCode(400).body("error_code", equalTo("INVALID_PACKAGE"));
        as(ws, "editor").contentType("application/zip").body(zip(Map.of("README.md", "no steps"))).post(sources)
                .then().statusCode(400).body("error_code", equalTo("NO_STEPS"));
        as(ws, "viewer").get(sources).then().statusCode(200).body("size()", equalTo(2));

        String other = RunLaunchIT.createJob(ws, "sql-job", "pw");
        as(ws, "editor").contentType("application/zip").body(zip).post("/api/v1/workspaces/" + ws + "/jobs/" + other + "/sources")
                .then().statusCode(409).body("error_code", equalTo("SOURCES_NOT_APPLICABLE"));
        as(ws, "viewer").contentType("application/zip").body(zip).post(sources).then().statusCode(403);

        as(ws, "editor").delete(sources).then().statusCode(204);
        as(ws, "viewer").get(sources).then().statusCode(200).body("size()", equalTo(0));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body("action", org.hamcrest.Matchers.hasItems("job.sources.uploaded", "job.sources.deleted"));
    }

    @Test
    void stepsSeeTheJobsPropertiesAndWriteOnlySecretsAndEachRunPinsItsPackage() throws Exception {
        String ws = uniqueWorkspace();
        String job = as(ws, "editor").body(Map.of("name", "steps-env", "type", "STEPS"))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        String base = "/api/v1/workspaces/" + ws + "/jobs/" + job;
        String canary = "canary-step-secret-" + job.substring(0, 8);

        as(ws, "editor").body(Map.of("REGION", "eu", "BATCH", "7")).put(base + "/properties").then().statusCode(200)
                .body("REGION", equalTo("eu"));
        as(ws, "viewer").get(base + "/properties").then().statusCode(200).body("BATCH", equalTo("7"));
        as(ws, "editor").body(Map.of("PATH", "/tmp")).put(base + "/properties").then().statusCode(400)
                .body("error_code", equalTo("INVALID_ENVIRONMENT")).body("error_msg", org.hamcrest.Matchers.containsString("reserved"));
        as(ws, "editor").body(Map.of("not-a-name", "x")).put(base + "/properties").then().statusCode(400)
                .body("error_code", equalTo("INVALID_ENVIRONMENT"));
        as(ws, "editor").body(Map.of("secrets", Map.of("API_TOKEN", canary))).put(base + "/secrets").then().statusCode(200)
                .body("names", equalTo(List.of("API_TOKEN")));
        as(ws, "viewer").get(base + "/secrets").then().statusCode(200).body("names", equalTo(List.of("API_TOKEN")))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(canary)));
        as(ws, "editor").body(Map.of("secrets", Map.of("REGION", "x"))).put(base + "/secrets").then().statusCode(400)
                .body("error_code", equalTo("INVALID_ENVIRONMENT"));
        as(ws, "editor").body(Map.of("remove_secrets", List.of("NOPE"))).put(base + "/secrets").then().statusCode(400)
                .body("error_code", equalTo("UNKNOWN_SECRET"));
        as(ws, "viewer").body(Map.of("A", "b")).put(base + "/properties").then().statusCode(403);

        as(ws, "operator").post(base + "/runs").then().statusCode(409).body("error_code", equalTo("NO_STEP_PACKAGE"));
        byte[] first = zip(Map.of("10_hello.sh", "echo hello"));
        as(ws, "editor").contentType("application/zip").body(first).post(base + "/sources").then().statusCode(201);
        String pinned = as(ws, "operator").post(base + "/runs").then().statusCode(202).extract().path("run_id");
        as(ws, "editor").contentType("application/zip").body(zip(Map.of("20_bye.py", "print('bye')"))).post(base + "/sources")
                .then().statusCode(201).body("version", equalTo(2));
        String later = as(ws, "operator").post(base + "/runs").then().statusCode(202).extract().path("run_id");

        var record = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> RunLaunchIT.findByKey(io.jobplane.events.Topics.COMMANDS, pinned), r -> r != null);
        assertFalse(record.value().contains(canary), "secrets travel sealed");
        var launch = io.jobplane.events.EventCodec.decode(record.value()).dataAs(io.jobplane.events.payload.LaunchCommand.class);
        assertEquals(1, launch.steps().version());
        assertEquals(List.of("10_hello.sh"), launch.steps().steps());
        assertEquals(io.jobplane.events.Checksums.sha256(first), launch.steps().sha256());
        assertEquals(first.length, launch.steps().sizeBytes());
        assertFalse(record.value().contains("\"content\""), "the package travels by its hash, not in the command");
        assertEquals(Map.of("REGION", "eu", "BATCH", "7"), launch.steps().properties());
        assertEquals(canary, TestInfrastructure.shared().keyring().open(launch.steps().secrets().get("API_TOKEN"),
                io.jobplane.events.secret.SecretOwner.jobSteps(launch.workspace(), launch.jobId()), "API_TOKEN"));
        var next = io.jobplane.events.EventCodec.decode(org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> RunLaunchIT.findByKey(io.jobplane.events.Topics.COMMANDS, later), r -> r != null).value())
                .dataAs(io.jobplane.events.payload.LaunchCommand.class);
        assertEquals(2, next.steps().version(), "a run takes the newest package when it is launched");
        assertEquals(1L, RunLaunchIT.count("select count(*) from api.run where id = '" + pinned + "' and source_version = 1"),
                "the first run stays pinned to version 1 (its retries run it too)");
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(canary)))
                .body("action", org.hamcrest.Matchers.hasItems("job.properties.replaced", "job.secrets.updated"));
    }

    private static byte[] zip(Map<String, String> files) {
        return Zips.of(files);
    }

    private static byte[] storedContent(String job, int version) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var st = c.prepareStatement("select content from api.job_source where job_id = ?::uuid and version = ?")) {
            st.setString(1, job);
            st.setInt(2, version);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }
}
