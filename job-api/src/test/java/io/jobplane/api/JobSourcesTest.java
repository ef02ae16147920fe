package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Step packages of STEPS jobs: uploaded as zips, checked, versioned, listed and deleted; stored byte for byte. */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class JobSourcesTest {

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

        String other = RunLaunchTest.createJob(ws, "sql-job", "pw");
        as(ws, "editor").contentType("application/zip").body(zip).post("/api/v1/workspaces/" + ws + "/jobs/" + other + "/sources")
                .then().statusCode(409).body("error_code", equalTo("SOURCES_NOT_APPLICABLE"));
        as(ws, "viewer").contentType("application/zip").body(zip).post(sources).then().statusCode(403);

        as(ws, "editor").delete(sources).then().statusCode(204);
        as(ws, "viewer").get(sources).then().statusCode(200).body("size()", equalTo(0));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body("action", org.hamcrest.Matchers.hasItems("job.sources.uploaded", "job.sources.deleted"));
    }

    private static byte[] zip(Map<String, String> files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
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
