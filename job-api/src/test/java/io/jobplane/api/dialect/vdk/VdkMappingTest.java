package io.jobplane.api.dialect.vdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.error.ErrorBody;

class VdkMappingTest {

    @Test
    void jobNamesFollowVdksRules() {
        assertEquals("daily-load", VdkMapping.jobName("daily-load"));
        assertEquals("a1234", VdkMapping.jobName("a1234"));
        assertEquals("a" + "b".repeat(49), VdkMapping.jobName("a" + "b".repeat(49)));
        for (String bad : new String[] { "abcd", "1abcd", "Daily-load", "daily_load", "a" + "b".repeat(50), "daily load", "" }) {
            ApiException e = assertThrows(ApiException.class, () -> VdkMapping.jobName(bad), bad);
            assertEquals("INVALID_JOB_NAME", e.code());
        }
        assertEquals("INVALID_JOB_NAME", assertThrows(ApiException.class, () -> VdkMapping.jobName(null)).code());
    }

    @Test
    void runStatesBecomeVdkStatusesAndFailuresSplitIntoUserAndPlatformErrors() {
        assertEquals("submitted", VdkMapping.executionStatus("QUEUED", null));
        assertEquals("submitted", VdkMapping.executionStatus("DISPATCHED", null));
        assertEquals("platform_error", VdkMapping.executionStatus("UNKNOWN", null));
        assertEquals("running", VdkMapping.executionStatus("RUNNING", null));
        assertEquals("running", VdkMapping.executionStatus("CANCELLING", null));
        assertEquals("succeeded", VdkMapping.executionStatus("SUCCESS", null));
        assertEquals("cancelled", VdkMapping.executionStatus("STOPPED", null));
        assertEquals("user_error", VdkMapping.executionStatus("FAILED", "TASK_FAILED"));
        assertEquals("user_error", VdkMapping.executionStatus("FAILED", "TASK_TIMEOUT"));
        assertEquals("user_error", VdkMapping.executionStatus("FAILED", "RUN_TIMEOUT"), "the job's own limit");
        assertEquals("platform_error", VdkMapping.executionStatus("FAILED", "WORKER_LOST"));
        assertEquals("platform_error", VdkMapping.executionStatus("FAILED", "SANDBOX_UNAVAILABLE"));
        assertEquals("platform_error", VdkMapping.executionStatus("FAILED", "CONNECTION_UNAVAILABLE"));
        assertEquals("platform_error", VdkMapping.executionStatus("FAILED", null));
        assertThrows(IllegalArgumentException.class, () -> VdkMapping.executionStatus("PAUSED", null));
    }

    @Test
    void vdkStatusFiltersNameRunStates() {
        assertEquals(List.of("QUEUED", "DISPATCHED", "RUNNING", "CANCELLING"), VdkMapping.runStates(List.of("submitted", "running")));
        assertEquals(List.of("FAILED", "UNKNOWN"), VdkMapping.runStates(List.of("platform_error")));
        assertEquals(List.of("SUCCESS", "FAILED"), VdkMapping.runStates(List.of("succeeded,user_error")));
        assertEquals(List.of("STOPPED"), VdkMapping.runStates(List.of(" Cancelled ")));
        assertEquals(List.of(), VdkMapping.runStates(List.of("skipped")));
        assertEquals("INVALID_EXECUTION_STATUS",
                assertThrows(ApiException.class, () -> VdkMapping.runStates(List.of("done"))).code());
    }

    @Test
    void triggersAndModes() {
        assertEquals("scheduled", VdkMapping.executionType("schedule"));
        assertEquals("manual", VdkMapping.executionType("manual"));
        assertEquals("manual", VdkMapping.executionType("retry"));
        assertEquals("release", VdkMapping.mode(null));
        assertEquals("testing", VdkMapping.mode("testing"));
        assertEquals("INVALID_ENUM_VALUE", assertThrows(ApiException.class, () -> VdkMapping.mode("prod")).code());
    }

    @Test
    void argsBecomeParametersAsTextAndJson() {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("region", "eu");
        args.put("batch", 500);
        args.put("tags", List.of("a", "b"));
        assertEquals(Map.of("region", "eu", "batch", "500", "tags", "[\"a\",\"b\"]"), VdkMapping.parameters(args, json));
        assertNull(VdkMapping.parameters(Map.of(), json));
        assertNull(VdkMapping.parameters(null, json));
        assertEquals("INVALID_ARGUMENT",
                assertThrows(ApiException.class, () -> VdkMapping.parameters(Map.of("bad-name", "x"), json)).code());
    }

    @Test
    void argsAreBoundedAsALaunchsParametersAre() {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i <= VdkMapping.MAX_ARGS; i++) {
            many.put("a" + i, i);
        }
        assertEquals("INVALID_ARGUMENT", assertThrows(ApiException.class, () -> VdkMapping.parameters(many, json)).code());
        assertEquals("INVALID_ARGUMENT", assertThrows(ApiException.class,
                () -> VdkMapping.parameters(Map.of("big", "x".repeat(VdkMapping.MAX_ARG_LENGTH + 1)), json)).code());
        assertEquals(VdkMapping.MAX_ARG_LENGTH,
                VdkMapping.parameters(Map.of("big", "x".repeat(VdkMapping.MAX_ARG_LENGTH)), json).get("big").length());
    }

    @Test
    void namesAndContactsAreBounded() {
        assertEquals("production", VdkMapping.bounded("id", "production"));
        assertNull(VdkMapping.bounded("id", null));
        assertEquals("VALIDATION_FAILED", assertThrows(ApiException.class, () -> VdkMapping.bounded("id", "x".repeat(256))).code());
        VdkMapping.checkContacts(null);
        VdkMapping.checkContacts(new VdkBodies.DataJobContacts(List.of("a@x.io"), null, List.of(), null));
        List<String> tooMany = java.util.Collections.nCopies(VdkMapping.MAX_CONTACTS + 1, "a@x.io");
        assertEquals("VALIDATION_FAILED", assertThrows(ApiException.class,
                () -> VdkMapping.checkContacts(new VdkBodies.DataJobContacts(null, tooMany, null, null))).code());
        assertEquals("VALIDATION_FAILED", assertThrows(ApiException.class, () -> VdkMapping.checkContacts(
                new VdkBodies.DataJobContacts(null, null, null, List.of("x".repeat(300))))).code());
    }

    @Test
    void errorsBecomeVdkMessagesWithCodeFixAndRequestId() {
        VdkBodies.Error error = VdkMapping.error(new ErrorBody("INVALID_CRON", "'x' is not a cron", "Use five fields.", "req-1"));
        assertEquals(List.of("INVALID_CRON: 'x' is not a cron", "How to fix it: Use five fields.", "Request id: req-1"),
                error.messages());
        assertEquals(List.of("NOT_FOUND: gone"), VdkMapping.error(new ErrorBody("NOT_FOUND", "gone", null, null)).messages());
    }

    @Test
    void contactsAreListsNeverNull() {
        VdkJobView.Contacts none = VdkMapping.contacts(null);
        assertTrue(none.notifiedOnJobSuccess().isEmpty());
        VdkJobView.Contacts some = VdkMapping.contacts(new VdkBodies.DataJobContacts(List.of("a@x.io"), null, null, List.of("b@x.io")));
        assertEquals(List.of("a@x.io"), some.notifiedOnJobFailureUserError());
        assertEquals(List.of(), some.notifiedOnJobFailurePlatformError());
        assertEquals(List.of("b@x.io"), some.notifiedOnJobDeploy());
    }
}
