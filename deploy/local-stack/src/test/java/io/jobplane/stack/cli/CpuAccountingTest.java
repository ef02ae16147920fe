package io.jobplane.stack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class CpuAccountingTest {

    /** A real postmaster line: utime 1520, stime 310, cutime 40210, cstime 9020. */
    private static final String POSTMASTER = "4711 (postgres) S 1 4711 4711 0 -1 4194560 12345 987654 0 12 1520 310 40210 9020"
            + " 20 0 1 0 123456 230686720 5000 18446744073709551615 1 1 0 0 0 0 4194304 19935232 84487 0 0 0 17 1 0 0 0 0 0";

    @Test
    void readsUserAndSystemTimeAndOptionallyTheReapedChildren() {
        assertEquals(1830, CpuAccounting.ticks(POSTMASTER, false));
        assertEquals(1830 + 49230, CpuAccounting.ticks(POSTMASTER, true));
    }

    @Test
    void countsFieldsFromTheLastParenthesisSoACommandNameWithSpacesAndParenthesesDoesNotShiftThem() {
        String odd = "99 (java (main) x) R 1 99 99 0 -1 0 0 0 0 0 7 3 100 200 20 0 30 0 1 1 1";
        assertEquals(10, CpuAccounting.ticks(odd, false));
        assertEquals(310, CpuAccounting.ticks(odd, true));
        assertThrows(IllegalArgumentException.class, () -> CpuAccounting.ticks("no parenthesis here", false));
        assertThrows(IllegalArgumentException.class, () -> CpuAccounting.ticks("1 (x) S 1 2", false));
    }

    @Test
    void readsASocketInodeFromAFileDescriptorLink() {
        assertEquals(OptionalLong.of(1234567), CpuAccounting.socketInode("socket:[1234567]"));
        assertTrue(CpuAccounting.socketInode("pipe:[42]").isEmpty());
        assertTrue(CpuAccounting.socketInode("/var/log/x.log").isEmpty());
    }

    @Test
    void mapsSocketInodesToLocalPortsFromNetTcp() {
        List<String> tcp = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:3C28 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1 0000000000000000 100 0 0 10 0",
                "   1: 0100007F:D431 0100007F:3C50 01 00000000:00000000 00:00000000 00000000     0        0 48213 1 0000000000000000 20 4 30 10 -1");
        assertEquals(Map.of(31337L, 15400, 48213L, 54321), CpuAccounting.localPorts(tcp));
        List<String> tcp6 = List.of(
                "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:C350 01 00000000:00000000 00:00000000 00000000 0 0 777 1");
        assertEquals(Map.of(777L, 8080), CpuAccounting.localPorts(tcp6));
    }

    @Test
    void chargesEachBackendToItsOwnerAndCountsANewBackendWhole() {
        StackCpu.Sample before = new StackCpu.Sample(Map.of("job-api", 1000L, "Kafka", 50L),
                Map.of(11L, new StackCpu.Backend("job-api", 300L), 12L, new StackCpu.Backend("execution-worker", 10L)));
        StackCpu.Sample after = new StackCpu.Sample(Map.of("job-api", 1600L, "Kafka", 80L, "bench client", 5L),
                Map.of(11L, new StackCpu.Backend("job-api", 450L), 12L, new StackCpu.Backend("execution-worker", 30L),
                        13L, new StackCpu.Backend("job-api", 25L)));
        Map<String, Long> spent = StackCpu.spent(before, after);
        assertEquals(600L, spent.get("job-api"));
        assertEquals(30L, spent.get("Kafka"));
        assertEquals(150L + 25L, spent.get("job-api" + StackCpu.SESSIONS));
        assertEquals(20L, spent.get("execution-worker" + StackCpu.SESSIONS));
        // A process missing from the first sample has no figure, rather than a wrong one.
        assertTrue(!spent.containsKey("bench client"));
    }
}
