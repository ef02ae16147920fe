package io.jobplane.stack.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.jobplane.stack.PostgresServer;
import picocli.CommandLine.Command;

/** Stops what {@code up} started, services first; data stays in .jobplane/data. */
@Command(name = "down", description = "Stop everything 'up' started; data is kept for the next 'up'.")
class DownCommand implements Runnable {

    @Override
    public void run() {
        LocalStack stack = new LocalStack();
        List<LocalStack.Component> components = new ArrayList<>(stack.components(stack.recordedWorkers()));
        Collections.reverse(components);
        // Services first, then Kafka, PostgreSQL last: nothing loses its backing store while running.
        components.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        for (LocalStack.Component c : components) {
            stop(stack, c);
        }
    }

    private static int rank(LocalStack.Component c) {
        return c.service().isPresent() ? 0 : c.name().equals("kafka") ? 1 : 2;
    }

    private static void stop(LocalStack stack, LocalStack.Component c) {
        if (c.name().equals("postgresql")) {
            PostgresServer pg = stack.postgres();
            if (!pg.isExternal() && pg.isAlive()) {
                System.out.println("postgresql         stopping (pid " + pg.pid() + ")");
                pg.stop();
            }
            stack.forgetPid(c.name());
            return;
        }
        String marker = c.service().map(s -> s.module() + "/target/quarkus-app/quarkus-run.jar").orElse("kafka.Kafka");
        Optional<ProcessHandle> process = stack.process(c.name(), marker);
        if (process.isPresent()) {
            System.out.printf("%-18s stopping (pid %d)%n", c.name(), process.get().pid());
            terminate(process.get(), c.service().isPresent() ? Duration.ofSeconds(20) : Duration.ofSeconds(60));
        }
        stack.forgetPid(c.name());
    }

    private static void terminate(ProcessHandle handle, Duration grace) {
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }
}
