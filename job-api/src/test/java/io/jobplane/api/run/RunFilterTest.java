package io.jobplane.api.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RunFilterTest {

    private static final String CURSOR = UUID.randomUUID().toString();

    @Test
    void withoutARangeRunsComeByRunIdAndTheCursorIsARunId() {
        RunFilter filter = new RunFilter(List.of("failed"), null, null, 50, CURSOR);
        List<Object> params = new ArrayList<>(List.of("ws", "job"));
        StringBuilder sql = new StringBuilder();

        filter.where(sql, params);

        assertFalse(filter.byExecutionDate());
        assertEquals(" and rr.status = $3 and rr.run_id < $4", sql.toString());
        assertEquals("FAILED", params.get(2));
        assertEquals(CURSOR, params.get(3));
        assertEquals(" order by rr.run_id desc", filter.orderBy());
    }

    @Test
    void severalStatusesAreOneArrayParameter() {
        List<Object> params = new ArrayList<>(List.of("ws", "job"));
        StringBuilder sql = new StringBuilder();
        new RunFilter(List.of("FAILED", "STOPPED"), null, null, 50, null).where(sql, params);
        assertEquals(" and rr.status = any($3)", sql.toString());
        assertEquals(List.of("FAILED", "STOPPED"), List.of((String[]) params.get(2)));
    }

    @Test
    void aRangeOfExecutionDatesOrdersByExecutionDateAndResumesAfterTheCursorRunsDate() {
        RunFilter from = new RunFilter(List.of(), Instant.parse("2026-10-01T00:00:00Z"), null, 50, CURSOR);
        List<Object> params = new ArrayList<>(List.of("ws", "job"));
        StringBuilder sql = new StringBuilder();

        from.where(sql, params);

        assertTrue(from.byExecutionDate());
        assertEquals(" and rr.execution_date >= $3 and (rr.execution_date, rr.run_id) < (select c.execution_date, c.run_id"
                + " from runs.run c where c.run_id = $4)", sql.toString());
        assertEquals(" order by rr.execution_date desc, rr.run_id desc", from.orderBy());
        assertTrue(new RunFilter(List.of(), null, Instant.parse("2026-10-01T00:00:00Z"), 50, null).byExecutionDate(),
                "an upper bound alone is a range too");
    }
}
