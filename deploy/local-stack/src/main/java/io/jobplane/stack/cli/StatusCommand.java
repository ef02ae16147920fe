package io.jobplane.stack.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import io.jobplane.stack.Ports;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.ServiceProcess;
import picocli.CommandLine.Command;

/** Shows each component with its port, pid and health. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show each component, its port, pid and health (exit 0 when all are UP, 3 otherwise).")
class StatusCommand implements Callable<Integer> {

    /** Exit code when any component is not up, as for an init script's status. */
    static final int NOT_ALL_UP = 3;

    @Override
    public Integer call() {
        LocalStack stack = new LocalStack();
        return print(stack, stack.recordedWorkers()) ? 0 : NOT_ALL_UP;
    }

    /** Prints the table; true when every component is up. */
    boolean print(LocalStack stack, int workers) {
        boolean allUp = true;
        System.out.printf("%-20s %-7s %-9s %s%n", "COMPONENT", "PORT", "PID", "HEALTH");
        for (LocalStack.Component c : stack.components(workers)) {
            Health h = health(stack, c);
            allUp &= h.state.equals("UP");
            System.out.printf("%-20s %-7s %-9s %s%n", c.name(), c.port(), h.pid < 0 ? "-" : Long.toString(h.pid), h.state);
        }
        System.out.println();
        System.out.println("database  " + stack.postgres().displayUrl());
        System.out.println("tenants   " + stack.tenant().displayUrl() + "   (tenant data; connections point here)");
        System.out.println("API       " + stack.apiUrl());
        return allUp;
    }

    private record Health(long pid, String state) {
    }

    private static Health health(LocalStack stack, LocalStack.Component c) {
        if (LocalStack.isPostgres(c.name())) {
            PostgresServer pg = c.name().equals(LocalStack.POSTGRESQL) ? stack.postgres() : stack.tenant();
            if (pg.isExternal()) {
                return new Health(-1, pg.accepting() ? "UP" : "DOWN");
            }
            if (!pg.isAlive()) {
                return new Health(-1, "NOT RUNNING");
            }
            return new Health(pg.pid(), pg.accepting() ? "UP" : "DOWN");
        }
        Optional<ProcessHandle> process = stack.process(c);
        if (process.isEmpty()) {
            return new Health(-1, "NOT RUNNING");
        }
        long pid = process.get().pid();
        boolean up = c.service().isPresent()
                ? ServiceProcess.attach(c.name(), pid, c.port(), stack.logFile(c.name())).isHealthy()
                : Ports.listening(c.port());
        return new Health(pid, up ? "UP" : "DOWN");
    }
}
