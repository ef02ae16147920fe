package io.jobplane.stack.cli;

import java.util.Optional;

import io.jobplane.stack.Ports;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.ServiceProcess;
import picocli.CommandLine.Command;

/** Shows each component with its port, pid and health. */
@Command(name = "status", description = "Show each component, its port, pid and health (exit 0 when all are UP, 3 otherwise).")
class StatusCommand implements java.util.concurrent.Callable<Integer> {

    @Override
    public Integer call() {
        LocalStack stack = new LocalStack();
        return print(stack, stack.recordedWorkers()) ? 0 : 3;
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
        PostgresServer postgres = stack.postgres();
        int apiPort = stack.components(1).stream().filter(c -> c.name().equals("job-api")).findFirst().orElseThrow().port();
        System.out.println();
        System.out.println("database  " + postgres.displayUrl());
        System.out.println("API       http://127.0.0.1:" + apiPort);
        return allUp;
    }

    private record Health(long pid, String state) {
    }

    private static Health health(LocalStack stack, LocalStack.Component c) {
        if (c.name().equals("postgresql")) {
            PostgresServer pg = stack.postgres();
            if (pg.isExternal()) {
                return new Health(-1, pg.accepting() ? "UP" : "DOWN");
            }
            long pid = pg.pid();
            if (Optional.of(pid).filter(p -> p > 0).flatMap(ProcessHandle::of).isEmpty()) {
                return new Health(-1, "NOT RUNNING");
            }
            return new Health(pid, pg.accepting() ? "UP" : "DOWN");
        }
        String marker = c.service().map(s -> s.module() + "/target/quarkus-app/quarkus-run.jar").orElse("kafka.Kafka");
        Optional<ProcessHandle> process = stack.process(c.name(), marker);
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
