package io.jobplane.api.dialect.tailer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.error.ErrorBody;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.TailerIdentity;
import io.jobplane.api.run.RunStatusView;

class TailerMappingTest {

    private static final TailerIdentity T2T = new TailerIdentity("000099", "DEV", "table-to-table", "000099_iowa_liquor_prepare_pda");
    private static final TailerIdentity S2S = new TailerIdentity("000099", "DEV", "storage-to-storage",
            "000099-jarvis-demo-iowa-liquor-storage-to-storage");

    @Test
    void nativeStatusesMapOntoTailersWords() {
        assertEquals("WAITING", TailerMapping.status("QUEUED"));
        assertEquals("RUNNING", TailerMapping.status("RUNNING"));
        assertEquals("RUNNING", TailerMapping.status("CANCELLING"));
        assertEquals("SUCCESS", TailerMapping.status("SUCCESS"));
        assertEquals("FAILED", TailerMapping.status("FAILED"));
        assertEquals("FAILED", TailerMapping.status("STOPPED"));
        assertEquals(List.of("FAILED", "STOPPED"), TailerMapping.nativeStatuses("FAILED"));
        assertEquals(List.of("QUEUED"), TailerMapping.nativeStatuses("WAITING"));
        ApiException e = assertThrows(ApiException.class, () -> TailerMapping.nativeStatuses("success"));
        assertEquals("INVALID_STATUS", e.code());
        assertEquals(400, e.status().getStatusCode());
    }

    @Test
    void durationsArePythonTimedeltasWithMicroseconds() {
        assertEquals("0:01:24.002519", TailerMapping.duration(Duration.ofSeconds(84).plusNanos(2_519_000)));
        assertEquals("0:00:04.000000", TailerMapping.duration(Duration.ofSeconds(4)));
        assertEquals("26:00:00.000001", TailerMapping.duration(Duration.ofHours(26).plusNanos(1_999)));
        assertEquals("0:00:00.000000", TailerMapping.duration(Duration.ofSeconds(-3)));
        assertEquals("0:00:00.000000", TailerMapping.duration(null));
    }

    @Test
    void datesArePythonIsoformatInUtc() {
        assertEquals("2020-12-30T11:28:43.861340+00:00", TailerMapping.date(Instant.parse("2020-12-30T11:28:43.861340Z")));
        assertEquals("2020-12-09T17:17:23+00:00", TailerMapping.date(Instant.parse("2020-12-09T17:17:23Z")));
        assertNull(TailerMapping.date(null));
    }

    @Test
    void runIdsCarryTheLaunchTimeOfTheUuidv7AndParseBack() {
        // A UUIDv7 whose 48-bit time is 2020-12-30T11:39:40.123Z.
        long millis = Instant.parse("2020-12-30T11:39:40.123Z").toEpochMilli();
        UUID id = new UUID((millis << 16) | 0x7000L | 0x123L, 0x8000_0000_0000_0001L);
        String tailer = TailerMapping.runId(id);
        assertEquals("20201230-113940-" + id, tailer);
        assertEquals(id, TailerMapping.parseRunId(tailer));
        assertEquals(id, TailerMapping.parseRunId(id.toString()), "the bare native id is accepted too");
        assertNull(TailerMapping.parseRunId("20201230-112837-" + id), "another time is not this run's id");
        assertNull(TailerMapping.parseRunId("20201230-112837-0a795c70"));
        assertNull(TailerMapping.parseRunId("../../etc"));
    }

    @Test
    void tableToTableIdsCarryTheEnvironmentSuffix() {
        assertEquals("000099_iowa_liquor_prepare_pda_DEV", TailerMapping.requestConfigurationId(T2T));
        assertEquals("000099_iowa_liquor_prepare_pda",
                TailerMapping.storedConfigurationId("table-to-table", "DEV", "000099_iowa_liquor_prepare_pda_DEV"));
        ApiException e = assertThrows(ApiException.class,
                () -> TailerMapping.storedConfigurationId("table-to-table", "DEV", "000099_iowa_liquor_prepare_pda"));
        assertEquals("ENVIRONMENT_SUFFIX_MISSING", e.code());
        assertTrue(e.getMessage().contains("000099_iowa_liquor_prepare_pda_DEV"), e.getMessage());
        assertThrows(ApiException.class, () -> TailerMapping.storedConfigurationId("table-to-table", "DEV", "_DEV"));
        assertEquals("000099-iowa-liquor-load-pda",
                TailerMapping.storedConfigurationId("workflow", "DEV", "000099-iowa-liquor-load-pda"));
        assertEquals(S2S.configurationId(), TailerMapping.requestConfigurationId(S2S));
    }

    @Test
    void jobIdsAsTailerShowsThem() {
        assertEquals("gbq-to-gbq|000099_iowa_liquor_prepare_pda_DEV", TailerMapping.jobId(T2T, null));
        assertEquals("storage-to-storage|000099|000099-jarvis-demo-iowa-liquor-storage-to-storage|DEV|stores-{{FD_DATE}}-{{FD_TIME}}.csv",
                TailerMapping.jobId(S2S, TailerService.fileTemplate("COPY 'in/stores-{{FD_DATE}}-{{FD_TIME}}.csv' TO 'archive/'")));
        assertEquals("workflow|000099-iowa-liquor-load-pda",
                TailerMapping.jobId(new TailerIdentity("000099", "DEV", "workflow", "000099-iowa-liquor-load-pda"), null));
        assertNull(TailerService.fileTemplate("select 1"));
    }

    @Test
    void identitiesMustFitTheJobType() {
        T2T.check(JobType.TABLE_TO_TABLE);
        assertEquals("INVALID_TAILER_IDENTITY", assertThrows(ApiException.class, () -> T2T.check(JobType.WORKFLOW)).code());
        assertEquals("INVALID_ENUM_VALUE", assertThrows(ApiException.class,
                () -> new TailerIdentity("1", "DEV", "gbq-to-gbq", "x").check(JobType.TABLE_TO_TABLE)).code());
        assertEquals("INVALID_TAILER_IDENTITY", assertThrows(ApiException.class,
                () -> new TailerIdentity("1", "DEV", "table-to-table", "x_DEV").check(JobType.TABLE_TO_TABLE)).code());
    }

    @Test
    void activatedAndArchivedMapOntoTheJobStatus() {
        assertEquals(JobStatus.ACTIVE, TailerService.jobStatus(true, false));
        assertEquals(JobStatus.DISABLED, TailerService.jobStatus(false, false));
        assertEquals(JobStatus.ARCHIVED, TailerService.jobStatus(false, true));
        assertEquals("INVALID_CONFIGURATION_STATUS",
                assertThrows(ApiException.class, () -> TailerService.jobStatus(true, true)).code());
    }

    @Test
    void aRunHasExactlyTailersFields() throws Exception {
        Instant queued = Instant.parse("2020-12-30T11:28:37.100Z");
        Instant started = Instant.parse("2020-12-30T11:28:43.861340Z");
        Instant finished = Instant.parse("2020-12-30T11:30:07.863859Z");
        UUID runId = UUID.fromString("0176b3a1-6a2c-7000-8000-000000000001");
        RunStatusView run = new RunStatusView(runId.toString(), "ws", "job", "name", "SUCCESS", 1, "manual", queued, queued,
                started, finished, 84002L, null, null, "w1", null);
        var target = new TailerService.Target(UUID.randomUUID(), "ws", T2T, null);
        var json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(
                new TailerResults(List.of(TailerService.result(target, run, Instant.now())))));
        var row = json.get("results").get(0);
        List<String> fields = new java.util.ArrayList<>();
        row.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("account", "configuration_id", "configuration_type", "duration", "environment", "job_id",
                "last_update_date", "run_id", "start_execution_date", "status"), fields);
        assertEquals("0:01:24.002519", row.get("duration").asText());
        assertEquals("2020-12-30T11:28:43.861340+00:00", row.get("start_execution_date").asText());
        assertEquals("2020-12-30T11:30:07.863859+00:00", row.get("last_update_date").asText());
        assertEquals("gbq-to-gbq|000099_iowa_liquor_prepare_pda_DEV", row.get("job_id").asText());
        assertEquals("000099_iowa_liquor_prepare_pda_DEV", row.get("configuration_id").asText());
        assertEquals("SUCCESS", row.get("status").asText());
        assertEquals(TailerMapping.runId(runId), row.get("run_id").asText());

        RunStatusView waiting = new RunStatusView(runId.toString(), "ws", "job", "name", "QUEUED", 1, "manual", queued, queued,
                null, null, null, null, null, null, null);
        var w = TailerService.result(target, waiting, Instant.now());
        assertEquals("WAITING", w.status());
        assertEquals("0:00:00.000000", w.duration());
        assertNull(w.startExecutionDate());
        assertEquals("2020-12-30T11:28:37.100000+00:00", w.lastUpdateDate());
    }

    @Test
    void theSeedsBodiesParse() {
        TailerRequest launch = TailerRequest.parse("""
                { "action": "launch_job",
                "account": "000099",
                "environment": "DEV",
                "configuration_type": "table-to-table",
                "configuration_id": "000099_iowa_liquor_prepare_pda_DEV"}""", Set.of("launch_job"));
        assertEquals("000099_iowa_liquor_prepare_pda_DEV", launch.configurationId());
        TailerRequest last = TailerRequest.parse("""
                { "action": "get_last_status",
                "account": "000099",
                "environment": "DEV",
                "configuration_type": "storage-to-storage",
                "configuration_id": "000099-jarvis-demo-iowa-liquor-storage-to-storage",
                "execution_date": "2020-12-09",
                "status": "SUCCESS",
                "limit": 2}""", Set.of("check_run_status", "get_last_status"));
        assertEquals(2, last.limitOrDefault());
        assertEquals("SUCCESS", last.status());
        TailerRequest set = TailerRequest.parse("""
                { "action": "set_configuration_status",
                "activated" : false,
                "archived" : true,
                "account": "000099",
                "environment": "DEV",
                "configuration_type": "table-to-table",
                "configuration_id": "000099_Load_PDA_f_traffic_ma_DEV"}""", Set.of("set_configuration_status"));
        assertEquals(Boolean.TRUE, set.archived());
    }

    @Test
    void badBodiesAreRefusedWithACode() {
        Set<String> status = Set.of("check_run_status", "get_last_status");
        String identity = "\"account\": \"1\", \"environment\": \"DEV\", \"configuration_type\": \"workflow\", \"configuration_id\": \"w\"";
        assertEquals("MALFORMED_JSON", code("{\"action\": ", status));
        assertEquals("MALFORMED_JSON", code("{} {}", status));
        assertEquals("MISSING_BODY", code("", status));
        assertEquals("INVALID_FIELD_TYPE", code("[1]", status));
        assertEquals("MISSING_FIELD", code("{" + identity + "}", status));
        assertEquals("UNKNOWN_ACTION", code("{\"action\": \"launch_job\", " + identity + "}", status));
        assertEquals("UNKNOWN_ACTION", code("{\"action\": \"drop_everything\", " + identity + "}", status));
        assertEquals("MISSING_FIELD", code("{\"action\": \"check_run_status\", " + identity + "}", status));
        assertEquals("UNKNOWN_FIELD", code("{\"action\": \"get_last_status\", \"run_id\": \"x\", " + identity + "}", status));
        assertEquals("INVALID_FIELD_TYPE", code("{\"action\": \"get_last_status\", \"account\": 99, \"environment\": \"DEV\", "
                + "\"configuration_type\": \"workflow\", \"configuration_id\": \"w\"}", status));
        assertEquals("INVALID_LIMIT", code("{\"action\": \"get_last_status\", \"limit\": 0, " + identity + "}", status));
        assertEquals("INVALID_LIMIT", code("{\"action\": \"get_last_status\", \"limit\": 2.5, " + identity + "}", status));
        assertEquals("INVALID_STATUS", code("{\"action\": \"get_last_status\", \"status\": \"DONE\", " + identity + "}", status));
        assertEquals("INVALID_EXECUTION_DATE",
                code("{\"action\": \"get_last_status\", \"execution_date\": \"09/12/2020\", " + identity + "}", status));
        assertEquals("INVALID_FIELD_TYPE", code("{\"action\": \"set_configuration_status\", \"activated\": \"no\", "
                + "\"archived\": false, " + identity + "}", Set.of("set_configuration_status")));
        assertEquals("BODY_TOO_LARGE", code("{\"action\": \"" + "x".repeat(TailerRequest.MAX_BODY_BYTES) + "\"}", status));
    }

    @Test
    void errorsTakeTailersKoFormWithTheirCode() throws Exception {
        TailerReply ko = TailerReply.ko(404, new ErrorBody("CONFIGURATION_NOT_FOUND", "No such configuration", "Check it", "r-1"));
        var json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(ko));
        assertEquals(404, json.get("code").asInt());
        assertEquals("No such configuration", json.get("message").asText());
        assertEquals("CONFIGURATION_NOT_FOUND", json.get("data").get("error_code").asText());
        assertEquals("r-1", json.get("data").get("request_id").asText());
        assertEquals(Map.of(), TailerReply.ok().data());
        assertEquals("{\"code\":200,\"data\":{},\"message\":\"ok\"}", new ObjectMapper().writeValueAsString(TailerReply.ok()));
        assertTrue(TailerErrors.isTailer("/v1/dag/status"));
        assertTrue(TailerErrors.isTailer("/v1/configuration/status/"));
        assertTrue(!TailerErrors.isTailer("/v1/p1/instances/i1/lf-jobs"));
    }

    private static String code(String body, Set<String> actions) {
        return assertThrows(ApiException.class, () -> TailerRequest.parse(body, actions)).code();
    }
}
