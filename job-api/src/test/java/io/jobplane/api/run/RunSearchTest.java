package io.jobplane.api.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>(List.of("ws"));
        s.where(sql, params);
        assertEquals("", sql.toString());
        assertEquals(1, params.size());
    }

    @Test
    void valuesAreNormalisedAndEachFilterBecomesOneCondition() {
        UUID job = UUID.randomUUID();
        RunSearch s = RunSearch.parse(List.of(job.toString(), job.toString()), List.of("failed", "Queued"),
                List.of("SCHEDULE"), List.of("finance"), List.of("team:data", "url:https://x/y?a=b"), List.of("alice"),
                "2026-01-01T00:00:00+01:00", null, null, "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z", null, "500", null);
        assertEquals(List.of(job), s.jobIds());
        assertEquals(List.of("FAILED", "QUEUED"), s.statuses());
        assertEquals(List.of("FAILED", "QUEUED", "DISPATCHED"), s.states());
        assertEquals(List.of("schedule"), s.triggers());
        assertEquals(List.of("team=data", "url=https://x/y?a=b"), s.tags());
        assertEquals(Instant.parse("2025-12-31T23:00:00Z"), s.queued().after());
        assertEquals(500, s.limit());
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>(List.of("ws"));
        s.where(sql, params);
        String where = sql.toString();
        assertEquals(" and r.job_id = $2 and r.state in ('FAILED', 'QUEUED', 'DISPATCHED') and r.trigger = any($3)"
                + " and (select lj.labels from api.job lj where lj.id = r.job_id) @> $4::varchar(63)[]"
                + " and r.tags <> '{}' and r.tags @> $5::text[] and r.requested_by = any($6) and r.requested_at >= $7"
                + " and r.started_at < $8 and r.finished_at >= $9", where);
        assertEquals(9, params.size());
    }

    @Test
    void aCursorContinuesAfterTheRunItNames() {
        String id = UUID.randomUUID().toString();
        String cursor = RunSearch.cursor(Instant.parse("2026-03-01T10:00:00.123456Z"), id);
        RunSearch s = parse(null, null, null, null, null, null, null, "7", cursor);
        assertEquals(List.of("2026-03-01T10:00:00.123456Z", id), s.after());
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>(List.of("ws"));
        s.where(sql, params);
        assertEquals(" and (r.requested_at, r.id) < ($2, $3)", sql.toString());
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
    void tagsAreStoredAsSortedKeyValuePairsAndReadBack() {
        String[] stored = RunTags.stored(java.util.Map.of("b", "2=two", "a", ""));
        assertEquals(List.of("a=", "b=2=two"), List.of(stored));
        assertEquals(java.util.Map.of("a", "", "b", "2=two"), RunTags.of(stored));
        assertEquals(0, RunTags.stored(null).length);
        assertEquals(java.util.Map.of(), RunTags.of(null));
    }
}
