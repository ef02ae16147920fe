package io.jobplane.stack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BenchTableTest {

    private static Locale saved;

    @BeforeAll
    static void english() {
        saved = Locale.getDefault();
        Locale.setDefault(Locale.US);
    }

    @AfterAll
    static void restore() {
        Locale.setDefault(saved);
    }

    @Test
    void aThroughputRowShowsTheFractionOfThePeerOrCeiling() {
        String row = BenchTable.row("", 1118, "runs/s", 4472, "db-scheduler tasks/s");
        assertTrue(row.contains("   1,118 runs/s"), row);
        assertTrue(row.contains("     4,472 db-scheduler tasks/s"), row);
        assertTrue(row.endsWith("  25.0%"), row);
        // The columns line up with the ceilings' rows above it.
        assertEquals(BenchTable.row("runs completed end to end", 1, "runs/s", 2, "Kafka records/s").length(), row.length());
    }

    @Test
    void aLatencyRowSaysHowManyTimesThePeersItIs() {
        String row = BenchTable.latencyRow("launch→SUCCESS p99 (API, polled)", 899, 62, "db-scheduler");
        assertTrue(row.contains("     899 ms"), row);
        assertTrue(row.contains("62 ms db-scheduler"), row);
        assertTrue(row.endsWith("14.5×"), row);
        assertEquals("—", BenchTable.times(5, 0));
        assertEquals("0.5×", BenchTable.times(5, 10));
    }

    @Test
    void cpuPerRunListsProcessesInOrderAndSumsOnlyTheProcesses() {
        Map<String, Long> spent = new LinkedHashMap<>();
        spent.put("Kafka", 160L);
        spent.put("job-api" + StackCpu.SESSIONS, 470L);
        spent.put("job-api", 460L);
        spent.put(StackCpu.POSTGRES, 900L);
        // 1,000 runs: 460 ticks = 4.6 s = 4.6 ms per run.
        List<String> lines = BenchTable.cpuPerRun(spent, 1000);
        assertEquals(List.of(
                "  job-api                                   4.600",
                "  job-api DB sessions                       4.700",
                "  Kafka                                     1.600",
                "  PostgreSQL (all)                          9.000",
                "  all processes                            15.200"), lines);
    }
}
