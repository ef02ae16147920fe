package io.jobplane.systemtest.vdk;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.jobplane.vdkclient.api.DataJobsApi;
import io.jobplane.vdkclient.api.DataJobsExecutionApi;
import io.jobplane.vdkclient.api.DataJobsPropertiesApi;
import io.jobplane.vdkclient.api.DataJobsServiceApi;
import io.jobplane.vdkclient.api.DataJobsSourcesApi;
import io.jobplane.vdkclient.invoker.ApiClient;
import io.jobplane.vdkclient.invoker.ApiException;
import io.jobplane.vdkclient.invoker.ApiResponse;
import io.jobplane.vdkclient.model.DataJobApiInfo;
import io.jobplane.vdkclient.model.DataJobExecution;
import io.jobplane.vdkclient.model.DataJobExecutionRequest;
import io.jobplane.vdkclient.model.DataJobQueryResponse;
import io.jobplane.vdkclient.model.DataJobVersion;

/**
 * The contract tool itself, against a canned local server (the one place canned answers are right: what is tested
 * here is that the generated client works and that the validator accepts what VDK's document allows and refuses what
 * it does not).
 */
class VdkContractTest {

    private static final String EXECUTION = "/data-jobs/for-team/t/jobs/j/executions/j-1";

    private static HttpServer server;
    private static String baseUri;
    private static final Map<String, Canned> ANSWERS = new ConcurrentHashMap<>();
    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    record Canned(int status, String contentType, String body, Map<String, String> headers) {
        static Canned json(int status, String body) {
            return new Canned(status, "application/json", body, Map.of());
        }
    }

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
            SEEN.put(key + " authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            SEEN.put(key + " query", String.valueOf(exchange.getRequestURI().getRawQuery()));
            byte[] received = exchange.getRequestBody().readAllBytes();
            SEEN.put(key + " body", new String(received, StandardCharsets.ISO_8859_1));
            Canned canned = ANSWERS.getOrDefault(key, Canned.json(404, "{\"messages\":[\"no canned answer\"]}"));
            canned.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = canned.body() == null ? new byte[0] : canned.body().getBytes(StandardCharsets.UTF_8);
            if (canned.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", canned.contentType());
            }
            exchange.sendResponseHeaders(canned.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        baseUri = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void clear() {
        ANSWERS.clear();
        SEEN.clear();
    }

    private static ApiClient client() {
        return VdkContract.client(baseUri, "tok");
    }

    private static void answer(String methodAndPath, Canned canned) {
        ANSWERS.put(methodAndPath, canned);
    }

    @Test
    void aValidInfoAnswerPassesThroughTheGeneratedClient() throws ApiException {
        answer("GET /data-jobs/for-team/t/info",
                Canned.json(200, "{\"api_version\":\"1.0\",\"supported_python_versions\":[\"3.11\"]}"));

        DataJobApiInfo info = new DataJobsServiceApi(client()).info("t");

        assertEquals("1.0", info.getApiVersion());
        assertEquals(List.of("3.11"), info.getSupportedPythonVersions());
        assertEquals("Bearer tok", SEEN.get("GET /data-jobs/for-team/t/info authorization"));
    }

    @Test
    void aFieldTheDocumentDoesNotDeclareFails() {
        answer("GET /data-jobs/for-team/t/info", Canned.json(200,
                "{\"api_version\":\"1.0\",\"supported_python_versions\":[\"3.11\"],\"flavour\":\"jobplane\"}"));

        AssertionError e = assertThrows(AssertionError.class, () -> new DataJobsServiceApi(client()).info("t"));

        assertTrue(e.getMessage().contains("validation.response.body.schema.additionalProperties"), e.getMessage());
        assertTrue(e.getMessage().contains("flavour"), e.getMessage());
        assertTrue(e.getMessage().contains("GET /data-jobs/for-team/t/info -> 200"), e.getMessage());
    }

    @Test
    void aMissingRequiredFieldFails() {
        answer("GET /data-jobs/for-team/t/info", Canned.json(200, "{\"api_version\":\"1.0\"}"));

        AssertionError e = assertThrows(AssertionError.class, () -> new DataJobsServiceApi(client()).info("t"));

        assertTrue(e.getMessage().contains("validation.response.body.schema.required"), e.getMessage());
        assertTrue(e.getMessage().contains("supported_python_versions"), e.getMessage());
    }

    @Test
    void anEnumWordInTheWrongCaseFails() {
        answer("GET " + EXECUTION, Canned.json(200,
                "{\"id\":\"j-1\",\"job_name\":\"j\",\"status\":\"SUCCEEDED\",\"type\":\"manual\"}"));

        AssertionError e = assertThrows(AssertionError.class,
                () -> new DataJobsExecutionApi(client()).dataJobExecutionRead("t", "j", "j-1"));

        assertTrue(e.getMessage().contains("validation.response.body.schema.enum"), e.getMessage());
        assertTrue(e.getMessage().contains("SUCCEEDED"), e.getMessage());
        assertTrue(e.getMessage().contains("/status"), e.getMessage());
    }

    @Test
    void aValidExecutionPasses() throws ApiException {
        answer("GET " + EXECUTION, Canned.json(200, "{\"id\":\"j-1\",\"job_name\":\"j\",\"status\":\"succeeded\","
                + "\"type\":\"manual\",\"start_time\":\"2026-01-02T03:04:05Z\",\"deployment\":{\"vdk_version\":\"2.1\","
                + "\"job_version\":\"abc\",\"mode\":\"release\",\"id\":\"production\",\"enabled\":true}}"));

        DataJobExecution execution = new DataJobsExecutionApi(client()).dataJobExecutionRead("t", "j", "j-1");

        assertEquals(DataJobExecution.StatusEnum.SUCCEEDED, execution.getStatus());
        assertEquals("2.1", execution.getDeployment().getVdkVersion());
    }

    @Test
    void aFieldTheDocumentDoesNotDeclareFailsInNestedObjectsToo() {
        answer("GET " + EXECUTION, Canned.json(200, "{\"id\":\"j-1\",\"status\":\"running\","
                + "\"deployment\":{\"id\":\"production\",\"image\":\"registry/j:1\"}}"));

        AssertionError e = assertThrows(AssertionError.class,
                () -> new DataJobsExecutionApi(client()).dataJobExecutionRead("t", "j", "j-1"));

        assertTrue(e.getMessage().contains("additionalProperties"), e.getMessage());
        assertTrue(e.getMessage().contains("image"), e.getMessage());
        assertTrue(e.getMessage().contains("/deployment"), e.getMessage());
    }

    @Test
    void wrongTypesNullsAndDatesThatAreNotDateTimesFail() {
        Map<String, String> wrong = Map.of(
                "{\"id\":7}", "validation.response.body.schema.type",
                "{\"id\":\"j-1\",\"deployment\":{\"vdk_version\":2.1}}", "validation.response.body.schema.type",
                "{\"id\":\"j-1\",\"message\":null}", "validation.response.body.schema.type",
                "{\"id\":\"j-1\",\"start_time\":\"yesterday\"}", "validation.response.body.schema.format.date-time");
        wrong.forEach((body, key) -> {
            answer("GET " + EXECUTION, Canned.json(200, body));
            AssertionError e = assertThrows(AssertionError.class,
                    () -> new DataJobsExecutionApi(client()).dataJobExecutionRead("t", "j", "j-1"), body);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        });
    }

    @Test
    void anExecutionStartedWithoutARequestBodySendsNone() throws ApiException {
        answer("POST /data-jobs/for-team/t/jobs/j/deployments/production/executions",
                new Canned(202, null, null, Map.of("Location", EXECUTION)));

        ApiResponse<Void> started = new DataJobsExecutionApi(client()).dataJobExecutionStartWithHttpInfo("t", "j",
                "production", null);

        assertEquals(202, started.getStatusCode());
        assertEquals("", SEEN.get("POST /data-jobs/for-team/t/jobs/j/deployments/production/executions body"));
    }

    @Test
    void anUndocumentedStatusFails() {
        answer("GET /data-jobs/for-team/t/info", Canned.json(418, "{\"messages\":[\"teapot\"]}"));

        AssertionError e = assertThrows(AssertionError.class, () -> new DataJobsServiceApi(client()).info("t"));

        assertTrue(e.getMessage().contains("validation.response.status.unknown"), e.getMessage());
        assertTrue(e.getMessage().contains("418"), e.getMessage());
    }

    @Test
    void aDocumentedErrorStatusValidatesAndReachesTheTestAsApiException() {
        answer("GET " + EXECUTION, Canned.json(404, "{\"messages\":[\"no such execution\"]}"));

        ApiException e = assertThrows(ApiException.class,
                () -> new DataJobsExecutionApi(client()).dataJobExecutionRead("t", "j", "j-1"));

        assertEquals(404, e.getCode());
        assertTrue(e.getResponseBody().contains("no such execution"), e.getResponseBody());
    }

    @Test
    void anErrorBodyWithoutMessagesFails() {
        answer("GET " + EXECUTION, Canned.json(404, "{\"error\":\"no such execution\"}"));

        AssertionError e = assertThrows(AssertionError.class,
                () -> new DataJobsExecutionApi(client()).dataJobExecutionRead("t", "j", "j-1"));

        assertTrue(e.getMessage().contains("messages"), e.getMessage());
    }

    @Test
    void aContentTypeTheDocumentDoesNotListFails() {
        answer("GET /data-jobs/for-team/t/info", new Canned(200, "text/plain",
                "{\"api_version\":\"1.0\",\"supported_python_versions\":[\"3.11\"]}", Map.of()));

        AssertionError e = assertThrows(AssertionError.class, () -> new DataJobsServiceApi(client()).info("t"));

        assertTrue(e.getMessage().contains("validation.response.contentType.notAllowed"), e.getMessage());
    }

    @Test
    void aStartedExecutionsLocationIsReadableThroughTheGeneratedClient() throws ApiException {
        answer("POST /data-jobs/for-team/t/jobs/j/deployments/production/executions",
                new Canned(202, null, null, Map.of("Location", EXECUTION)));

        ApiResponse<Void> started = new DataJobsExecutionApi(client()).dataJobExecutionStartWithHttpInfo("t", "j",
                "production", new DataJobExecutionRequest().startedBy("manual/tester").args(Map.of("k", "v")));

        assertEquals(202, started.getStatusCode());
        assertEquals(List.of(EXECUTION), started.getHeaders().get("location"));
        assertNull(started.getData());
        String sent = SEEN.get("POST /data-jobs/for-team/t/jobs/j/deployments/production/executions body");
        assertTrue(sent.contains("\"started_by\":\"manual/tester\""), sent);
    }

    @Test
    void propertiesAndSecretsMapsAcceptAnyKey() throws ApiException {
        answer("GET /data-jobs/for-team/t/jobs/j/deployments/production/properties",
                Canned.json(200, "{\"redshift-user\":\"foo\",\"last-execution-time\":1585303338,\"nested\":{\"a\":[1]}}"));

        Map<String, Object> properties = new DataJobsPropertiesApi(client())
                .dataJobPropertiesRead("t", "j", "production");

        assertEquals("foo", properties.get("redshift-user"));
    }

    @Test
    void jobsQueryContentItemsAcceptAnyKeyButTheEnvelopeDoesNot() throws ApiException {
        String page = "{\"data\":{\"content\":[{\"jobName\":\"j\",\"config\":{\"team\":\"t\"},\"anything\":1}],"
                + "\"totalItems\":1,\"totalPages\":1}}";
        answer("GET /data-jobs/for-team/t/jobs", Canned.json(200, page));

        String query = "{ jobs(pageNumber: 1, pageSize: 25) { content { jobName config { team } } } }";
        DataJobQueryResponse response = new DataJobsApi(client()).jobsQuery("t", query, null, null);

        assertEquals(1, response.getData().getContent().size());
        assertTrue(SEEN.get("GET /data-jobs/for-team/t/jobs query").startsWith("query="),
                SEEN.get("GET /data-jobs/for-team/t/jobs query"));

        answer("GET /data-jobs/for-team/t/jobs", Canned.json(200,
                "{\"data\":{\"content\":[],\"totalItems\":0,\"totalPages\":0,\"cursor\":\"x\"}}"));
        AssertionError e = assertThrows(AssertionError.class,
                () -> new DataJobsApi(client()).jobsQuery("t", query, null, null));
        assertTrue(e.getMessage().contains("cursor"), e.getMessage());
    }

    @Test
    void sourcesAreUploadedAsOctetStream(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("job.zip");
        Files.write(zip, new byte[] { 'P', 'K', 3, 4, 0, 0 });
        answer("POST /data-jobs/for-team/t/jobs/j/sources",
                Canned.json(200, "{\"version_sha\":\"17012900f60461778c01ab24728807e70a5f2c87\"}"));

        DataJobVersion version = new DataJobsSourcesApi(client()).sourcesUpload("t", "j", zip.toFile(), "first");

        assertEquals("17012900f60461778c01ab24728807e70a5f2c87", version.getVersionSha());
        assertEquals("reason=first", SEEN.get("POST /data-jobs/for-team/t/jobs/j/sources query"));
        assertTrue(SEEN.get("POST /data-jobs/for-team/t/jobs/j/sources body").startsWith("PK"));
    }

    @Test
    void restAssuredResponsesAreValidatedToo() {
        answer("GET /data-jobs/for-team/t/info", Canned.json(200, "{\"api_version\":\"1.0\"}"));

        AssertionError e = assertThrows(AssertionError.class, () -> given().filter(VdkContract.filter())
                .auth().oauth2("tok").get(baseUri + "/data-jobs/for-team/t/info"));

        assertTrue(e.getMessage().contains("supported_python_versions"), e.getMessage());
    }

    @Test
    void theResponseFilterAcceptsARequestTheContractDoesNotAllowButStillChecksTheAnswer() {
        answer("POST /data-jobs/for-team/t/jobs/j/sources", Canned.json(400, "{\"messages\":[\"not a zip\"]}"));

        given().filter(VdkContract.responseFilter()).auth().oauth2("tok").contentType("text/plain").body("not a zip")
                .post(baseUri + "/data-jobs/for-team/t/jobs/j/sources").then().statusCode(400);

        AssertionError strict = assertThrows(AssertionError.class, () -> given().filter(VdkContract.filter())
                .auth().oauth2("tok").contentType("text/plain").body("not a zip")
                .post(baseUri + "/data-jobs/for-team/t/jobs/j/sources"));
        assertTrue(strict.getMessage().contains("validation.request"), strict.getMessage());

        answer("POST /data-jobs/for-team/t/jobs/j/sources", Canned.json(413, "{\"detail\":\"too big\"}"));
        AssertionError e = assertThrows(AssertionError.class, () -> given().filter(VdkContract.responseFilter())
                .auth().oauth2("tok").contentType("application/octet-stream").body(new byte[] { 1 })
                .post(baseUri + "/data-jobs/for-team/t/jobs/j/sources"));
        assertTrue(e.getMessage().contains("413"), e.getMessage());
    }

    @Test
    void aMissingSpecIsNamedClearly() {
        String previous = System.getProperty(VdkContract.SPEC_PROPERTY);
        System.setProperty(VdkContract.SPEC_PROPERTY, "/nowhere/datajob-api.yaml");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, VdkContract::spec);
            assertTrue(e.getMessage().contains("/nowhere/datajob-api.yaml"), e.getMessage());
            assertTrue(e.getMessage().contains(VdkContract.SPEC_PROPERTY), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(VdkContract.SPEC_PROPERTY);
            } else {
                System.setProperty(VdkContract.SPEC_PROPERTY, previous);
            }
        }
    }
}
