package io.jobplane.stack.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.jobplane.stack.DevKeys;
import io.jobplane.stack.DevTokens;
import io.jobplane.stack.KafkaBroker;
import io.jobplane.stack.Ports;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.ServiceProcess;
import io.jobplane.stack.StackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts whatever part of the platform is not running yet and waits until all of it is healthy. */
@Command(name = "up", description = "Start Kafka, PostgreSQL and the four services (only what is not running yet).")
class UpCommand implements Runnable {

    static final String DEMO_DATABASE = "demo";
    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(180);

    @Option(names = "--workers", defaultValue = "1", description = "execution-worker replicas (default ${DEFAULT-VALUE})")
    int workers;

    @Override
    public void run() {
        long started = System.nanoTime();
        LocalStack stack = new LocalStack();
        DevKeys keys = stack.keys();
        ensureKafka(stack);
        PostgresServer postgres = ensurePostgres(stack);
        postgres.createDatabase(DEMO_DATABASE);
        List<ServiceProcess> services = new ArrayList<>();
        for (LocalStack.Component c : stack.components(workers)) {
            c.service().ifPresent(service -> services.add(ensureService(stack, c, postgres, keys)));
        }
        services.stream()
                .map(s -> CompletableFuture.runAsync(() -> s.awaitHealthy(HEALTHY_TIMEOUT)))
                .toList()
                .forEach(CompletableFuture::join);
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.println();
        new StatusCommand().print(stack, workers);
        printNextSteps(stack, postgres, keys, seconds);
    }

    private void ensureKafka(LocalStack stack) {
        Optional<ProcessHandle> running = stack.process("kafka", "kafka.Kafka");
        if (running.isPresent() && Ports.listening(stack.kafkaPort)) {
            System.out.println("kafka              already running (pid " + running.get().pid() + ")");
            return;
        }
        requireFree("Kafka", stack.kafkaPort);
        System.out.println("kafka              starting on 127.0.0.1:" + stack.kafkaPort);
        KafkaBroker broker = KafkaBroker.start(stack.kafkaDir(), stack.kafkaPort, stack.kafkaControllerPort,
                stack.logFile("kafka"), true);
        stack.recordPid("kafka", broker.pid());
    }

    private PostgresServer ensurePostgres(LocalStack stack) {
        if (stack.externalDbUrl != null) {
            PostgresServer external = PostgresServer.external(stack.externalDbUrl);
            if (!external.accepting()) {
                throw new StackException("the PostgreSQL at " + external.displayUrl() + " (JOBPLANE_DB_URL) does not answer");
            }
            System.out.println("postgresql         using " + external.displayUrl());
            return external;
        }
        PostgresServer attached = stack.postgres();
        if (attached.isAlive() && attached.accepting()) {
            System.out.println("postgresql         already running (pid " + attached.pid() + ")");
            return attached;
        }
        requireFree("PostgreSQL", stack.postgresPort);
        System.out.println("postgresql         starting on 127.0.0.1:" + stack.postgresPort);
        PostgresServer server = PostgresServer.start(stack.postgresDir(), stack.postgresPort, true,
                stack.logFile("postgresql"));
        stack.recordPid("postgresql", server.pid());
        return server;
    }

    private ServiceProcess ensureService(LocalStack stack, LocalStack.Component c, PostgresServer postgres, DevKeys keys) {
        String marker = c.service().orElseThrow().module() + "/target/quarkus-app/quarkus-run.jar";
        Optional<ProcessHandle> running = stack.process(c.name(), marker);
        if (running.isPresent()) {
            System.out.printf("%-18s already running (pid %d)%n", c.name(), running.get().pid());
            return ServiceProcess.attach(c.name(), running.get().pid(), c.port(), stack.logFile(c.name()));
        }
        requireFree(c.name(), c.port());
        Map<String, String> props = new LinkedHashMap<>(c.service().orElseThrow()
                .properties("127.0.0.1:" + stack.kafkaPort, postgres, keys));
        if (c.name().startsWith("execution-worker")) {
            props.put("jobplane.worker.id", c.name());
        }
        System.out.printf("%-18s starting on 127.0.0.1:%d%n", c.name(), c.port());
        ServiceProcess process = ServiceProcess.start(c.name(), c.service().orElseThrow().jar(stack.root), c.port(), props,
                stack.logFile(c.name()), true);
        stack.recordPid(c.name(), process.pid());
        return process;
    }

    private static void requireFree(String what, int port) {
        if (Ports.listening(port)) {
            throw new StackException("port " + port + " for " + what + " is taken by another program; free it or choose "
                    + "another port (./jobplane --help lists the variables)");
        }
    }

    private static void printNextSteps(LocalStack stack, PostgresServer postgres, DevKeys keys, long seconds) {
        int apiPort = stack.components(1).stream().filter(c -> c.name().equals("job-api")).findFirst().orElseThrow().port();
        String api = "http://127.0.0.1:" + apiPort;
        String token = DevTokens.mint(keys.privateKey(), "dev", Map.of("demo", "admin"), Duration.ofHours(24));
        String demoJdbc = postgres.jdbcUrl(DEMO_DATABASE);
        System.out.println();
        System.out.println("jobplane is up (ready in " + seconds + " s)");
        System.out.println("  API       " + api + "   (OpenAPI: " + api + "/q/openapi, UI: " + api + "/q/swagger-ui)");
        System.out.println("  database  " + postgres.displayUrl());
        System.out.println("  logs      " + stack.state.resolve("logs"));
        System.out.println();
        System.out.println("A token for workspace 'demo' (role admin, valid 24 h; make more with ./jobplane token):");
        System.out.println();
        System.out.println("  export TOKEN=" + token);
        System.out.println();
        System.out.println("Next, create a connection to the 'demo' database:");
        System.out.println();
        System.out.println("  curl -s -X POST " + api + "/api/v1/workspaces/demo/connections \\");
        System.out.println("    -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
        System.out.println("    -d '{\"name\":\"demo-db\",\"type\":\"postgresql\",\"jdbc_url\":\"" + demoJdbc
                + "\",\"username\":\"" + postgres.username() + "\",\"password\":\"not-needed-locally\"}'");
        System.out.println();
        System.out.println("then follow the README's walk-through (job, launch, status). Stop with ./jobplane down.");
    }
}
