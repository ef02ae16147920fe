package io.jobplane.stack.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The CPU time (user + system) of the local stack's processes, read from {@code /proc}, so the bench can
 * say how much CPU each process spent per run. A PostgreSQL server's total is the postmaster, its live
 * backends and the backends it has reaped (the postmaster's {@code cutime}/{@code cstime}); a service's
 * database sessions are the backends whose client port is one of the service's own TCP sockets.
 */
final class CpuAccounting {

    /** Linux reports /proc times in USER_HZ, which is 100 on every architecture the stack runs on. */
    static final long TICKS_PER_SECOND = 100;

    private CpuAccounting() {
    }

    /**
     * CPU ticks of a {@code /proc/<pid>/stat} line: utime + stime, plus cutime + cstime (its reaped
     * children) when asked. The command name in parentheses may hold spaces and parentheses itself, so
     * fields are counted from the last ')'.
     */
    static long ticks(String statLine, boolean withReapedChildren) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + statLine);
        }
        // After ')': field 3 (state) is index 0, so field n is index n - 3: utime 14, stime 15, cutime 16, cstime 17.
        String[] f = statLine.substring(close + 1).trim().split("\\s+");
        if (f.length < 15) {
            throw new IllegalArgumentException("a /proc stat line with too few fields: " + statLine);
        }
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return withReapedChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    }

    /** The inode of a file descriptor's link target if it is a socket ({@code socket:[12345]}). */
    static OptionalLong socketInode(String linkTarget) {
        if (linkTarget.startsWith("socket:[") && linkTarget.endsWith("]")) {
            try {
                return OptionalLong.of(Long.parseLong(linkTarget.substring(8, linkTarget.length() - 1)));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Local port by socket inode from the lines of {@code /proc/<pid>/net/tcp} or {@code tcp6} (a header,
     * then {@code sl local_address rem_address st … uid timeout inode}, the address as hex {@code ADDR:PORT}).
     */
    static Map<Long, Integer> localPorts(List<String> netTcpLines) {
        Map<Long, Integer> ports = new HashMap<>();
        for (String line : netTcpLines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":")) {
                continue;
            }
            String local = f[1];
            int colon = local.lastIndexOf(':');
            try {
                ports.put(Long.parseLong(f[9]), Integer.parseInt(local.substring(colon + 1), 16));
            } catch (NumberFormatException e) {
                // not a socket row
            }
        }
        return ports;
    }

    /** The ticks of a live process, if /proc still has it. */
    static OptionalLong processTicks(long pid, boolean withReapedChildren) {
        try {
            return OptionalLong.of(ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), withReapedChildren));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * A PostgreSQL server's ticks: the postmaster with the backends it has reaped, plus its live children
     * (each backend, and the background writer, checkpointer, WAL writer…).
     */
    static OptionalLong serverTicks(long postmasterPid) {
        OptionalLong own = processTicks(postmasterPid, true);
        if (own.isEmpty()) {
            return own;
        }
        long total = own.getAsLong();
        for (ProcessHandle child : ProcessHandle.of(postmasterPid).map(h -> h.children().toList()).orElse(List.of())) {
            total += processTicks(child.pid(), false).orElse(0);
        }
        return OptionalLong.of(total);
    }

    /** The local ports of a process's TCP sockets (its side of its database connections among them). */
    static Set<Integer> tcpPorts(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    socketInode(Files.readSymbolicLink(fd).toString()).ifPresent(inodes::add);
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return Set.of();
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            try {
                localPorts(Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))).forEach((inode, port) -> {
                    if (inodes.contains(inode)) {
                        ports.add(port);
                    }
                });
            } catch (IOException e) {
                // no IPv6, say
            }
        }
        return ports;
    }
}
