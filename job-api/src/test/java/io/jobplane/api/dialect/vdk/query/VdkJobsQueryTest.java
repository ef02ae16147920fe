package io.jobplane.api.dialect.vdk.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import graphql.introspection.IntrospectionQuery;

import io.jobplane.api.dialect.vdk.VdkJobView;
import io.jobplane.api.dialect.vdk.VdkJobView.Config;
import io.jobplane.api.dialect.vdk.VdkJobView.Contacts;
import io.jobplane.api.dialect.vdk.VdkJobView.Deployment;
import io.jobplane.api.dialect.vdk.VdkJobView.Execution;
import io.jobplane.api.dialect.vdk.VdkJobView.Resources;
import io.jobplane.api.dialect.vdk.query.VdkJobsQuery.Result;

class VdkJobsQueryTest {

    private static final VdkJobsQuery ENGINE = new VdkJobsQuery();

    private static final Contacts ALPHA_CONTACTS = new Contacts(List.of("ue@example.com"), List.of("pe@example.com"),
            List.of("ok@example.com"), List.of("deploy@example.com"));

    private static final Execution A1 = execution("alpha-1", "alpha-job", "succeeded", "scheduled", "2026-12-01T08:00:00Z",
            "2026-12-01T08:05:00Z", "scheduled/runtime");
    private static final Execution A2 = execution("alpha-2", "alpha-job", "user_error", "manual", "2026-12-02T08:00:00Z",
            "2026-12-02T08:01:00Z", "manual/alice");
    private static final Execution A3 = execution("alpha-3", "alpha-job", "platform_error", "scheduled",
            "2026-12-03T08:00:00Z", null, "scheduled/runtime");
    private static final Execution B1 = execution("beta-1", "beta-job", "user_error", "manual", "2026-12-02T09:30:00Z",
            "2026-12-02T09:31:00Z", "manual/bob");

    private static final VdkJobView ALPHA = new VdkJobView("alpha-job", "team-a", "Loads the sales",
            new Config("postgres", ALPHA_CONTACTS, "0 * * * *", true, true, 10),
            new Deployment("alpha-job", true, "v3", "0.3.1", "3.11", "release", "15 * * * *",
                    new Resources(1.4f, 2.6f, 500, 1000), Instant.parse("2026-12-01T10:00:00.123Z"), "alice",
                    1_796_000_000L, "platform_error", Instant.parse("2026-12-03T08:00:00Z"), 300, 1, 2,
                    List.of(A3, A2, A1)));
    private static final VdkJobView BETA = new VdkJobView("beta-job", "team-b", "Cleans the logs",
            new Config(null, null, null, null, null, null),
            new Deployment("beta-job", false, "v1", "0.2.0", "3.10", "release", "0 0 * * *", null,
                    Instant.parse("2026-11-20T07:00:00Z"), "bob", null, "user_error",
                    Instant.parse("2026-12-02T09:30:00Z"), 60, 0, 1, List.of(B1)));
    private static final VdkJobView GAMMA = new VdkJobView("gamma-job", "team-a", null,
            new Config(null, Contacts.NONE, "5 4 * * *", false, null, null), null);
    private static final VdkJobView DELTA = new VdkJobView("delta-x", "other", "x marks the spot", null,
            new Deployment("delta-x", true, "v9", "0.3.0", "3.11", "release", "*/5 * * * *", null,
                    Instant.parse("2026-11-30T12:00:00Z"), "carol", null, "succeeded",
                    Instant.parse("2026-12-01T12:00:00Z"), 10, 5, 0, List.of()));

    private static final List<VdkJobView> JOBS = List.of(GAMMA, DELTA, BETA, ALPHA);

    /** The VDK web UI's jobs list query. */
    private static final String UI_QUERY = "query jobsQuery($filter: [Predicate], $search: String, $pageNumber: Int, "
            + "$pageSize: Int) { jobs(pageNumber: $pageNumber, pageSize: $pageSize, filter: $filter, search: $search) "
            + "{ content { jobName config { team description sourceUrl schedule { scheduleCron nextRunEpochSeconds } "
            + "contacts { notifiedOnJobSuccess notifiedOnJobDeploy notifiedOnJobFailureUserError "
            + "notifiedOnJobFailurePlatformError } } deployments { id enabled lastDeployedDate lastDeployedBy "
            + "lastExecutionStatus lastExecutionTime lastExecutionDuration successfulExecutions failedExecutions "
            + "executions(pageNumber: 1, pageSize: 10, order: { property: \"startTime\", direction: DESC }) "
            + "{ id status logsUrl } } } totalPages totalItems } }";

    private static final String NAMES = "{ content { jobName } totalItems totalPages }";

    @Test
    void pagesCountTheMatchingJobs() {
        Map<String, Object> page = data(ENGINE.execute("{ jobs(pageNumber: 2, pageSize: 3) " + NAMES + " }", null, null, JOBS));
        assertEquals(List.of("gamma-job"), names(page));
        assertEquals(4, page.get("totalItems"));
        assertEquals(2, page.get("totalPages"));

        Map<String, Object> beyond = data(ENGINE.execute("{ jobs(pageNumber: 3, pageSize: 3) " + NAMES + " }", null, null, JOBS));
        assertEquals(List.of(), names(beyond));
        assertEquals(4, beyond.get("totalItems"));

        Map<String, Object> none = data(ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 3) " + NAMES + " }", null, null, List.of()));
        assertEquals(0, none.get("totalItems"));
        assertEquals(0, none.get("totalPages"));
    }

    @Test
    void pagesBelowOneOrTooLargeAreRefused() {
        assertRefused(ENGINE.execute("{ jobs(pageNumber: 0, pageSize: 3) " + NAMES + " }", null, null, JOBS),
                "Page cannot be less than 1");
        assertRefused(ENGINE.execute("{ jobs(pageSize: 3) " + NAMES + " }", null, null, JOBS), "Page cannot be less than 1");
        assertRefused(ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 0) " + NAMES + " }", null, null, JOBS),
                "Page size cannot be less than 1");
        assertRefused(ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 101) " + NAMES + " }", null, null, JOBS),
                "Page size cannot be more than 100");
        assertRefused(ENGINE.execute("{ executions(pageNumber: 1) { totalItems } }", null, null, JOBS),
                "Page size cannot be less than 1");
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("jobName", "ALPHA", List.of("alpha-job")),
                Arguments.of("config.team", "team-a", List.of("alpha-job", "gamma-job")),
                Arguments.of("team", "TEAM-B", List.of("beta-job")),
                Arguments.of("config.description", "logs", List.of("beta-job")),
                Arguments.of("config.schedule.scheduleCron", "5 4", List.of("gamma-job")),
                Arguments.of("config.schedule.scheduleCron", "15 *", List.of("alpha-job")),
                Arguments.of("config.sourceUrl", "http", List.of()),
                Arguments.of("deployments.enabled", "enabled", List.of("alpha-job", "delta-x")),
                Arguments.of("deployments.enabled", "disabled", List.of("beta-job")),
                Arguments.of("deployments.enabled", "false", List.of("beta-job")),
                Arguments.of("deployments.enabled", "TRUE", List.of("alpha-job", "delta-x")),
                Arguments.of("deployments.lastExecutionStatus", "user_error", List.of("beta-job")),
                Arguments.of("deployments.lastExecutionStatus", "Succeeded", List.of("delta-x")),
                Arguments.of("deployments.lastDeployedBy", "ALI", List.of("alpha-job")),
                Arguments.of("deployments.lastDeployedDate", "2026-11", List.of("beta-job", "delta-x")),
                Arguments.of("deployments.lastExecutionTime", "2026-12-02T09:30", List.of("beta-job")));
    }

    @ParameterizedTest
    @MethodSource("filters")
    void eachFilterPropertyKeepsTheJobsWhoseValueContainsThePattern(String property, String pattern, List<String> jobs) {
        String query = "{ jobs(pageNumber: 1, pageSize: 10, filter: [{property: \"" + property + "\", pattern: \"" + pattern
                + "\"}]) " + NAMES + " }";
        Map<String, Object> page = data(ENGINE.execute(query, null, null, JOBS));
        assertEquals(jobs, names(page));
        assertEquals(jobs.size(), page.get("totalItems"));
    }

    @Test
    void anUnsupportedFilterPropertyIsRefusedByName() {
        Result result = ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 10, filter: [{property: \"config.owner\", "
                + "pattern: \"x\"}]) " + NAMES + " }", null, null, JOBS);
        assertRefused(result, "Provided filter for config.owner is either not valid or currently not supported");
        assertEquals(List.of("jobs"), error(result).get("path"));
        assertRefused(ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 10, filter: [{property: \"jobName\"}]) " + NAMES
                + " }", null, null, JOBS), "Provided filter for jobName is either not valid or currently not supported");
    }

    @Test
    void aSortedPredicateOrdersAscendingOrDescendingWithTheJobNameBreakingTies() {
        String query = "query($sort: Direction) { jobs(pageNumber: 1, pageSize: 10, filter: [{property: \"config.team\", "
                + "sort: $sort}]) " + NAMES + " }";
        assertEquals(List.of("delta-x", "alpha-job", "gamma-job", "beta-job"),
                names(data(ENGINE.execute(query, "{\"sort\": \"ASC\"}", null, JOBS))));
        assertEquals(List.of("beta-job", "alpha-job", "gamma-job", "delta-x"),
                names(data(ENGINE.execute(query, "{\"sort\": \"DESC\"}", null, JOBS))));
        assertEquals(List.of("alpha-job", "delta-x", "beta-job"), names(data(ENGINE.execute("{ jobs(pageNumber: 1, "
                + "pageSize: 10, filter: [{property: \"deployments.lastDeployedDate\", pattern: \"2026\", sort: DESC}]) "
                + NAMES + " }", null, null, JOBS))));
        assertEquals(List.of("alpha-job", "beta-job", "delta-x", "gamma-job"),
                names(data(ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 10) " + NAMES + " }", null, null, JOBS))));
    }

    @Test
    void severalSortedPredicatesOrderByEachInTurn() {
        String query = "{ jobs(pageNumber: 1, pageSize: 10, filter: [{property: \"config.team\", sort: DESC}, "
                + "{property: \"jobName\", sort: DESC}]) " + NAMES + " }";
        assertEquals(List.of("beta-job", "gamma-job", "alpha-job", "delta-x"), names(data(ENGINE.execute(query, null, null, JOBS))));
    }

    @Test
    void searchLooksInNameTeamAndDescriptionAfterTheFilters() {
        String query = "query($search: String) { jobs(pageNumber: 1, pageSize: 10, search: $search) " + NAMES + " }";
        assertEquals(List.of("beta-job"), names(data(ENGINE.execute(query, "{\"search\": \"LOGS\"}", null, JOBS))));
        assertEquals(List.of("alpha-job", "gamma-job"), names(data(ENGINE.execute(query, "{\"search\": \"team-a\"}", null, JOBS))));
        assertEquals(List.of("delta-x"), names(data(ENGINE.execute(query, "{\"search\": \"x\"}", null, JOBS))));
        assertEquals(List.of("gamma-job"), names(data(ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 10, search: "
                + "\"gamma\", filter: [{property: \"config.team\", pattern: \"team-a\"}]) " + NAMES + " }", null, null, JOBS))));
        assertEquals(List.of("alpha-job", "beta-job", "delta-x", "gamma-job"),
                names(data(ENGINE.execute(query, "{\"search\": \"  \"}", null, JOBS))));
    }

    @Test
    void anUnknownFieldIsAValidationErrorAndTheBodyHoldsOnlyErrors() {
        Result result = ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 10) { content { jobName someField } } }", null,
                null, JOBS);
        assertEquals(400, result.status());
        assertEquals(Set.of("errors"), result.body().keySet());
        Map<String, Object> error = error(result);
        assertTrue(((String) error.get("message")).contains("someField"), error.toString());
        assertEquals("ValidationError", error.get("errorType"));
        assertEquals("FieldUndefined", error.get("validationErrorType"));
        assertEquals(List.of("jobs", "content", "someField"), error.get("queryPath"));
        assertEquals(List.of(Map.of("line", 1, "column", 57)), error.get("locations"));
        assertFalse(error.toString().contains("Exception"), error.toString());
    }

    @Test
    void aSyntaxErrorIsRefused() {
        Result result = ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 10) { content { jobName } ", null, null, JOBS);
        assertEquals(400, result.status());
        assertEquals(Set.of("errors"), result.body().keySet());
        assertEquals("InvalidSyntax", error(result).get("errorType"));
        assertTrue(((String) error(result).get("message")).startsWith("Invalid syntax"), error(result).toString());
    }

    @Test
    void malformedVariablesAreRefused() {
        String query = "query($pageSize: Int) { jobs(pageNumber: 1, pageSize: $pageSize) " + NAMES + " }";
        Result malformed = ENGINE.execute(query, "{\"pageSize\": ", null, JOBS);
        assertEquals(400, malformed.status());
        assertTrue(((String) error(malformed).get("message")).startsWith("The variables are not valid JSON"));
        assertRefused(ENGINE.execute(query, "[1, 2]", null, JOBS), "The variables must be a JSON object");
        Result notANumber = ENGINE.execute(query, "{\"pageSize\": \"ten\"}", null, JOBS);
        assertEquals(400, notANumber.status());
        assertTrue(((String) error(notANumber).get("message")).contains("pageSize"), error(notANumber).toString());
    }

    @Test
    void intVariablesMayComeAsStrings() {
        String query = "query($pageSize: Int, $pageNumber: Int!) { jobs(pageNumber: $pageNumber, pageSize: $pageSize) "
                + NAMES + " }";
        Map<String, Object> page = data(ENGINE.execute(query, "{\"pageSize\": \"3\", \"pageNumber\": \" 2\"}", null, JOBS));
        assertEquals(List.of("gamma-job"), names(page));
        assertEquals(2, page.get("totalPages"));
        assertEquals(List.of("alpha-job"), names(data(ENGINE.execute(query, "{\"pageSize\": 1, \"pageNumber\": 1}", null, JOBS))));
        String optional = "query($pageNumber: Int = 1) { jobs(pageNumber: $pageNumber, pageSize: 3) " + NAMES + " }";
        assertEquals(2, data(ENGINE.execute(optional, "null", null, JOBS)).get("totalPages"));
        assertEquals(2, data(ENGINE.execute(optional, "", null, JOBS)).get("totalPages"));
    }

    @Test
    void theOperationNameSelectsTheOperation() {
        String document = "query names { jobs(pageNumber: 1, pageSize: 1) " + NAMES + " } "
                + "query runs { executions(pageNumber: 1, pageSize: 2) { content { id } totalItems totalPages } }";
        Map<String, Object> runs = data(ENGINE.execute(document, null, "runs", JOBS));
        assertEquals(4, runs.get("totalItems"));
        assertEquals(List.of(Map.of("id", "alpha-3"), Map.of("id", "beta-1")), runs.get("content"));
        assertEquals(List.of("alpha-job"), names(data(ENGINE.execute(document, null, "names", JOBS))));
        assertEquals(400, ENGINE.execute(document, null, null, JOBS).status());
        assertEquals(400, ENGINE.execute(document, null, "other", JOBS).status());
    }

    @Test
    void deploymentExecutionsArePagedOrderedAndFiltered() {
        String query = "query($order: DataJobExecutionOrder, $filter: DataJobExecutionFilter, $n: Int, $s: Int) { "
                + "jobs(pageNumber: 1, pageSize: 1, filter: [{property: \"jobName\", pattern: \"alpha\"}]) { content { "
                + "deployments { executions(pageNumber: $n, pageSize: $s, order: $order, filter: $filter) { id } } } } }";
        assertEquals(List.of("alpha-3", "alpha-2", "alpha-1"), executionIds(ENGINE.execute(query, "{}", null, JOBS)));
        assertEquals(List.of("alpha-2"), executionIds(ENGINE.execute(query, "{\"n\": 2, \"s\": 1}", null, JOBS)));
        assertEquals(List.of("alpha-1", "alpha-2"), executionIds(ENGINE.execute(query,
                "{\"n\": 1, \"s\": 2, \"order\": {\"property\": \"startTime\"}}", null, JOBS)));
        assertEquals(List.of("alpha-2", "alpha-1", "alpha-3"), executionIds(ENGINE.execute(query,
                "{\"order\": {\"property\": \"endTime\", \"direction\": \"DESC\"}}", null, JOBS)));
        assertEquals(List.of("alpha-3", "alpha-2"), executionIds(ENGINE.execute(query,
                "{\"filter\": {\"statusIn\": [\"USER_ERROR\", \"PLATFORM_ERROR\"]}}", null, JOBS)));
        assertEquals(List.of("alpha-2"), executionIds(ENGINE.execute(query, "{\"filter\": {\"startTimeGte\": "
                + "\"2026-12-02T00:00:00Z\", \"startTimeLte\": \"2026-12-02T12:00:00+02:00\"}}", null, JOBS)));
        assertRefused(ENGINE.execute(query, "{\"order\": {\"property\": \"opId\"}}", null, JOBS),
                "Provided order property opId is either not valid or currently not supported; supported are endTime, "
                        + "id, jobName, jobVersion, startTime, startedBy, status, type");
        assertRefused(ENGINE.execute(query, "{\"n\": 0, \"s\": 1}", null, JOBS), "Page cannot be less than 1");
    }

    @Test
    void teamExecutionsAreFilteredOrderedAndPaged() {
        String query = "{ executions(pageNumber: 1, pageSize: 2, filter: {jobNameIn: [\"alpha-job\", \"beta-job\"], "
                + "statusIn: [USER_ERROR, SUCCEEDED]}, order: {property: \"jobName\", direction: DESC}) "
                + "{ content { id jobName status } totalItems totalPages } }";
        Map<String, Object> page = data(ENGINE.execute(query, null, null, JOBS));
        assertEquals(List.of(Map.of("id", "beta-1", "jobName", "beta-job", "status", "USER_ERROR"),
                Map.of("id", "alpha-2", "jobName", "alpha-job", "status", "USER_ERROR")), page.get("content"));
        assertEquals(3, page.get("totalItems"));
        assertEquals(2, page.get("totalPages"));
        assertRefused(ENGINE.execute("{ executions(pageNumber: 1, pageSize: 101) { totalItems } }", null, null, JOBS),
                "Page size cannot be more than 100");
    }

    @Test
    void valuesAreShownInVdksForms() {
        String query = "{ jobs(pageNumber: 1, pageSize: 1) { content { jobName config { team generateKeytab sourceUrl "
                + "logsUrl schedule { scheduleCron nextRunEpochSeconds } contacts { notifiedOnJobSuccess } } deployments { "
                + "id status enabled jobVersion vdkVersion mode lastDeployedDate lastDeployedBy lastExecutionStatus "
                + "lastExecutionTime lastExecutionDuration successfulExecutions failedExecutions "
                + "resources { cpuRequest cpuLimit memoryRequest memoryLimit empheralStorageLimit } "
                + "contacts { notifiedOnJobDeploy } schedule { scheduleCron } "
                + "executions(pageNumber: 1, pageSize: 1) { id type status startTime endTime startedBy vkdVersion "
                + "jobVersion jobSchedule resourcesCpuRequest resourcesCpuLimit resourcesMemoryRequest "
                + "resourcesMemoryLimit deployedDate deployedBy logsUrl opId message } } } } }";
        Map<String, Object> job = content(data(ENGINE.execute(query, null, null, JOBS))).get(0);
        Map<String, Object> config = map(job.get("config"));
        assertEquals("team-a", config.get("team"));
        assertEquals(true, config.get("generateKeytab"));
        assertNull(config.get("sourceUrl"));
        assertEquals(Map.of("scheduleCron", "15 * * * *", "nextRunEpochSeconds", 1_796_000_000), config.get("schedule"));
        assertEquals(Map.of("notifiedOnJobSuccess", List.of("ok@example.com")), config.get("contacts"));
        Map<String, Object> deployment = map(((List<?>) job.get("deployments")).get(0));
        assertEquals("SUCCESS", deployment.get("status"));
        assertEquals("PLATFORM_ERROR", deployment.get("lastExecutionStatus"));
        assertEquals("2026-12-01T10:00:00Z", deployment.get("lastDeployedDate"));
        assertEquals("2026-12-03T08:00:00Z", deployment.get("lastExecutionTime"));
        assertEquals(300, deployment.get("lastExecutionDuration"));
        assertEquals(1, deployment.get("successfulExecutions"));
        assertEquals(2, deployment.get("failedExecutions"));
        assertEquals("0.3.1", deployment.get("vdkVersion"));
        Map<String, Object> resources = map(deployment.get("resources"));
        assertEquals(1, resources.get("cpuRequest"));
        assertEquals(3, resources.get("cpuLimit"));
        assertEquals(500, resources.get("memoryRequest"));
        assertNull(resources.get("empheralStorageLimit"));
        assertEquals(Map.of("notifiedOnJobDeploy", List.of("deploy@example.com")), deployment.get("contacts"));
        Map<String, Object> execution = map(((List<?>) deployment.get("executions")).get(0));
        assertEquals("alpha-3", execution.get("id"));
        assertEquals("SCHEDULED", execution.get("type"));
        assertEquals("PLATFORM_ERROR", execution.get("status"));
        assertEquals("2026-12-03T08:00:00Z", execution.get("startTime"));
        assertNull(execution.get("endTime"));
        assertEquals("0.3.1", execution.get("vkdVersion"));
        assertEquals("15 * * * *", execution.get("jobSchedule"));
        assertEquals(1.5, execution.get("resourcesCpuRequest"));
        assertEquals(2.0, execution.get("resourcesCpuLimit"));
        assertEquals(500, execution.get("resourcesMemoryRequest"));
        assertEquals("2026-12-01T10:00:00Z", execution.get("deployedDate"));
        assertEquals("alice", execution.get("deployedBy"));
        assertEquals("https://logs.example.com/alpha-3", execution.get("logsUrl"));
        assertEquals("op-alpha-3", execution.get("opId"));
    }

    @Test
    void executionStatusesAndTypesAreUpperCaseEnums() {
        Map<String, Object> page = data(ENGINE.execute("{ executions(pageNumber: 1, pageSize: 10, order: {property: "
                + "\"id\"}) { content { id status type } } }", null, null, JOBS));
        assertEquals(List.of(Map.of("id", "alpha-1", "status", "SUCCEEDED", "type", "SCHEDULED"),
                Map.of("id", "alpha-2", "status", "USER_ERROR", "type", "MANUAL"),
                Map.of("id", "alpha-3", "status", "PLATFORM_ERROR", "type", "SCHEDULED"),
                Map.of("id", "beta-1", "status", "USER_ERROR", "type", "MANUAL")), page.get("content"));
    }

    @Test
    void theWebUisQueryIsAnswered() {
        Map<String, Object> page = data(ENGINE.execute(UI_QUERY,
                "{\"pageNumber\":1,\"pageSize\":1,\"filter\":[],\"search\":\"x\"}", null, JOBS));
        assertEquals(1, page.get("totalItems"));
        assertEquals(1, page.get("totalPages"));
        Map<String, Object> job = content(page).get(0);
        assertEquals("delta-x", job.get("jobName"));
        assertEquals("*/5 * * * *", map(map(job.get("config")).get("schedule")).get("scheduleCron"));
        assertEquals(List.of(), map(map(job.get("config")).get("contacts")).get("notifiedOnJobSuccess"));
        Map<String, Object> deployment = map(((List<?>) job.get("deployments")).get(0));
        assertEquals("SUCCEEDED", deployment.get("lastExecutionStatus"));
        assertEquals(5, deployment.get("successfulExecutions"));
        assertEquals(List.of(), deployment.get("executions"));

        Map<String, Object> teams = data(ENGINE.execute(UI_QUERY, "{\"pageNumber\":1,\"pageSize\":10,\"filter\":["
                + "{\"property\":\"config.team\",\"pattern\":\"team\",\"sort\":null},"
                + "{\"property\":\"jobName\",\"pattern\":\"job\",\"sort\":null}],\"search\":\"\"}", null, JOBS));
        assertEquals(List.of("alpha-job", "beta-job", "gamma-job"), names(teams));
        Map<String, Object> alphaDeployment = map(((List<?>) content(teams).get(0).get("deployments")).get(0));
        assertEquals(List.of(Map.of("id", "alpha-3", "status", "PLATFORM_ERROR", "logsUrl", "https://logs.example.com/alpha-3"),
                Map.of("id", "alpha-2", "status", "USER_ERROR", "logsUrl", "https://logs.example.com/alpha-2"),
                Map.of("id", "alpha-1", "status", "SUCCEEDED", "logsUrl", "https://logs.example.com/alpha-1")),
                alphaDeployment.get("executions"));
        assertEquals(List.of(), content(teams).get(2).get("deployments"));
        assertTrue(VdkJobsQuery.wantsExecutions(UI_QUERY));
    }

    /** {@code vdk list -t team-a}: the CLI's GqlQueryBuilder writes the filter inline and sends no variables. */
    @Test
    void theCliListQueryIsAnswered() {
        String query = "{ jobs(pageNumber: 1, pageSize: 100, filter: [{ property: \"config.team\", pattern: \"team-a\", "
                + "sort: ASC }, { property: \"jobName\", sort: ASC }]) { content { jobName config { team description "
                + "schedule { scheduleCron }  }  deployments { enabled status }  }  }  }";
        Map<String, Object> page = data(ENGINE.execute(query, null, null, JOBS));
        assertEquals(Set.of("content"), page.keySet());
        assertEquals(List.of(
                Map.of("jobName", "alpha-job", "config", Map.of("team", "team-a", "description", "Loads the sales",
                        "schedule", Map.of("scheduleCron", "15 * * * *")),
                        "deployments", List.of(Map.of("enabled", true, "status", "SUCCESS"))),
                Map.of("jobName", "gamma-job", "config", Map.of("team", "team-a", "schedule",
                        Map.of("scheduleCron", "5 4 * * *")), "deployments", List.of())),
                withoutNulls(content(page)));
        assertFalse(VdkJobsQuery.wantsExecutions(query));
    }

    /** {@code vdk list --all -mmm}: every team, all details, the executions of each deployment. */
    @Test
    void theCliListQueryOfAllTeamsWithAllDetailsIsAnswered() {
        String query = "{ jobs(pageNumber: 1, pageSize: 100, filter: [{ property: \"config.team\", sort: ASC }, "
                + "{ property: \"jobName\", sort: ASC }]) { content { jobName config { team description schedule "
                + "{ scheduleCron }  contacts { notifiedOnJobDeploy notifiedOnJobSuccess notifiedOnJobFailurePlatformError "
                + "notifiedOnJobFailureUserError }  }  deployments { enabled status jobVersion lastDeployedBy "
                + "lastDeployedDate executions { id type status startTime endTime opId startedBy }  }  }  }  }";
        Map<String, Object> page = data(ENGINE.execute(query, null, null, JOBS));
        assertEquals(List.of("delta-x", "alpha-job", "gamma-job", "beta-job"), names(page));
        Map<String, Object> beta = map(((List<?>) content(page).get(3).get("deployments")).get(0));
        assertEquals("2026-11-20T07:00:00Z", beta.get("lastDeployedDate"));
        Map<String, Object> last = map(((List<?>) beta.get("executions")).get(0));
        assertEquals("beta-1", last.get("id"));
        assertEquals("MANUAL", last.get("type"));
        assertEquals("USER_ERROR", last.get("status"));
        assertEquals("2026-12-02T09:30:00Z", last.get("startTime"));
        assertEquals("manual/bob", last.get("startedBy"));
        assertTrue(VdkJobsQuery.wantsExecutions(query));
    }

    @Test
    void aQueryTooDeepTooLongOrWithoutOneTopLevelFieldIsRefused() {
        String deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType "
                + "{ ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } } } }";
        Result tooDeep = ENGINE.execute(deep, null, null, JOBS);
        assertEquals(400, tooDeep.status());
        assertTrue(((String) error(tooDeep).get("message")).contains("depth"), error(tooDeep).toString());
        assertEquals("ExecutionAborted", error(tooDeep).get("errorType"));

        assertRefused(ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 1) { totalItems } " + " ".repeat(10_000) + "}",
                null, null, JOBS), "The query is longer than 10000 characters");
        String rule = "The query must select exactly one top-level field: jobs or executions";
        assertRefused(ENGINE.execute("{ jobs(pageNumber: 1, pageSize: 1) { totalItems } executions(pageNumber: 1, "
                + "pageSize: 1) { totalItems } }", null, null, JOBS), rule);
        assertRefused(ENGINE.execute("{ __typename }", null, null, JOBS), rule);
        assertRefused(ENGINE.execute("query { ...both } fragment both on Query { a: jobs(pageNumber: 1, pageSize: 1) "
                + "{ totalItems } b: jobs(pageNumber: 1, pageSize: 2) { totalItems } }", null, null, JOBS), rule);
    }

    @Test
    void theStandardIntrospectionQueryFitsTheLimits() {
        Map<String, Object> schema = data(ENGINE.execute(IntrospectionQuery.INTROSPECTION_QUERY, null, "IntrospectionQuery", JOBS));
        assertEquals(Map.of("name", "Query"), schema.get("queryType"));
        assertTrue(((List<?>) schema.get("types")).stream().anyMatch(type -> "DataJobDeployment".equals(map(type).get("name"))));
    }

    @Test
    void anAliasedTopLevelFieldIsUnwrapped() {
        Result result = ENGINE.execute("{ page: jobs(pageNumber: 1, pageSize: 2) { totalItems } }", null, null, JOBS);
        assertEquals(200, result.status());
        assertEquals(Map.of("data", Map.of("totalItems", 4)), result.body());
    }

    @Test
    void noQueryRunsVdksDefaultQuery() {
        for (String none : new String[] {null, " "}) {
            Map<String, Object> page = data(ENGINE.execute(none, null, null, JOBS));
            assertEquals(4, page.get("totalItems"));
            assertEquals(1, page.get("totalPages"));
            assertEquals(Map.of("jobName", "alpha-job", "config", Map.of("team", "team-a", "description",
                    "Loads the sales", "schedule", Map.of("scheduleCron", "15 * * * *"))), content(page).get(0));
        }
    }

    @Test
    void wantsExecutionsSeesExecutionFieldsAnywhere() {
        assertFalse(VdkJobsQuery.wantsExecutions(null));
        assertFalse(VdkJobsQuery.wantsExecutions("{ jobs(pageNumber: 1, pageSize: 1) " + NAMES + " }"));
        assertFalse(VdkJobsQuery.wantsExecutions("{ jobs( "));
        assertTrue(VdkJobsQuery.wantsExecutions("{ executions(pageNumber: 1, pageSize: 1) { totalItems } }"));
        assertTrue(VdkJobsQuery.wantsExecutions("{ jobs(pageNumber: 1, pageSize: 1) { content { ...d } } } "
                + "fragment d on DataJob { deployments { successfulExecutions } }"));
        assertTrue(VdkJobsQuery.wantsExecutions("{ jobs(pageNumber: 1, pageSize: 1, filter: [{property: "
                + "\"deployments.lastExecutionStatus\", pattern: \"user\"}]) " + NAMES + " }"));
        assertTrue(VdkJobsQuery.wantsExecutions("query($f: [Predicate!]) { jobs(pageNumber: 1, pageSize: 1, filter: $f) "
                + NAMES + " }"));
    }

    private static Execution execution(String id, String job, String status, String type, String start, String end,
            String startedBy) {
        return new Execution(id, job, status, type, Instant.parse(start), end == null ? null : Instant.parse(end),
                startedBy, "message of " + id, "op-" + id, "https://logs.example.com/" + id, "v3", "0.3.1", "3.11",
                "15 * * * *", new Resources(1.5f, 2f, 500, 1000), Instant.parse("2026-12-01T10:00:00Z"), "alice");
    }

    private static Map<String, Object> data(Result result) {
        assertEquals(200, result.status(), () -> String.valueOf(result.body()));
        assertEquals(Set.of("data"), result.body().keySet());
        return map(result.body().get("data"));
    }

    private static void assertRefused(Result result, String message) {
        assertEquals(400, result.status(), () -> String.valueOf(result.body()));
        assertEquals(Set.of("errors"), result.body().keySet());
        assertEquals(message, error(result).get("message"));
        assertTrue(error(result).containsKey("errorType"));
    }

    private static Map<String, Object> error(Result result) {
        return map(((List<?>) result.body().get("errors")).get(0));
    }

    private static List<Map<String, Object>> content(Map<String, Object> page) {
        return ((List<?>) page.get("content")).stream().map(VdkJobsQueryTest::map).toList();
    }

    private static List<String> names(Map<String, Object> page) {
        return content(page).stream().map(job -> (String) job.get("jobName")).toList();
    }

    private static List<String> executionIds(Result result) {
        Map<String, Object> deployment = map(((List<?>) content(data(result)).get(0).get("deployments")).get(0));
        return ((List<?>) deployment.get("executions")).stream().map(e -> (String) map(e).get("id")).toList();
    }

    /** The maps with their null values left out, so that they compare with Map.of(…). */
    private static List<Map<String, Object>> withoutNulls(List<Map<String, Object>> maps) {
        return maps.stream().map(VdkJobsQueryTest::withoutNulls).toList();
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> inner) {
                copy.put(key, withoutNulls(map(inner)));
            } else if (value instanceof List<?> list) {
                copy.put(key, list.stream().map(e -> e instanceof Map<?, ?> m ? withoutNulls(map(m)) : e).toList());
            } else if (value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
