package io.jobplane.stack.cli.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class RunWatchTest {

    @Test
    void aRunningTaskShowsRowsBytesAndTimeSinceItStarted() throws Exception {
        JsonNode task = ApiClient.JSON.readTree("""
                {"index": 0, "status": "RUNNING", "rows_processed": 120000, "bytes_processed": 3565158,
                 "started_at": "2026-11-23T06:00:00Z", "duration_ms": null, "rows_affected": null}
                """);
        assertEquals("  task 0   RUNNING    rows 120,000  bytes 3.4 MiB  elapsed 12.5 s",
                RunWatch.progressLine(task, Instant.parse("2026-11-23T06:00:12.500Z")));
    }

    @Test
    void anEndedTaskShowsItsDurationRowsAffectedAndError() throws Exception {
        JsonNode task = ApiClient.JSON.readTree("""
                {"index": 1, "status": "FAILED", "rows_affected": 0, "duration_ms": 41,
                 "started_at": "2026-11-23T06:00:00Z", "error_message": "division by zero\\nmore"}
                """);
        assertEquals("  task 1   FAILED     rows 0  elapsed 41 ms  error: division by zero…",
                RunWatch.progressLine(task, Instant.parse("2026-11-23T07:00:00Z")));
    }

    @Test
    void theSummaryAndLogLinesSayWhatHappened() throws Exception {
        assertEquals("run r1 FAILED in 4.2 s (TASK_FAILED): task 0 failed", RunWatch.summary(ApiClient.JSON.readTree("""
                {"run_id": "r1", "status": "FAILED", "duration_ms": 4200, "error_code": "TASK_FAILED",
                 "error_message": "task 0 failed"}
                """)));
        assertEquals("06:00:01.123 ERROR [task 2] boom", RunWatch.logLine(ApiClient.JSON.readTree("""
                {"at": "2026-11-23T06:00:01.123456Z", "level": "ERROR", "task_index": 2, "message": "boom", "truncated": false}
                """)));
        assertEquals(1, ExitCodes.ofRun("FAILED"));
        assertEquals(2, ExitCodes.ofRun("STOPPED"));
        assertEquals(0, ExitCodes.ofRun("SUCCESS"));
    }
}
