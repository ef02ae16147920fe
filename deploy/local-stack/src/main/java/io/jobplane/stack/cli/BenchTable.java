package io.jobplane.stack.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The lines of the bench's figure table: a figure beside a ceiling or the peer's figure, and the CPU per run. */
final class BenchTable {

    private BenchTable() {
    }

    /** A throughput beside a ceiling (or the peer's throughput): the fraction of it reached. */
    static String row(String name, double value, String unit, double ceiling, String ceilingName) {
        return String.format("%-40s %,8.0f %-6s %,10.0f %-22s %6.1f%%", name, value, unit, ceiling, ceilingName,
                100 * value / ceiling);
    }

    /** A latency beside the peer's: how many times the peer's it is (below 1× is faster than the peer). */
    static String latencyRow(String name, long ms, long peerMs, String peerName) {
        return String.format("%-40s %,8d ms     %,10d %-22s %6s", name, ms, peerMs, "ms " + peerName, times(ms, peerMs));
    }

    static String times(double value, double peer) {
        return peer <= 0 ? "—" : String.format("%.1f×", value / peer);
    }

    /**
     * CPU milliseconds per run of each process and each process's database sessions, in the bench's
     * order; then the sum over the processes (sessions are inside their server's figure).
     */
    static List<String> cpuPerRun(Map<String, Long> spentTicks, int runs) {
        List<String> lines = new ArrayList<>();
        double total = 0;
        for (String name : StackCpu.ORDER) {
            Long ticks = spentTicks.get(name);
            if (ticks == null || runs <= 0) {
                continue;
            }
            double ms = ticks * 1000.0 / CpuAccounting.TICKS_PER_SECOND / runs;
            if (StackCpu.PROCESSES.contains(name)) {
                total += ms;
            }
            lines.add(String.format("  %-38s %8.3f", name, ms));
        }
        lines.add(String.format("  %-38s %8.3f", "all processes", total));
        return lines;
    }
}
