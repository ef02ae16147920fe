package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.api.internal.StepPackageResource;
import io.jobplane.events.Checksums;
import io.jobplane.events.EventCodec;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.StepPackageTokens;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.Zips;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * STEPS packages travel by hash: a launch command names its package (sha256, size, steps) and a
 * worker fetches the bytes from job-api's internal endpoint with a short-lived token made from the
 * shared keyring. Only such a token, for an active run pinned to that very package, gets them.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class StepPackageFetchIT {

    private static final String PATH = "/internal/v1/step-packages/{sha}";
    private static final Set<String> ERROR_FIELDS = Set.of("error_code", "error_msg", "solution_msg", "request_id");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final StepPackageTokens TOKENS = new StepPackageTokens(TestInfrastructure.shared().keyring());

    record Launched(String job, String run, byte[] zip, LaunchCommand command, int recordChars) {
    }

    @Test
    void aLargePackageIsNotInTheCommandAndItsRunsTokenFetchesItByHash() throws Exception {
        String ws = uniqueWorkspace();
        byte[] noise = new byte[7_300_000];
        new Random(1).nextBytes(noise);
        // Base64 of random bytes compresses to about 3/4: a package of about 7 MiB, near the 8 MiB an upload may have.
        Launched big = launch(ws, "big-package", Map.of("10_run.sh", "echo big",
                "data/blob.txt", Base64.getEncoder().encodeToString(noise).substring(0, 9_700_000)));
        assertTrue(big.zip().length > 7_000_000, "a large package: " + big.zip().length);
        assertTrue(big.recordChars() < 10_000, "the command carries the package's reference only: " + big.recordChars() + " characters");
        assertEquals(Checksums.sha256(big.zip()), big.command().steps().sha256());
        assertEquals(big.zip().length, big.command().steps().sizeBytes());

        String token = TOKENS.mint(big.command().steps().sha256(), big.run(), Instant.now().plus(StepPackageTokens.LIFETIME));
        Response answer = given().header(StepPackageResource.TOKEN_HEADER, token).get(PATH, big.command().steps().sha256());
        assertEquals(200, answer.statusCode(), answer.asString().length() < 2000 ? answer.asString() : "");
        assertEquals("application/zip", answer.contentType());
        assertArrayEquals(big.zip(), answer.asByteArray(), "the bytes of the pinned version");
    }

    @Test
    void wrongExpiredForeignOrTenantTokensGet403AndNothingButTheJsonError() throws Exception {
        String ws = uniqueWorkspace();
        Launched mine = launch(ws, "mine", Map.of("10_mine.sh", "echo mine"));
        Launched other = launch(ws, "other", Map.of("10_other.sh", "echo other secret business"));
        String sha = mine.command().steps().sha256();
        Instant soon = Instant.now().plus(StepPackageTokens.LIFETIME);

        refused(given(), sha, "no step package token");
        // A tenant's JWT, an admin's of the very workspace, opens nothing here.
        refused(as(ws, "admin"), sha, "no step package token");
        refused(given().header(StepPackageResource.TOKEN_HEADER, "Bearer " + ApiTestSupport.token(ws, "admin")), sha, "not a step package token");
        refused(given().header(StepPackageResource.TOKEN_HEADER, TOKENS.mint(sha, mine.run(), Instant.now().minusSeconds(5))), sha, "expired");
        refused(given().header(StepPackageResource.TOKEN_HEADER, TOKENS.mint(sha, mine.run(), Instant.now().plus(Duration.ofHours(1)))),
                sha, "further away than 5 minutes");
        byte[] anotherKey = new byte[32];
        new Random(7).nextBytes(anotherKey);
        SecretKeyring foreignRing = new SecretKeyring(TestInfrastructure.SECRET_KEY_ID,
                Map.of(TestInfrastructure.SECRET_KEY_ID, Base64.getEncoder().encodeToString(anotherKey)));
        refused(given().header(StepPackageResource.TOKEN_HEADER, new StepPackageTokens(foreignRing).mint(sha, mine.run(), soon)), sha,
                "signature does not match");
        // A token stolen from one run opens no other package: not by the URL, not by a changed run id.
        String stolen = TOKENS.mint(sha, mine.run(), soon);
        refused(given().header(StepPackageResource.TOKEN_HEADER, stolen), other.command().steps().sha256(), "signature does not match");
        String[] parts = stolen.split("\\.");
        String moved = String.join(".", parts[0], parts[1], other.run(), parts[3], parts[4]);
        refused(given().header(StepPackageResource.TOKEN_HEADER, moved), other.command().steps().sha256(), "signature does not match");
        // Even a well-made token for a run that is not pinned to the package gets nothing.
        refused(given().header(StepPackageResource.TOKEN_HEADER, TOKENS.mint(other.command().steps().sha256(), mine.run(), soon)),
                other.command().steps().sha256(), "not pinned to this package");

        given().header(StepPackageResource.TOKEN_HEADER, stolen).get(PATH, sha).then().statusCode(200);
        var pg = TestInfrastructure.shared().postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var ended = c.prepareStatement("update api.run set state = 'SUCCESS', finished_at = now() where id = ?::uuid")) {
            ended.setString(1, mine.run());
            assertEquals(1, ended.executeUpdate());
        }
        refused(given().header(StepPackageResource.TOKEN_HEADER, TOKENS.mint(sha, mine.run(), soon)), sha, "not active");

        // The run's pinned version deleted since its launch: the bytes are gone, and the worker is told so.
        as(ws, "editor").delete("/api/v1/workspaces/" + ws + "/jobs/" + other.job() + "/sources").then().statusCode(204);
        String otherSha = other.command().steps().sha256();
        Response gone = given().header(StepPackageResource.TOKEN_HEADER, TOKENS.mint(otherSha, other.run(), soon)).get(PATH, otherSha);
        assertEquals(404, gone.statusCode());
        assertEquals("STEP_PACKAGE_NOT_FOUND", gone.jsonPath().getString("error_code"));
    }

    @Test
    void theInternalEndpointIsNotInTheTenantApiDocument() {
        String document = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        assertTrue(document.contains("/api/v1/workspaces/{workspace}/jobs/{job_id}/sources"), "the document is the tenant API's");
        assertFalse(document.contains("/internal/"), "no internal path is listed");
        assertFalse(document.contains("step-packages"), "no internal path is listed");
    }

    /** 403 PACKAGE_TOKEN_REFUSED, a JSON error of the usual four fields and nothing of any package. */
    private static void refused(io.restassured.specification.RequestSpecification request, String sha, String why) throws Exception {
        Response answer = request.get(PATH, sha);
        answer.then().statusCode(403).contentType("application/json")
                .body("error_code", equalTo(StepPackageResource.REFUSED))
                .body("error_msg", containsString(why));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = JSON.readValue(answer.asByteArray(), Map.class);
        assertEquals(ERROR_FIELDS, body.keySet(), "nothing but the error: " + body);
        assertFalse(answer.asString().contains("PK"), "no zip bytes");
        assertFalse(answer.asString().contains("secret business"));
    }

    private static Launched launch(String ws, String name, Map<String, String> files) {
        String job = as(ws, "editor").body(Map.of("name", name, "type", "STEPS"))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
        String base = "/api/v1/workspaces/" + ws + "/jobs/" + job;
        byte[] zip = Zips.of(files);
        as(ws, "editor").contentType("application/zip").body(zip).post(base + "/sources").then().statusCode(201);
        String run = as(ws, "operator").post(base + "/runs").then().statusCode(202).extract().path("run_id");
        var record = Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> RunLaunchIT.findByKey(Topics.COMMANDS, run), r -> r != null);
        LaunchCommand command = EventCodec.decode(record.value()).dataAs(LaunchCommand.class);
        return new Launched(job, run, zip, command, record.value().length());
    }
}
