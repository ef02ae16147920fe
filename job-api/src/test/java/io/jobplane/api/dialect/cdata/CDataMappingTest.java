package io.jobplane.api.dialect.cdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.error.ErrorBody;
import io.jobplane.api.job.JobRequest;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.JobUpdate;
import io.jobplane.api.job.JobView;
import io.jobplane.api.job.settings.DeletionBehavior;
import io.jobplane.api.job.settings.Execution;
import io.jobplane.api.job.settings.IntervalUnit;
import io.jobplane.api.job.settings.Notifications;
import io.jobplane.api.job.settings.Retry;
import io.jobplane.api.job.settings.Schedule;
import io.jobplane.api.job.settings.Verbosity;
import io.jobplane.api.run.RunStatusView;

class CDataMappingTest {

    private static final UUID SRC = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    private static final UUID DST = UUID.fromString("550e8400-e29b-41d4-a716-446655440220");

    @Test
    void cdatasFiveJobTypesMapBothWaysAndOthersAreRefused() {
        assertEquals(JobType.STANDARD, CDataMapping.type("Standard"));
        assertEquals(JobType.SYNC_ALL, CDataMapping.type("SyncAll"));
        assertEquals(JobType.LOAD_FOLDER, CDataMapping.type("LoadFolder"));
        assertEquals(JobType.CHANGE_DATA_CAPTURE, CDataMapping.type("ChangeDataCapture"));
        assertEquals(JobType.REVERSE_ETL, CDataMapping.type("ReverseETL"));
        assertEquals(JobType.REVERSE_ETL, CDataMapping.type("reverse_etl"), "case and separators ignored");
        for (var e : CDataMapping.TYPES.entrySet()) {
            assertEquals(e.getKey(), CDataMapping.typeName(e.getValue()));
        }
        assertEquals("TableToTable", CDataMapping.typeName(JobType.TABLE_TO_TABLE));
        ApiException e = assertThrows(ApiException.class, () -> CDataMapping.type("TableToTable"));
        assertEquals("INVALID_ENUM_VALUE", e.code());
        assertTrue(e.solution().contains("ReverseETL"));
    }

    @Test
    void runAndTaskStatusesInCDatasWords() {
        assertEquals("Queued", CDataMapping.status("QUEUED"));
        assertEquals("Running", CDataMapping.status("RUNNING"));
        assertEquals("Cancelling", CDataMapping.status("CANCELLING"));
        assertEquals("Success", CDataMapping.status("SUCCESS"));
        assertEquals("Failed", CDataMapping.status("FAILED"));
        assertEquals("Cancelled", CDataMapping.status("STOPPED"));
        assertEquals("Never Run", CDataMapping.status("NEVER_RUN"));
        assertEquals("Pending", CDataMapping.status("PENDING"));
        assertEquals("Skipped", CDataMapping.status("SKIPPED"));
        assertNull(CDataMapping.status(null));
    }

    @Test
    void errorsHaveCDatasShape() {
        Map<String, Object> body = CDataMapping.error(new ErrorBody("JOB_RUNNING", "Job 'x' has a run in progress", "Wait", "r-1"));
        assertEquals(List.of("error"), List.copyOf(body.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) body.get("error");
        assertEquals(List.of("code", "message", "solution", "request_id"), List.copyOf(inner.keySet()));
        assertEquals("JOB_RUNNING", inner.get("code"));
        assertEquals("Job 'x' has a run in progress", inner.get("message"));
        assertEquals("r-1", inner.get("request_id"));
    }

    @Test
    void parameterNamesAreReadInEverySpellingCDataUses() {
        for (String[] same : new String[][] { { "Source-Connection", "source_connection", "SourceConnection" },
                { "Pipeline Id", "pipeline_id", "PipelineId" }, { "EmailErrorOnly", "Email_Error_Only", "email_error_only" },
                { "Use_GMT_DateTime", "use_gmt_datetime" }, { "Is_Active", "is_active" }, { "From_Index", "from_index" } }) {
            for (String name : same) {
                assertEquals(CDataBody.key(same[0]), CDataBody.key(name), name);
            }
        }
    }

    @Test
    void theSeedsCreateExampleAsPrintedIsAReverseEtlJobWithItsConnections() {
        CDataBody body = CDataBody.parse("""
                {
                "name": "ReverseETLJob",
                "type": "ReverseETL",
                "source_connection_id": "550e8400-e29b-41d4-a716-446655440000",
                "destination_connection_id": "550e8400-e29b-41d4-a716-446655440220"
                }""", CDataMapping.CREATE, true);
        assertEquals(SRC, CDataMapping.connection(body, "source").id());
        assertEquals(DST, CDataMapping.connection(body, "destination").id());
        JobRequest r = CDataMapping.jobRequest(body, SRC, DST);
        assertEquals("ReverseETLJob", r.name());
        assertEquals(JobType.REVERSE_ETL, r.type());
        assertEquals(SRC, r.sourceConnectionId());
        assertEquals(DST, r.destinationConnectionId());
        assertNull(r.schedule());
        assertNull(r.replication());
    }

    @Test
    void documentedNamesFillEveryNativeSettingGroup() {
        CDataBody body = CDataBody.parse("""
                {"Name": "nightly", "Type": "Standard", "Source-Connection": {"Name": "crm"},
                 "Destination-Connection": "550e8400-e29b-41d4-a716-446655440220",
                 "Schedule": {"Enabled": "True"}, "Cron": "0 2 * * *",
                 "Send_Email": true, "Email_To": "a@example.com, b@example.com", "EmailErrorOnly": true,
                 "Enable_Parallel_Processing": true, "Worker_Pool": "4", "Verbosity": 3,
                 "Destination_Schema": "dwh", "Table_Name_Prefix": "crm_", "Use_GMT_DateTime": true, "History_Mode": false,
                 "Truncate_Table_Data": false, "Drop_Table": false, "Auto_Truncate_Strings": true, "Continue_On_Error": true,
                 "Deletion_Behavior": "SoftDelete", "Alter_Schema": true, "Replicate_Interval": 1,
                 "Replicate_Interval_Unit": "days", "Replicate_Start_Date": "2024-01-31", "Batch_Size": 500,
                 "Pre_Job_Event": "select 1", "Post_Job_Event": "select 2",
                 "Labels": ["nightly", "crm"], "Pipeline Id": "p-1",
                 "Queries": ["REPLICATE [Accounts]", "REPLICATE [Contacts]"]}""", CDataMapping.CREATE, true);
        CDataMapping.ConnectionRef source = CDataMapping.connection(body, "source");
        assertNull(source.id());
        assertEquals("crm", source.name());
        assertEquals(DST, CDataMapping.connection(body, "destination").id());
        JobRequest r = CDataMapping.jobRequest(body, SRC, DST);
        assertEquals(JobType.STANDARD, r.type());
        assertEquals(new Schedule(true, "0 2 * * *", null, null), r.schedule());
        assertEquals(List.of("a@example.com", "b@example.com"), r.notifications().emailTo());
        assertTrue(r.notifications().sendEmail());
        assertTrue(r.notifications().emailErrorOnly());
        assertEquals(4, r.execution().workerPool());
        assertEquals(Verbosity.TRANSFER, r.execution().verbosity());
        assertEquals("select 1", r.execution().preJobEvent());
        assertEquals("dwh", r.replication().destinationSchema());
        assertEquals(DeletionBehavior.SOFT_DELETE, r.replication().deletionBehavior());
        assertEquals(IntervalUnit.DAYS, r.replication().replicateIntervalUnit());
        assertEquals(LocalDate.of(2024, 1, 31), r.replication().replicateStartDate());
        assertEquals(500, r.replication().batchSize());
        assertTrue(r.continueOnError());
        assertEquals(List.of("nightly", "crm"), r.labels());
        assertEquals("p-1", r.pipelineId());
        assertEquals(List.of("REPLICATE [Accounts]", "REPLICATE [Contacts]"), r.queries());
    }

    @Test
    void theSeedsUpdateExampleInLowerCaseChangesNameAndScheduleOnly() {
        CDataBody body = CDataBody.parse("{\"name\": \"reverseETLJob\", \"schedule\": {\"enabled\": false, \"cron\": \"\"}}",
                CDataMapping.UPDATE, true);
        JobView current = view();
        JobUpdate u = CDataMapping.jobUpdate(body, current, null, null);
        assertEquals("reverseETLJob", u.name());
        assertEquals(new Schedule(false, "", "Europe/Berlin", Schedule.MisfirePolicy.RUN_ONCE), u.schedule(),
                "the job's other schedule settings are kept");
        assertNull(u.notifications());
        assertNull(u.execution());
        assertNull(u.replication());
        assertNull(u.sourceConnectionId());
        // A single execution parameter keeps the group's others.
        JobUpdate v = CDataMapping.jobUpdate(CDataBody.parse("{\"Verbosity\": 5}", CDataMapping.UPDATE, true), current, null, null);
        assertEquals(Verbosity.VERBOSE, v.execution().verbosity());
        assertEquals(7, v.execution().workerPool());
        assertEquals(new Retry(3, 20), v.execution().retry());
        assertNull(v.name());
    }

    @Test
    void theSeedsTaskAndExecuteExamplesAsPrinted() {
        var add = CDataMapping.taskAdd(CDataBody.parse("""
                {
                "query": "REPLICATE [Accounts] SELECT * FROM [Accounts]",
                "is_active": true
                }""", CDataMapping.TASK_ADD, true));
        assertEquals("REPLICATE [Accounts] SELECT * FROM [Accounts]", add.query());
        assertTrue(add.isActive());
        assertNull(add.index());
        var update = CDataMapping.taskUpdate(CDataBody.parse("""
                {"query": "REPLICATE [Accounts] SELECT * FROM [Accounts]", "is_active": true, "index": 1}""",
                CDataMapping.TASK_UPDATE, true));
        assertEquals(1, update.index());
        var move = CDataMapping.taskMove(CDataBody.parse("{\"from_index\": 0, \"to_index\": 1}", CDataMapping.TASK_MOVE, true));
        assertEquals(0, move.fromIndex());
        assertEquals(1, move.toIndex());
        // Execute's example has an unquoted field name; it is read, and its ids are not task ids of jobplane.
        CDataBody execute = CDataBody.parse("""
                {
                tasks:[
                "870237973789151200",
                "870875808946851841",
                "870875808946851842"
                ]
                }""", CDataMapping.EXECUTE, false);
        assertEquals("UNKNOWN_TASK", assertThrows(ApiException.class, () -> CDataMapping.tasks(execute)).code());
        UUID t = UUID.randomUUID();
        assertEquals(List.of(t), CDataMapping.tasks(CDataBody.parse("{\"Tasks\": [\"" + t + "\"]}", CDataMapping.EXECUTE, false)));
        assertNull(CDataMapping.tasks(CDataBody.parse("", CDataMapping.EXECUTE, false)), "no body: the active tasks");
    }

    @Test
    void badBodiesAreRefusedWithAClearCode() {
        assertEquals("MALFORMED_JSON", code("{\"name\": \"reverseETLJob\", \"schedule\": {\"enabled\": false, \"cron\": \"\"}",
                CDataMapping.UPDATE));
        assertEquals("MISSING_BODY", code("  ", CDataMapping.UPDATE));
        assertEquals("INVALID_FIELD_TYPE", code("[1]", CDataMapping.UPDATE));
        assertEquals("UNKNOWN_FIELD", code("{\"Nmae\": \"x\"}", CDataMapping.UPDATE));
        assertEquals("UNKNOWN_FIELD", code("{\"Type\": \"Standard\"}", CDataMapping.UPDATE), "the type cannot change");
        assertEquals("DUPLICATE_FIELD", code("{\"Send_Email\": true, \"send_email\": false}", CDataMapping.UPDATE));
        assertEquals("BODY_TOO_LARGE", code("{\"Name\": \"" + "x".repeat(CDataBody.MAX_BODY_BYTES) + "\"}", CDataMapping.UPDATE));
        ApiException e = assertThrows(ApiException.class, () -> CDataMapping.jobUpdate(
                CDataBody.parse("{\"Send_Email\": \"yes\"}", CDataMapping.UPDATE, true), view(), null, null));
        assertEquals("INVALID_FIELD_TYPE", e.code());
        assertTrue(e.getMessage().contains("Send_Email"), e.getMessage());
        assertEquals("INVALID_ENUM_VALUE", assertThrows(ApiException.class, () -> CDataMapping.jobUpdate(
                CDataBody.parse("{\"Verbosity\": 4}", CDataMapping.UPDATE, true), view(), null, null)).code());
        assertEquals("INVALID_ENUM_VALUE", assertThrows(ApiException.class, () -> CDataMapping.jobUpdate(
                CDataBody.parse("{\"Deletion_Behavior\": \"Shred\"}", CDataMapping.UPDATE, true), view(), null, null)).code());
        assertEquals("MISSING_FIELD", assertThrows(ApiException.class, () -> CDataMapping.jobRequest(
                CDataBody.parse("{\"Name\": \"x\"}", CDataMapping.CREATE, true), null, null)).code());
        assertEquals("MISSING_FIELD", assertThrows(ApiException.class, () -> CDataMapping.taskMove(
                CDataBody.parse("{\"from_index\": 0}", CDataMapping.TASK_MOVE, true))).code());
        assertEquals("UNKNOWN_CONNECTION", assertThrows(ApiException.class, () -> CDataMapping.connection(
                CDataBody.parse("{\"source_connection_id\": \"crm\"}", CDataMapping.CREATE, true), "source")).code());
    }

    @Test
    void aJobIsAnsweredInCDatasNamesWithoutSecrets() {
        JobView j = view();
        Map<String, Object> out = CDataMapping.job(j, id -> id.equals(SRC) ? "crm" : "warehouse");
        assertEquals(j.jobId().toString(), out.get("Id"));
        assertEquals("nightly", out.get("Name"));
        assertEquals("ReverseETL", out.get("Type"));
        assertEquals(Map.of("Id", SRC.toString(), "Name", "crm"), out.get("Source-Connection"));
        assertEquals(Map.of("Id", DST.toString(), "Name", "warehouse"), out.get("Destination-Connection"));
        assertEquals(Map.of("Enabled", true, "Cron", "0 2 * * *"), out.get("Schedule"));
        assertEquals("a@example.com", out.get("Email_To"));
        assertEquals(2, out.get("Verbosity"));
        assertEquals(List.of("REPLICATE [Accounts]"), out.get("Queries"));
        assertEquals("p-1", out.get("Pipeline Id"));
        assertFalse(out.containsKey("secrets_set"));
        assertFalse(out.containsKey("Replicate_Interval"), "a job without a replication group shows no replication parameters");
    }

    @Test
    void aRunIsAHistoryEntryInCDatasNames() {
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        RunStatusView run = new RunStatusView("r1", "ws", "j1", "nightly", "STOPPED", 1, "manual", t0, t0, t0.plusSeconds(1),
                t0.plusSeconds(3), 2000L, "CANCELLED", "cancelled", "w1",
                List.of(new RunStatusView.TaskRunView("t0", 0, "SUCCESS", 3L, null, t0, t0.plusSeconds(1), 1000L, null, null),
                        new RunStatusView.TaskRunView("t1", 1, "STOPPED", 2L, null, t0, null, null, null, null)));
        Map<String, Object> h = CDataMapping.history(run);
        assertEquals("r1", h.get("Id"));
        assertEquals("Cancelled", h.get("Status"));
        assertEquals(5L, h.get("Records_Affected"));
        assertEquals("2026-11-01T00:00:01Z", h.get("Run_Start_Date"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tasks = (List<Map<String, Object>>) h.get("Tasks");
        assertEquals("Success", tasks.get(0).get("Status"));
        assertEquals("Cancelled", tasks.get(1).get("Status"));
        Map<String, Object> status = CDataMapping.jobStatus(new RunStatusView.JobStatusView("j1", "NEVER_RUN", 0, 0, null));
        assertEquals("Never Run", status.get("Status"));
        assertNull(status.get("Last_Run"));
    }

    private static String code(String body, Map<String, String> known) {
        return assertThrows(ApiException.class, () -> CDataBody.parse(body, known, true)).code();
    }

    private static JobView view() {
        return new JobView(UUID.randomUUID(), "ws", "nightly", JobType.REVERSE_ETL, null, List.of(), JobStatus.ACTIVE, SRC, DST,
                "p-1", false, new Schedule(true, "0 2 * * *", "Europe/Berlin", Schedule.MisfirePolicy.RUN_ONCE), List.of(), List.of(),
                new Notifications(false, List.of("a@example.com"), null, false),
                new Execution(false, 7, Verbosity.INFO, null, null, null, null, null, new Retry(3, 20)), null, null, null, List.of(),
                List.of(new JobView.TaskView(UUID.randomUUID(), 0, "REPLICATE [Accounts]", true)), Instant.EPOCH, Instant.EPOCH, 3);
    }
}
