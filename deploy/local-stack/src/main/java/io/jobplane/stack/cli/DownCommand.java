package io.jobplane.stack.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.jobplane.stack.PostgresServer;
import picocli.CommandLine.Command;

/** Stops what {@code up} started, services first; data stays in the state folder. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop everything 'up' started; data is kept for the next 'up'.")
class DownCommand implements Runnable {

    private static final Duration SERVICE_GRACE = Duration.ofSeconds(20);
    private static final Duration KAFKA_GRACE = Duration.ofSeconds(60);

    @Override
    public void run() {
        LocalStack stack = new LocalStack();
        List<LocalStack.Component> components = stack.components(stack.recordedWorkers());
        boolean stoppedAny = false;
        // Services first (all at once), then Kafka, PostgreSQL last: nothing loses its backing store while it runs.
        List<ProcessHandle> services = new ArrayList<>();
        for (LocalStack.Component c : components) {
            if (c.service().isPresent()) {
                stack.process(c).ifPresent(p -> {
                    System.out.printf("%-18s stopping (pid %d)%n", c.name(), p.pid());
                    services.add(p);
                });
            }
        }
        terminate(services, SERVICE_GRACE);
        stoppedAny |= !services.isEmpty();

        LocalStack.Component kafkaComponent = stack.component(LocalStack.KAFKA);
        Optional<ProcessHandle> kafka = stack.process(kafkaComponent);
        if (kafka.isPresent()) {
            System.out.printf("%-18s stopping (pid %d)%n", LocalStack.KAFKA, kafka.get().pid());
            terminate(List.of(kafka.get()), KAFKA_GRACE);
            stoppedAny = true;
        }

        // Only a private cluster is ours to stop; pg_ctl finds it by its data folder.
        PostgresServer pg = stack.postgres();
        if (!pg.isExternal() && pg.isAlive()) {
            System.out.printf("%-18s stopping (pid %d)%n", LocalStack.POSTGRESQL, pg.pid());
            pg.stop();
            stoppedAny = true;
        }
        PostgresServer tenant = stack.tenant();
        if (tenant.isAlive()) {
            System.out.printf("%-18s stopping (pid %d)%n", LocalStack.TENANT_POSTGRESQL, tenant.pid());
            tenant.stop();
            stoppedAny = true;
        }
        components.forEach(c -> stack.forget(c.name()));
        System.out.println(stoppedAny ? "jobplane is down; data is kept in " + stack.state.resolve("data")
                : "nothing of jobplane was running");
    }

    /** SIGTERM to all for a clean shutdown; SIGKILL to those still running when the grace period is over. */
    private static void terminate(List<ProcessHandle> processes, Duration grace) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // 'status' shows it if it still runs.
                }
            }
        }
    }
}
