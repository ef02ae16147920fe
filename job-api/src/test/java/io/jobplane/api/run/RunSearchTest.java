package io.jobplane.api.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.json.ListingCursor;

class RunSearchTest {

    private static RunSearch parse(List<String> jobs, List<String> statuses, List<String> triggers, List<String> labels,
            List<String> tags, String queuedAfter, String queuedBefore, String limit, String cursor) {
        return RunSearch.parse(jobs, statuses, triggers, labels, tags, null, queuedAfter, queuedBefore, null, null, null,
                null, limit, cursor);
    }

    private static String refusal(Runnable parse) {
        return assertThrows(ApiException.class, parse::run).code();
    }

    @Test
    void nothingGivenSearchesEverythingInPagesOfFifty() {
        RunSearch s = parse(null, null, null, null, null, null, null, null, null);
        assertEquals(50, s.limit());
        assertNull(s.after());
        RunSearch.Statement st = s.statement("ws", "rr.run_id");
        assertEquals("select rr.run_id from runs.run rr where rr.workspace = $1 and rr.queued_at is not null"
                + " order by rr.queued_at desc, rr.run_id desc limit $2", st.sql());
        assertEquals(List.of("ws", 51), st.params());
    }

    @Test
    void valuesAreNormalisedAndEachFilterBecomesOneCondition() {
        UUID job = UUID.randomUUID();
        RunSearch s = RunSearch.parse(List.of(job.toString(), job.toString()), List.of("failed", "Queued"),
                List.of("SCHEDULE"), List.of("finance"), List.of("team:data", "url:https://x/y?a=b"), List.of("alice"),
                "2026-01-01T00:00:00+01:00", null, null, "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z", null, "500", null);
        assertEquals(List.of(job), s.jobIds());
        assertEquals(List.of("FAILED", "QUEUED"), s.statuses());
        assertEquals(List.of("schedule"), s.triggers());
        assertEquals(Map.of("team", "data", "url", "https://x/y?a=b"), s.tags());
        assertEquals(Instant.parse("2025-12-31T23:00:00Z"), s.queued().after());
        assertEquals(500, s.limit());
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>(List.of("ws"));
        s.where(sql, params);
        assertEquals(" and rr.job_id = $2 and rr.status in ('FAILED', 'QUEUED') and rr.trigger = any($3)"
                + " and rr.job_labels <> '[]' and rr.job_labels @> $4::text::jsonb and rr.tags <> '{}' and rr.tags @> $5::text::jsonb"
                + " and rr.requested_by = $6 and rr.queued_at >= $7 and rr.started_at < $8 and rr.finished_at >= $9",
                sql.toString());
        assertEquals("[\"finance\"]", params.get(3));
        assertEquals("{\"team\":\"data\",\"url\":\"https://x/y?a=b\"}", params.get(4));
        assertEquals(9, params.size());
        assertEquals(" and rr.status = 'FAILED'", where(parse(null, List.of("FAILED"), null, null, null, null, null, null, null)));
    }

    @Test
    void severalJobsOrUsersAreOneBranchEachMergedInPageOrder() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        RunSearch.Statement st = parse(List.of(a, b), List.of("FAILED"), null, null, null, null, null, "10", null)
                .statement("ws", "rr.run_id");
        String branch = "(select rr.run_id from runs.run rr where rr.workspace = $1 and rr.queued_at is not null"
                + " and rr.status = 'FAILED' and rr.job_id = $%d order by rr.queued_at desc, rr.run_id desc limit $2)";
        assertEquals("select * from (" + branch.formatted(3) + " union all " + branch.formatted(4) + ") rr"
                + " order by rr.queued_at desc, rr.run_id desc limit $2", st.sql());
        assertEquals(List.of("ws", 11, a, b), st.params());
        RunSearch users = RunSearch.parse(null, null, null, null, null, List.of("alice", "bob"), null, null, null, null,
                null, null, null, null);
        assertEquals(List.of("ws", 51, "alice", "bob"), users.statement("ws", "rr.run_id").params());
        assertTrue(users.statement("ws", "rr.run_id").sql().contains("rr.requested_by = $4"));
    }

    @Test
    void aCursorContinuesAfterTheRunItNames() {
        String id = UUID.randomUUID().toString();
        String cursor = RunSearch.cursor(Instant.parse("2026-03-01T10:00:00.123456Z"), id);
        RunSearch s = parse(null, null, null, null, null, null, null, "7", cursor);
        assertEquals(List.of("2026-03-01T10:00:00.123456Z", id), s.after());
        assertEquals(" and (rr.queued_at, rr.run_id) < ($2, $3)", where(s));
    }

    private static String where(RunSearch s) {
        StringBuilder sql = new StringBuilder();
        s.where(sql, new ArrayList<>(List.of("ws")));
        return sql.toString();
    }

    @Test
    void badInputIsRefusedWithItsCode() {
        assertEquals("INVALID_STATUS", refusal(() -> parse(null, List.of("DONE"), null, null, null, null, null, null, null)));
        assertEquals("INVALID_FILTER", refusal(() -> parse(null, null, List.of("cron"), null, null, null, null, null, null)));
        assertEquals("INVALID_FILTER", refusal(() -> parse(List.of("nope"), null, null, null, null, null, null, null, null)));
        assertEquals("INVALID_FILTER", refusal(() -> parse(null, null, null, List.of("Upper"), null, null, null, null, null)));
        assertEquals("INVALID_FILTER", refusal(() -> parse(null, List.of(" "), null, null, null, null, null, null, null)));
        for (String tag : List.of("novalue", ":v", "bad key:v", "k:" + "v".repeat(257), "k:a\u0000b", "k".repeat(64) + ":v")) {
            assertEquals("INVALID_FILTER", refusal(() -> parse(null, null, null, null, List.of(tag), null, null, null, null)), tag);
        }
        assertEquals("INVALID_FILTER", refusal(() -> parse(Collections.nCopies(101, null), null, null, null, null, null, null,
                null, null)));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(UUID.randomUUID().toString());
        }
        assertEquals("INVALID_FILTER", refusal(() -> parse(many, null, null, null, null, null, null, null, null)));
        assertEquals("INVALID_TIME", refusal(() -> parse(null, null, null, null, null, "2026-01-01", null, null, null)));
        assertEquals("INVALID_TIME", refusal(() -> parse(null, null, null, null, null, "2026-01-01T00:00:00", null, null, null)));
        assertEquals("INVALID_RANGE", refusal(() -> parse(null, null, null, null, null, "2026-01-02T00:00:00Z",
                "2026-01-01T00:00:00Z", null, null)));
        assertEquals("INVALID_LIMIT", refusal(() -> parse(null, null, null, null, null, null, null, "501", null)));
        assertEquals("INVALID_LIMIT", refusal(() -> parse(null, null, null, null, null, null, null, "0", null)));
        assertEquals("INVALID_CURSOR", refusal(() -> parse(null, null, null, null, null, null, null, null, "garbage")));
        assertEquals("INVALID_CURSOR", refusal(() -> parse(null, null, null, null, null, null, null, null,
                ListingCursor.of("grants", List.of("a", "b")))));
        assertEquals("INVALID_CURSOR", refusal(() -> parse(null, null, null, null, null, null, null, null,
                ListingCursor.of("runs", List.of("yesterday", UUID.randomUUID().toString())))));
    }

    @Test
    void aTagKeyTakesOneValue() {
        assertEquals("INVALID_FILTER", refusal(() -> parse(null, null, null, null, List.of("team:a", "team:b"), null, null,
                null, null)));
        assertEquals(Map.of("team", "a"), parse(null, null, null, null, List.of("team:a", "team:a"), null, null, null, null).tags());
        assertEquals(List.of("rerun", "retry"), parse(null, null, List.of("rerun", "retry"), null, null, null, null, null, null)
                .triggers());
    }
}
