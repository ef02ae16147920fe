package io.jobplane.stack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseProfileTest {

    /** Lines as auto_explain writes them to a PostgreSQL 15 server log (text format). */
    private static final String EARLIER = """
            2026-12-03 19:24:40.001 UTC [22674] LOG:  duration: 99.000 ms  plan:
            \tQuery Text: select before the bench
            \tSeq Scan on run  (cost=0.00..1.00 rows=1 width=8)
            """;
    private static final String LOGGED = """
            2026-12-03 19:24:48.538 UTC [22674] LOG:  duration: 8.066 ms  plan:
            \tQuery Text: select rr.run_id from runs.run rr
            \twhere rr.workspace = $1 order by rr.run_id desc limit $5
            \tLimit  (cost=101.23..101.24 rows=4 width=182)
            2026-12-03 19:24:48.600 UTC [22675] LOG:  checkpoint starting: time
            2026-12-03 19:24:48.711 UTC [22674] LOG:  duration: 12.204 ms  plan:
            \tQuery Text: select rr.run_id from runs.run rr
            \tLimit  (cost=101.23..101.24 rows=4 width=182)
            2026-12-03 19:24:49.048 UTC [22680] LOG:  duration: 185.170 ms  plan:
            \tQuery Text: delete   from runs.run
            \t  where run_id like 'f53f6c82-%'
            """;

    @Test
    void groupsTheSlowStatementsLoggedSinceAnOffsetByTheirTextWithTheirCountAndSlowest(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("postgresql.log");
        Files.writeString(log, EARLIER + LOGGED, StandardCharsets.UTF_8);
        long from = EARLIER.getBytes(StandardCharsets.UTF_8).length;

        List<String> lines = DatabaseProfile.slowPlansSince(log, from);

        assertEquals(List.of(
                "     2 × up to   12.20 ms  select rr.run_id from runs.run rr",
                "     1 × up to  185.17 ms  delete from runs.run"), lines);
        assertEquals(3, DatabaseProfile.slowPlansSince(log, 0).size(), "from the start, the earlier statement counts too");
    }

    @Test
    void aServerWithoutALogOrNothingLoggedGivesNoLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("postgresql.log");
        Files.writeString(log, EARLIER, StandardCharsets.UTF_8);
        assertEquals(List.of(), DatabaseProfile.slowPlansSince(log, DatabaseProfile.logSize(log)));
        assertEquals(List.of(), DatabaseProfile.slowPlansSince(null, 0));
        assertEquals(-1, DatabaseProfile.logSize(dir.resolve("absent.log")));
    }
}
