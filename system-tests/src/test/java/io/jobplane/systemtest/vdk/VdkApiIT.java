package io.jobplane.systemtest.vdk;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.stack.Platform;
import io.jobplane.systemtest.SharedPlatform;
import io.jobplane.stack.Service;
import io.jobplane.stack.Zips;
import io.jobplane.vdkclient.api.DataJobsApi;
import io.jobplane.vdkclient.api.DataJobsDeploymentApi;
import io.jobplane.vdkclient.api.DataJobsExecutionApi;
import io.jobplane.vdkclient.api.DataJobsPropertiesApi;
import io.jobplane.vdkclient.api.DataJobsSecretsApi;
import io.jobplane.vdkclient.api.DataJobsServiceApi;
import io.jobplane.vdkclient.api.DataJobsSourcesApi;
import io.jobplane.vdkclient.invoker.ApiClient;
import io.jobplane.vdkclient.invoker.ApiException;
import io.jobplane.vdkclient.invoker.ApiResponse;
import io.jobplane.vdkclient.model.DataJob;
import io.jobplane.vdkclient.model.DataJobConfig;
import io.jobplane.vdkclient.model.DataJobContacts;
import io.jobplane.vdkclient.model.DataJobDeployment;
import io.jobplane.vdkclient.model.DataJobDeploymentStatus;
import io.jobplane.vdkclient.model.DataJobExecution;
import io.jobplane.vdkclient.model.DataJobExecutionRequest;
import io.jobplane.vdkclient.model.DataJobMode;
import io.jobplane.vdkclient.model.DataJobQueryResponse;
import io.jobplane.vdkclient.model.DataJobResources;
import io.jobplane.vdkclient.model.DataJobSchedule;
import io.restassured.specification.RequestSpecification;

/**
 * VDK's control service API on the whole platform (job-api, workers, harvester on a real broker and
 * database), driven through the client generated from VDK's own OpenAPI document, every exchange
 * validated against that document ({@link VdkContract}): a data job's life from creation to deletion,
 * executions that succeed, fail in the user's code and are cancelled, jobs_query, team change, and the
 * refusals (other team, role, bad input) that change nothing.
 */
@ExtendWith(SharedPlatform.class)
class VdkApiIT {

    private static final String TEAM = "vdk-team";
    private static final String OTHER = "vdk-other";
    private static final String CANARY = "vdk-canary-7f3e-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Platform platform;
    private static String python;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SharedPlatform.platform();
        python = Service.pythonVersions().get("jobplane.dialects.vdk.python-versions");
    }


    @Test
    void theLifeOfADataJobThroughVdksGeneratedClient() throws Exception {
        ApiClient vdk = VdkContract.client(platform.apiUrl(), token("ada", Map.of(TEAM, "admin", OTHER, "editor")));
        DataJobsApi jobs = new DataJobsApi(vdk);
        DataJobsDeploymentApi deployments = new DataJobsDeploymentApi(vdk);
        DataJobsExecutionApi executions = new DataJobsExecutionApi(vdk);
        String job = "vdk-life-" + suffix();

        // The info lists the Python the workers run.
        List<String> versions = new DataJobsServiceApi(vdk).info(TEAM).getSupportedPythonVersions();
        assertEquals(python == null ? List.of("3.11") : List.of(python), versions);

        // Create, read, update: the config comes back as it was given.
        DataJobConfig config = new DataJobConfig().dbDefaultType("POSTGRES").enableExecutionNotifications(false)
                .notificationDelayPeriodMinutes(60).generateKeytab(false)
                .schedule(new DataJobSchedule().scheduleCron("0 3 * * *"))
                .contacts(new DataJobContacts().notifiedOnJobFailureUserError(List.of("ada@example.com"))
                        .notifiedOnJobFailurePlatformError(List.of("ops@example.com")).notifiedOnJobSuccess(List.of())
                        .notifiedOnJobDeploy(List.of("ada@example.com")));
        jobs.dataJobCreate(TEAM, new DataJob().jobName(job).description("loads the day").config(config), null);
        DataJob read = jobs.dataJobRead(TEAM, job);
        assertEquals(job, read.getJobName());
        assertEquals(TEAM, read.getTeam());
        assertEquals("loads the day", read.getDescription());
        assertEquals(config, read.getConfig());
        assertEquals(409, assertThrows(ApiException.class, () -> jobs.dataJobCreate(TEAM,
                new DataJob().jobName(job).description("again").config(new DataJobConfig()), null)).getCode());
        jobs.dataJobUpdate(TEAM, job, new DataJob().jobName(job).description("loads the day, twice").config(config.generateKeytab(true)));
        assertEquals("loads the day, twice", jobs.dataJobRead(TEAM, job).getDescription());
        assertEquals(Boolean.TRUE, jobs.dataJobRead(TEAM, job).getConfig().getGenerateKeytab());

        // Properties and secrets (VDK's CLI names the deployment "TODO" here): a PUT replaces the whole map.
        DataJobsPropertiesApi properties = new DataJobsPropertiesApi(vdk);
        properties.dataJobPropertiesUpdate(TEAM, job, "TODO", Map.of("REGION", "eu", "BATCH", 500, "OLD", "x"));
        properties.dataJobPropertiesUpdate(TEAM, job, "TODO", Map.of("REGION", "eu", "BATCH", 500));
        assertEquals(Map.of("REGION", "eu", "BATCH", "500"), properties.dataJobPropertiesRead(TEAM, job, "TODO"));
        DataJobsSecretsApi secrets = new DataJobsSecretsApi(vdk);
        secrets.dataJobSecretsUpdate(TEAM, job, "TODO", Map.of("API_TOKEN", CANARY, "SPARE", "spare"));
        secrets.dataJobSecretsUpdate(TEAM, job, "TODO", Map.of("API_TOKEN", CANARY));
        assertEquals(Map.of("API_TOKEN", CANARY), secrets.dataJobSecretsRead(TEAM, job, "TODO"));

        // Sources: the steps run in file-name order; the properties and secrets are their environment.
        String good = upload(vdk, job, Map.of(
                job + "/20_second.py", "import os\nprint('second step, token ' + ('present' if os.environ['API_TOKEN'] == '"
                        + CANARY + "' else 'missing'))\n",
                job + "/10_first.py", "import os\nprint('first step in ' + os.environ['REGION'] + ' batch ' + os.environ['BATCH'])\n",
                job + "/config.ini", "[owner]\nteam = " + TEAM + "\n"));

        // Deploy it enabled with a schedule: the job's native schedule fires it.
        deployments.deploymentUpdate(TEAM, job, null, new DataJobDeployment().jobVersion(good).enabled(true)
                .pythonVersion(versions.get(0)).mode(DataJobMode.RELEASE)
                .schedule(new DataJobSchedule().scheduleCron("0 4 * * *"))
                .resources(new DataJobResources().cpuRequest(1f).cpuLimit(2f).memoryRequest(500).memoryLimit(1000)));
        DataJobDeploymentStatus deployed = deployments.deploymentRead(TEAM, job, "production");
        assertEquals(good, deployed.getJobVersion());
        assertEquals(Boolean.TRUE, deployed.getEnabled());
        assertEquals("0 4 * * *", deployed.getSchedule().getScheduleCron());
        assertEquals(versions.get(0), deployed.getPythonVersion());
        assertEquals("ada", deployed.getLastDeployedBy());
        assertEquals(1000, deployed.getResources().getMemoryLimit());
        assertEquals(List.of(deployed), deployments.deploymentList(TEAM, job, null, null));
        Map<String, Object> nativeJob = nativeJob(TEAM, job);
        assertEquals(Map.of("enabled", true, "cron", "0 4 * * *"), Map.of("enabled", schedule(nativeJob).get("enabled"),
                "cron", schedule(nativeJob).get("cron")));
        assertEquals(5, ((List<?>) nativeJob.get("next_fire_times")).size());

        // PATCH disables and enables it at once; the native schedule follows.
        deployments.deploymentPatch(TEAM, job, "production", new DataJobDeployment().enabled(false));
        assertEquals(Boolean.FALSE, deployments.deploymentRead(TEAM, job, "production").getEnabled());
        assertEquals(List.of(), nativeJob(TEAM, job).get("next_fire_times"));
        assertEquals(400, assertThrows(ApiException.class, () -> deployments.deploymentPatch(TEAM, job, "production",
                new DataJobDeployment().jobVersion("0".repeat(64)))).getCode());
        deployments.deploymentPatch(TEAM, job, "production", new DataJobDeployment().enabled(true));
        assertEquals(5, ((List<?>) nativeJob(TEAM, job).get("next_fire_times")).size());

        // Execute: 202 with a Location whose last segment is the execution id; it succeeds.
        String first = start(executions, job, "manual/ada");
        DataJobExecution succeeded = awaitStatus(executions, job, first, DataJobExecution.StatusEnum.SUCCEEDED);
        assertEquals(DataJobExecution.TypeEnum.MANUAL, succeeded.getType());
        assertEquals("manual/ada", succeeded.getStartedBy());
        assertEquals(good, succeeded.getDeployment().getJobVersion());
        assertNotNull(succeeded.getStartTime());
        assertNotNull(succeeded.getEndTime());
        assertTrue(succeeded.getLogsUrl().endsWith("/data-jobs/for-team/" + TEAM + "/jobs/" + job + "/executions/" + first + "/logs"));
        String logs = awaitLogs(executions, job, first, "second step, token present");
        assertTrue(logs.indexOf("first step in eu batch 500") < logs.indexOf("second step, token present"), logs);
        assertFalse(logs.contains(CANARY), logs);
        String tail = executions.dataJobLogsDownload(TEAM, job, first, 1).getLogs();
        assertEquals(1, tail.strip().lines().count(), tail);

        // A step that exits non-zero is the user's error.
        String failing = upload(vdk, job, Map.of("10_fail.py", "import sys\nprint('about to fail')\nsys.exit(3)\n"));
        deployments.deploymentUpdate(TEAM, job, null, new DataJobDeployment().jobVersion(failing));
        assertEquals(Boolean.TRUE, deployments.deploymentRead(TEAM, job, "production").getEnabled());
        String second = start(executions, job, null);
        DataJobExecution userError = awaitStatus(executions, job, second, DataJobExecution.StatusEnum.USER_ERROR);
        assertEquals(failing, userError.getDeployment().getJobVersion());
        assertEquals("manual/ada", userError.getStartedBy());
        assertNotNull(userError.getMessage());

        // A long step is cancelled; a second start while it runs is refused.
        String slow = upload(vdk, job, Map.of("10_wait.py", "import time\nprint('waiting', flush=True)\ntime.sleep(600)\n"));
        deployments.deploymentUpdate(TEAM, job, null, new DataJobDeployment().jobVersion(slow));
        String third = start(executions, job, null);
        awaitStatus(executions, job, third, DataJobExecution.StatusEnum.RUNNING);
        assertEquals(409, assertThrows(ApiException.class, () -> executions.dataJobExecutionStart(TEAM, job, "production", null))
                .getCode());
        executions.dataJobExecutionCancel(TEAM, job, third);
        awaitStatus(executions, job, third, DataJobExecution.StatusEnum.CANCELLED);

        // Lists: newest first, filtered by VDK's words, per job and per deployment.
        assertEquals(List.of(third, second, first), executions.dataJobExecutionList(TEAM, job, null).stream()
                .map(DataJobExecution::getId).toList());
        assertEquals(List.of(second), executions.dataJobExecutionList(TEAM, job, List.of("user_error")).stream()
                .map(DataJobExecution::getId).toList());
        assertEquals(List.of(third, first), executions.dataJobDeploymentExecutionList(TEAM, job, "production",
                List.of("cancelled", "succeeded")).stream().map(DataJobExecution::getId).toList());

        // jobs_query: filters, paging, the deployment's executions in GraphQL's upper-case words.
        jobs.dataJobCreate(TEAM, new DataJob().jobName("vdk-idle-" + suffix()).description("never deployed")
                .config(new DataJobConfig()), null);
        DataJobQueryResponse page = jobs.jobsQuery(TEAM, """
                { jobs(pageNumber: 1, pageSize: 1, filter: [{property: "jobName", pattern: "vdk-", sort: ASC}]) {
                    content { jobName config { team description } } totalItems totalPages } }""", null, null);
        assertEquals(2, page.getData().getTotalItems());
        assertEquals(2, page.getData().getTotalPages());
        assertEquals(1, page.getData().getContent().size());
        DataJobQueryResponse mine = jobs.jobsQuery(TEAM, """
                query jobsQuery($filter: [Predicate], $pageNumber: Int, $pageSize: Int) {
                  jobs(pageNumber: $pageNumber, pageSize: $pageSize, filter: $filter) {
                    content { jobName deployments { id enabled jobVersion lastExecutionStatus successfulExecutions
                              executions(pageNumber: 1, pageSize: 10, order: {property: "startTime", direction: DESC}) { id status type } } }
                    totalItems } }""", "jobsQuery",
                JSON.writeValueAsString(Map.of("pageNumber", "1", "pageSize", "10",
                        "filter", List.of(Map.of("property", "jobName", "pattern", job)))));
        Map<?, ?> found = (Map<?, ?>) mine.getData().getContent().get(0);
        Map<?, ?> deployment = (Map<?, ?>) ((List<?>) found.get("deployments")).get(0);
        assertEquals(Map.of("id", "production", "enabled", true, "jobVersion", slow, "lastExecutionStatus", "CANCELLED",
                "successfulExecutions", 1), Map.of("id", deployment.get("id"), "enabled", deployment.get("enabled"), "jobVersion",
                deployment.get("jobVersion"), "lastExecutionStatus", deployment.get("lastExecutionStatus"),
                "successfulExecutions", deployment.get("successfulExecutions")));
        assertEquals(List.of("CANCELLED", "USER_ERROR", "SUCCEEDED"), ((List<?>) deployment.get("executions")).stream()
                .map(e -> ((Map<?, ?>) e).get("status")).toList());
        ApiException unknownField = assertThrows(ApiException.class,
                () -> jobs.jobsQuery(TEAM, "{ jobs(pageNumber: 1, pageSize: 5) { content { someField } } }", null, null));
        assertEquals(400, unknownField.getCode());
        assertTrue(unknownField.getResponseBody().contains("\"errors\""), unknownField.getResponseBody());
        assertFalse(unknownField.getResponseBody().contains("\"data\""), unknownField.getResponseBody());

        // The deployment goes (the schedule stops), the team changes (secrets go along), the job goes.
        deployments.deploymentDelete(TEAM, job, "production");
        assertEquals(List.of(), deployments.deploymentList(TEAM, job, null, null));
        assertEquals(List.of(), nativeJob(TEAM, job).get("next_fire_times"));
        jobs.dataJobTeamUpdate(TEAM, OTHER, job);
        assertEquals(404, assertThrows(ApiException.class, () -> jobs.dataJobRead(TEAM, job)).getCode());
        assertEquals(OTHER, jobs.dataJobRead(OTHER, job).getTeam());
        assertEquals(Map.of("API_TOKEN", CANARY), secrets.dataJobSecretsRead(OTHER, job, "TODO"));
        jobs.dataJobDelete(OTHER, job);
        assertEquals(404, assertThrows(ApiException.class, () -> jobs.dataJobRead(OTHER, job)).getCode());

        // Every read of the secrets was audited, by name.
        List<Map<String, Object>> audit = given().baseUri(platform.apiUrl()).auth().oauth2(token("ada", Map.of(TEAM, "admin")))
                .get("/api/v1/workspaces/{ws}/audit?limit=500", TEAM).then().statusCode(200).extract().path("");
        assertTrue(audit.stream().anyMatch(e -> "job.secrets.read".equals(e.get("action"))), audit.toString());
        assertFalse(audit.toString().contains(CANARY));
        assertNothingFailedUnexpectedly();
    }

    @Test
    void otherTeamsLowRolesAndBadInputAreRefusedInVdksShapeAndChangeNothing() throws Exception {
        String editor = token("eve", Map.of(TEAM, "editor"));
        ApiClient vdk = VdkContract.client(platform.apiUrl(), editor);
        DataJobsApi jobs = new DataJobsApi(vdk);
        String job = "vdk-guard-" + suffix();
        jobs.dataJobCreate(TEAM, new DataJob().jobName(job).description("guarded").config(new DataJobConfig()), null);
        String sha = upload(vdk, job, Map.of("10_ok.py", "print('ok')\n"));
        new DataJobsDeploymentApi(vdk).deploymentUpdate(TEAM, job, null, new DataJobDeployment().jobVersion(sha)
                .schedule(new DataJobSchedule().scheduleCron("0 5 * * *")));
        new DataJobsSecretsApi(vdk).dataJobSecretsUpdate(TEAM, job, "TODO", Map.of("API_TOKEN", CANARY));

        // Another team's token finds nothing: 404, in VDK's error shape.
        vdkCall(token("mallory", Map.of(OTHER, "admin")), true).get("/data-jobs/for-team/{t}/jobs/{j}", TEAM, job)
                .then().statusCode(404).body("messages[0]", startsWith("WORKSPACE_NOT_FOUND: "));
        // A viewer reads the job but neither changes it nor reads its secrets; an operator cannot either.
        String viewer = token("vic", Map.of(TEAM, "viewer"));
        vdkCall(viewer, true).get("/data-jobs/for-team/{t}/jobs/{j}", TEAM, job).then().statusCode(200);
        vdkCall(viewer, false).get("/data-jobs/for-team/{t}/jobs/{j}/deployments/TODO/secrets", TEAM, job)
                .then().statusCode(403).body("messages[0]", startsWith("INSUFFICIENT_ROLE: "));
        vdkCall(token("otto", Map.of(TEAM, "operator")), false).get("/data-jobs/for-team/{t}/jobs/{j}/deployments/TODO/secrets",
                TEAM, job).then().statusCode(403);
        vdkCall(viewer, false).contentType("application/json").body("{\"job_name\": \"vdk-viewer-made\", \"description\": \"x\", \"config\": {}}")
                .post("/data-jobs/for-team/{t}/jobs", TEAM).then().statusCode(403);
        vdkCall(viewer, true).get("/data-jobs/for-team/{t}/jobs/vdk-viewer-made", TEAM).then().statusCode(404)
                .body("messages[0]", startsWith("DATA_JOB_NOT_FOUND: "));

        // Bad input: a clear error in VDK's shape, and nothing changes.
        vdkCall(editor, true).contentType("application/json").body("{\"job_name\": \"Bad_Name\", \"description\": \"x\", \"config\": {}}")
                .post("/data-jobs/for-team/{t}/jobs", TEAM).then().statusCode(400)
                .body("messages[0]", startsWith("INVALID_JOB_NAME: ")).body("messages[1]", startsWith("How to fix it: "));
        vdkCall(editor, true).contentType("application/json").body("{\"job_name\": ")
                .post("/data-jobs/for-team/{t}/jobs", TEAM).then().statusCode(400).body("messages[0]", startsWith("MALFORMED_JSON: "));
        vdkCall(editor, true).contentType("application/octet-stream").body("this is not a zip".getBytes())
                .post("/data-jobs/for-team/{t}/jobs/{j}/sources", TEAM, job).then().statusCode(400)
                .body("messages[0]", startsWith("INVALID_PACKAGE: "));
        byte[] huge = new byte[9 * 1024 * 1024];
        new java.util.Random(7).nextBytes(huge);
        vdkCall(editor, true).contentType("application/octet-stream").body(huge)
                .post("/data-jobs/for-team/{t}/jobs/{j}/sources", TEAM, job).then().statusCode(400)
                .body("messages[0]", startsWith("PACKAGE_TOO_LARGE: "));
        vdkCall(editor, true).contentType("application/json").body("{\"schedule\": {\"schedule_cron\": \"every day at noon\"}}")
                .patch("/data-jobs/for-team/{t}/jobs/{j}/deployments/production", TEAM, job).then().statusCode(400)
                .body("messages[0]", startsWith("INVALID_CRON: "));
        vdkCall(editor, true).contentType("application/json").body("{\"job_version\": \"" + "f".repeat(64) + "\"}")
                .post("/data-jobs/for-team/{t}/jobs/{j}/deployments", TEAM, job).then().statusCode(400)
                .body("messages[0]", startsWith("UNKNOWN_JOB_VERSION: "));
        vdkCall(editor, true).contentType("application/json").body("{\"python_version\": \"2.7\"}")
                .patch("/data-jobs/for-team/{t}/jobs/{j}/deployments/production", TEAM, job).then().statusCode(400)
                .body("messages[0]", startsWith("UNSUPPORTED_PYTHON_VERSION: "));
        DataJobDeploymentStatus unchanged = new DataJobsDeploymentApi(vdk).deploymentRead(TEAM, job, "production");
        assertEquals(sha, unchanged.getJobVersion());
        assertEquals("0 5 * * *", unchanged.getSchedule().getScheduleCron());
        assertNull(unchanged.getVdkVersion());
        vdkCall(editor, true).get("/data-jobs/for-team/{t}/jobs/{j}/keytab", TEAM, job).then().statusCode(400)
                .body("messages[0]", startsWith("KEYTAB_NOT_SUPPORTED: "));
        vdkCall(editor, true).get("/data-jobs/teams/{t}/oauth-credentials", TEAM).then().statusCode(404)
                .body("messages[0]", startsWith("OAUTH_CREDENTIALS_NOT_SUPPORTED: "));

        // Secrets stay out of every other answer: the native API lists their names only.
        given().baseUri(platform.apiUrl()).auth().oauth2(editor).get("/api/v1/workspaces/{ws}/jobs/{id}/secrets", TEAM,
                nativeJob(TEAM, job).get("job_id")).then().statusCode(200).body("names", hasItem("API_TOKEN"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(CANARY)));
        given().baseUri(platform.apiUrl()).auth().oauth2(editor).get("/data-jobs/for-team/{t}/jobs/{j}/deployments", TEAM, job)
                .then().statusCode(200).body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(CANARY)));
        // No credentials at all: 401, still VDK's shape.
        given().baseUri(platform.apiUrl()).get("/data-jobs/for-team/{t}/jobs/{j}", TEAM, job).then().statusCode(401)
                .body("messages[0]", startsWith("UNAUTHENTICATED: "));
        assertEquals(200, given().baseUri(platform.apiUrl()).auth().oauth2(editor)
                .get("/data-jobs/for-team/{t}/info", TEAM).then().extract().statusCode());
        vdkCall(editor, true).get("/data-jobs/for-team/{t}/jobs/{j}", TEAM, job).then().statusCode(200)
                .body("description", equalTo("guarded"));
        assertNothingFailedUnexpectedly();
    }

    /**
     * Every operation of VDK's API with no token, a token of another team and each role: 401, 404 and
     * 403 in VDK's error shape below the role it needs, past authorisation from it on.
     */
    @Test
    void everyOperationTimesEveryCallerGivesTheExpectedAnswer() {
        String job = "/data-jobs/for-team/{t}/jobs/vdk-matrix-job";
        String dep = job + "/deployments/production";
        List<List<String>> operations = List.of(
                List.of("GET", "/data-jobs/for-team/{t}/info", "viewer"), List.of("GET", "/data-jobs/for-team/{t}/jobs", "viewer"),
                List.of("POST", "/data-jobs/for-team/{t}/jobs", "editor"), List.of("GET", job, "viewer"),
                List.of("PUT", job, "editor"), List.of("DELETE", job, "editor"),
                List.of("PUT", job + "/team/{t}", "editor"), List.of("GET", job + "/keytab", "viewer"),
                List.of("POST", job + "/sources", "editor"), List.of("DELETE", job + "/sources", "editor"),
                List.of("GET", job + "/deployments", "viewer"), List.of("POST", job + "/deployments", "editor"),
                List.of("GET", dep, "viewer"), List.of("PATCH", dep, "editor"), List.of("DELETE", dep, "editor"),
                List.of("POST", dep + "/executions", "operator"), List.of("GET", dep + "/executions", "viewer"),
                List.of("GET", job + "/executions", "viewer"), List.of("GET", job + "/executions/x", "viewer"),
                List.of("DELETE", job + "/executions/x", "operator"), List.of("GET", job + "/executions/x/logs", "viewer"),
                List.of("GET", dep + "/properties", "viewer"), List.of("PUT", dep + "/properties", "editor"),
                List.of("GET", dep + "/secrets", "editor"), List.of("PUT", dep + "/secrets", "editor"),
                List.of("GET", "/data-jobs/teams/{t}/oauth-credentials", "viewer"),
                List.of("PUT", "/data-jobs/teams/{t}/oauth-credentials", "admin"),
                List.of("GET", "/data-jobs/teams/{t}/oauth-credentials/client-id", "viewer"));
        List<String> roles = List.of("viewer", "operator", "editor", "admin");
        String foreign = token("mallory", Map.of(OTHER, "admin"));
        List<String> failures = new java.util.ArrayList<>();
        for (List<String> op : operations) {
            String method = op.get(0);
            String path = op.get(1).replace("{t}", TEAM);
            expect(failures, op, "no token", given().baseUri(platform.apiUrl()), 401, "UNAUTHENTICATED");
            expect(failures, op, "another team", given().baseUri(platform.apiUrl()).auth().oauth2(foreign), 404,
                    "WORKSPACE_NOT_FOUND");
            for (String role : roles) {
                RequestSpecification spec = given().baseUri(platform.apiUrl()).auth().oauth2(token("matrix", Map.of(TEAM, role)));
                if (roles.indexOf(role) < roles.indexOf(op.get(2))) {
                    expect(failures, op, role, spec, 403, "INSUFFICIENT_ROLE");
                } else {
                    var r = spec.contentType("application/json").body("{}").request(method, path);
                    String first = r.statusCode() >= 400 ? r.path("messages[0]") : "";
                    if (r.statusCode() == 401 || r.statusCode() == 403 || r.statusCode() >= 500
                            || (first != null && first.startsWith("WORKSPACE_NOT_FOUND"))) {
                        failures.add(op + " as " + role + ": expected to pass authorisation, got " + r.statusCode() + " " + first);
                    }
                }
            }
        }
        // The one operation that names no team answers every authenticated caller with the same refusal.
        given().baseUri(platform.apiUrl()).contentType("application/json").body("[\"a\"]").post("/data-jobs/oauth-credentials/client-ids")
                .then().statusCode(401);
        given().baseUri(platform.apiUrl()).auth().oauth2(token("matrix", Map.of(TEAM, "viewer"))).contentType("application/json")
                .body("[\"a\"]").post("/data-jobs/oauth-credentials/client-ids").then().statusCode(400)
                .body("messages[0]", startsWith("OAUTH_CREDENTIALS_NOT_SUPPORTED: "));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void expect(List<String> failures, List<String> op, String caller, RequestSpecification spec, int status,
            String code) {
        var r = spec.contentType("application/json").body("{}").request(op.get(0), op.get(1).replace("{t}", TEAM));
        String first = r.contentType().contains("json") ? r.path("messages[0]") : null;
        if (r.statusCode() != status || first == null || !first.startsWith(code + ": ")) {
            failures.add(op + " as " + caller + ": expected " + status + " " + code + ", got " + r.statusCode() + " " + r.asString());
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    /** No request failed inside job-api (an answer polled until it was right may have hidden a 500). */
    private static void assertNothingFailedUnexpectedly() throws java.io.IOException {
        String log = Files.readString(platform.logDir().resolve("job-api.log"));
        assertFalse(log.contains("failed unexpectedly"), () -> log.lines().filter(l -> l.contains("failed unexpectedly"))
                .limit(5).toList().toString());
    }

    private static String start(DataJobsExecutionApi executions, String job, String startedBy) throws ApiException {
        ApiResponse<Void> started = executions.dataJobExecutionStartWithHttpInfo(TEAM, job, "production",
                startedBy == null ? null : new DataJobExecutionRequest().startedBy(startedBy));
        assertEquals(202, started.getStatusCode());
        String location = started.getHeaders().get("location").get(0);
        assertTrue(location.contains("/data-jobs/for-team/" + TEAM + "/jobs/" + job + "/executions/"), location);
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static DataJobExecution awaitStatus(DataJobsExecutionApi executions, String job, String id,
            DataJobExecution.StatusEnum status) {
        DataJobExecution[] last = new DataJobExecution[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = executions.dataJobExecutionRead(TEAM, job, id);
            assertEquals(status, last[0].getStatus());
        });
        return last[0];
    }

    private static String awaitLogs(DataJobsExecutionApi executions, String job, String id, String line) {
        String[] logs = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            logs[0] = executions.dataJobLogsDownload(TEAM, job, id, null).getLogs();
            assertTrue(logs[0].contains(line), logs[0]);
        });
        return logs[0];
    }

    private static String upload(ApiClient vdk, String job, Map<String, String> files) throws Exception {
        File zip = Files.createTempFile("vdk-job", ".zip").toFile();
        zip.deleteOnExit();
        Files.write(zip.toPath(), Zips.of(files));
        String sha = new DataJobsSourcesApi(vdk).sourcesUpload(TEAM, job, zip, "test").getVersionSha();
        assertEquals(64, sha.length(), sha);
        return sha;
    }

    private static Map<String, Object> nativeJob(String team, String name) {
        return given().baseUri(platform.apiUrl()).auth().oauth2(token("ada", Map.of(team, "admin")))
                .get("/api/v1/workspaces/{ws}/jobs?name_prefix={name}", team, name).then().statusCode(200).extract()
                .<List<Map<String, Object>>>path("jobs").stream().filter(j -> name.equals(j.get("name"))).findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schedule(Map<String, Object> job) {
        return (Map<String, Object>) job.get("schedule");
    }

    /** A request on VDK's paths; its answer validated against VDK's document when the status is one it documents. */
    private static RequestSpecification vdkCall(String token, boolean documented) {
        RequestSpecification spec = given().baseUri(platform.apiUrl()).auth().oauth2(token);
        return documented ? spec.filter(VdkContract.responseFilter()) : spec;
    }

    private static String token(String subject, Map<String, String> roles) {
        return platform.mintToken(subject, roles);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
