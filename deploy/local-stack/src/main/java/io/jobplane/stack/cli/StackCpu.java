package io.jobplane.stack.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jobplane.stack.PostgresServer;

/**
 * Samples the CPU time of every process of the running local stack (by the pids {@code up} recorded), of
 * both PostgreSQL servers with their backends, of the platform database's sessions per client process, and
 * of the bench itself, so a phase of the bench can be priced in CPU milliseconds per run.
 */
final class StackCpu {

    static final String BENCH = "bench client";
    static final String POSTGRES = "PostgreSQL (all)";
    static final String TENANT_POSTGRES = "tenant PostgreSQL (all)";
    static final String SESSIONS = " DB sessions";

    /** The processes' ticks by name, and each platform-database backend's owner and ticks by backend pid. */
    record Sample(Map<String, Long> processes, Map<Long, Backend> backends) {
    }

    record Backend(String owner, long ticks) {
    }

    private final LocalStack stack;
    private final StackApi api;

    StackCpu(StackApi api) {
        this.api = api;
        this.stack = api.stack();
    }

    Sample sample() throws SQLException {
        Map<String, Long> ticks = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        for (LocalStack.Component c : stack.components(Math.max(1, stack.recordedWorkers()))) {
            if (c.service().isEmpty() && !c.name().equals(LocalStack.KAFKA)) {
                continue; // the PostgreSQL servers are sampled with their backends below
            }
            String name = c.name().startsWith("execution-worker") ? "execution-worker"
                    : c.name().equals(LocalStack.KAFKA) ? "Kafka" : c.name();
            stack.process(c).ifPresent(h -> {
                CpuAccounting.processTicks(h.pid(), false).ifPresent(t -> ticks.merge(name, t, Long::sum));
                pids.putIfAbsent(name + "#" + h.pid(), h.pid());
            });
        }
        PostgresServer pg = api.postgres();
        if (!pg.isExternal()) {
            CpuAccounting.serverTicks(pg.pid()).ifPresent(t -> ticks.put(POSTGRES, t));
        }
        CpuAccounting.serverTicks(stack.tenant().pid()).ifPresent(t -> ticks.put(TENANT_POSTGRES, t));
        long self = ProcessHandle.current().pid();
        CpuAccounting.processTicks(self, false).ifPresent(t -> ticks.put(BENCH, t));
        pids.put(BENCH + "#" + self, self);

        // Whose is each backend: the process holding the client side of its connection.
        Map<Integer, String> owners = new HashMap<>();
        pids.forEach((key, pid) -> {
            String owner = key.substring(0, key.lastIndexOf('#'));
            for (int port : CpuAccounting.tcpPorts(pid)) {
                owners.put(port, owner);
            }
        });
        Map<Long, Backend> backends = new HashMap<>();
        if (!pg.isExternal()) {
            try (Connection c = api.db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "select pid, client_port from pg_stat_activity where backend_type = 'client backend' and client_port is not null")) {
                while (rs.next()) {
                    long backend = rs.getLong(1);
                    String owner = owners.getOrDefault(rs.getInt(2), "other");
                    CpuAccounting.processTicks(backend, false).ifPresent(t -> backends.put(backend, new Backend(owner, t)));
                }
            }
        }
        return new Sample(ticks, backends);
    }

    /**
     * Ticks spent between two samples: each process's, and each owner's database sessions' (a backend
     * that closed between the samples is in the server's total only).
     */
    static Map<String, Long> spent(Sample before, Sample after) {
        Map<String, Long> spent = new LinkedHashMap<>();
        after.processes().forEach((name, t) -> {
            Long start = before.processes().get(name);
            if (start != null) {
                spent.put(name, t - start);
            }
        });
        after.backends().forEach((pid, b) -> {
            Backend start = before.backends().get(pid);
            long from = start != null && start.owner().equals(b.owner()) ? start.ticks() : 0;
            spent.merge(b.owner() + SESSIONS, b.ticks() - from, Long::sum);
        });
        return spent;
    }

    /** The order the bench prints them in: each process, then its database sessions. */
    static final List<String> ORDER = List.of("job-api", "job-api" + SESSIONS, "execution-worker", "execution-worker" + SESSIONS,
            "metadata-harvester", "metadata-harvester" + SESSIONS, "policy-migrator", "policy-migrator" + SESSIONS, "Kafka",
            POSTGRES, TENANT_POSTGRES, BENCH, BENCH + SESSIONS, "other" + SESSIONS);

    /** Processes whose CPU adds up to the machine's (sessions are inside their server's total). */
    static final Set<String> PROCESSES = Set.of("job-api", "execution-worker", "metadata-harvester", "policy-migrator", "Kafka",
            POSTGRES, TENANT_POSTGRES, BENCH);
}
