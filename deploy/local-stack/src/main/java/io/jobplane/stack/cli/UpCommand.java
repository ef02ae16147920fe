package io.jobplane.stack.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.jobplane.stack.DevKeys;
import io.jobplane.stack.DevTokens;
import io.jobplane.stack.KafkaAccess;
import io.jobplane.stack.KafkaBroker;
import io.jobplane.stack.Passwords;
import io.jobplane.stack.Ports;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.Processes;
import io.jobplane.stack.Service;
import io.jobplane.stack.ServiceProcess;
import io.jobplane.stack.StackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Starts whatever part of the platform is not running yet and waits until all of it is healthy. */
@Command(name = "up", mixinStandardHelpOptions = true, description = {
        "Start Kafka, PostgreSQL (the platform's and a tenant data server) and the four services, only what is not",
        "running yet, and wait until all are healthy.",
        "Processes keep running after this command ends; stop them with 'down'." },
        footer = { "", "Ports and other settings come from environment variables: see 'jobplane --help'.", "" })
class UpCommand implements Runnable {

    static final String DEMO_DATABASE = "demo";
    static final String DEMO_ROLE = "demo";
    static final String DEMO_SECRET = "postgres-demo";
    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(180);
    /** Waiting is blocking work: one thread per wait, so no wait queues behind another. */
    private static final Executor OWN_THREAD = task -> {
        Thread thread = new Thread(task, "jobplane-up");
        thread.setDaemon(true);
        thread.start();
    };

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--workers", defaultValue = "1", description = "execution-worker replicas (default ${DEFAULT-VALUE})")
    int workers;

    @Override
    public void run() {
        if (workers < 1 || workers > 16) {
            throw new ParameterException(spec.commandLine(), "--workers takes a number from 1 to 16");
        }
        long started = System.nanoTime();
        LocalStack stack = new LocalStack();
        DevKeys keys = stack.keys();
        requireFreePorts(stack);
        // Kafka and PostgreSQL start side by side: the broker takes a few seconds, the database about one.
        CompletableFuture<KafkaAccess> kafka = CompletableFuture.supplyAsync(() -> ensureKafka(stack), OWN_THREAD);
        CompletableFuture<PostgresServer> postgresStart = CompletableFuture.supplyAsync(() -> ensurePostgres(stack),
                OWN_THREAD);
        CompletableFuture<PostgresServer> tenantStart = CompletableFuture.supplyAsync(() -> ensureTenant(stack), OWN_THREAD);
        KafkaAccess bootstrapServers = Processes.join(kafka);
        PostgresServer postgres = Processes.join(postgresStart);
        // Tenant data lives on its own server: connections never reach the platform's database. Jobs reach
        // the demo database as a role of its own, never as the superuser.
        PostgresServer tenant = Processes.join(tenantStart);
        tenant.createDatabase(DEMO_DATABASE, DEMO_ROLE, Passwords.ensure(stack.keysDir(), DEMO_SECRET));

        List<ServiceProcess> services = new ArrayList<>();
        for (LocalStack.Component c : stack.components(workers)) {
            if (c.service().isPresent()) {
                services.add(ensureService(stack, c, bootstrapServers, postgres, keys));
            }
        }
        services.stream()
                .map(s -> CompletableFuture.runAsync(() -> s.awaitHealthy(HEALTHY_TIMEOUT), OWN_THREAD))
                .toList()
                .forEach(Processes::join);
        long seconds = Math.round(Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
        System.out.println();
        new StatusCommand().print(stack, workers);
        printNextSteps(stack, postgres, tenant, keys, seconds);
    }

    /** Starts the broker unless ours already runs; returns how the services reach it. */
    private static KafkaAccess ensureKafka(LocalStack stack) {
        LocalStack.Component c = stack.component(LocalStack.KAFKA);
        Optional<ProcessHandle> running = stack.process(c);
        if (running.isPresent() && Ports.listening(c.port())) {
            say("%-18s already running (pid %d)", c.name(), running.get().pid());
            return stack.kafkaAccess();
        }
        requireFree("Kafka", c.port(), LocalStack.KAFKA_PORT_ENV);
        requireFree("the Kafka controller", stack.kafkaControllerPort, LocalStack.KAFKA_CONTROLLER_PORT_ENV);
        say("%-18s starting on 127.0.0.1:%d", c.name(), c.port());
        KafkaBroker broker = KafkaBroker.startSecured(stack.kafkaDir(), c.port(), stack.kafkaControllerPort,
                stack.logFile(c.name()), true, stack.keysDir());
        stack.record(c.name(), broker.pid(), c.port());
        return broker.access();
    }

    private static PostgresServer ensurePostgres(LocalStack stack) {
        if (stack.externalDbUrl != null) {
            PostgresServer external = PostgresServer.external(stack.externalDbUrl);
            if (!external.accepting()) {
                throw new StackException("the PostgreSQL at " + external.displayUrl() + " (JOBPLANE_DB_URL) does not answer");
            }
            say("%-18s using %s", LocalStack.POSTGRESQL, external.displayUrl());
            return external;
        }
        LocalStack.Component c = stack.component(LocalStack.POSTGRESQL);
        PostgresServer attached = stack.postgres();
        // The postmaster's own pid file is the truth here, even if ours was lost.
        boolean running = attached.isAlive() && attached.accepting();
        if (running) {
            say("%-18s already running (pid %d)", c.name(), attached.pid());
        } else {
            requireFree("PostgreSQL", c.port(), LocalStack.PG_PORT_ENV);
            say("%-18s starting on 127.0.0.1:%d", c.name(), c.port());
        }
        // A running server is not restarted; this secures a cluster of an earlier version that still
        // trusted local logins, and keeps the service role and its password as the keys folder says.
        PostgresServer server = PostgresServer.startSecured(stack.postgresDir(), c.port(), true, stack.logFile(c.name()),
                stack.keysDir());
        stack.record(c.name(), server.pid(), c.port());
        return server;
    }

    private static PostgresServer ensureTenant(LocalStack stack) {
        LocalStack.Component c = stack.component(LocalStack.TENANT_POSTGRESQL);
        PostgresServer attached = stack.tenant();
        if (attached.isAlive() && attached.accepting()) {
            say("%-18s already running (pid %d)", c.name(), attached.pid());
            stack.record(c.name(), attached.pid(), c.port());
            return attached;
        }
        requireFree("the tenant PostgreSQL", c.port(), LocalStack.TENANT_PG_PORT_ENV);
        say("%-18s starting on 127.0.0.1:%d", c.name(), c.port());
        PostgresServer server = PostgresServer.startSecured(stack.tenantDir(), c.port(), true, stack.logFile(c.name()),
                stack.tenantKeysDir());
        stack.record(c.name(), server.pid(), c.port());
        return server;
    }

    private static ServiceProcess ensureService(LocalStack stack, LocalStack.Component c, KafkaAccess bootstrapServers,
            PostgresServer postgres, DevKeys keys) {
        Optional<ProcessHandle> running = stack.process(c);
        if (running.isPresent()) {
            say("%-18s already running (pid %d)", c.name(), running.get().pid());
            return ServiceProcess.attach(c.name(), running.get().pid(), c.port(), stack.logFile(c.name()));
        }
        requireFree(c.name(), c.port(), null);
        Map<String, String> props = new LinkedHashMap<>(c.service().orElseThrow()
                .properties(bootstrapServers, postgres, keys));
        props.putAll(c.service().orElseThrow().fileRoots(stack.filesRoot()));
        if (c.name().startsWith("execution-worker")) {
            int n = c.name().equals("execution-worker") ? 1 : Integer.parseInt(c.name().substring("execution-worker-".length()));
            props.put("jobplane.worker.id", "worker-" + n);
            props.putAll(Service.stepUids(n));
            props.putAll(Service.workerApi(stack.apiUrl()));
        }
        say("%-18s starting on 127.0.0.1:%d", c.name(), c.port());
        ServiceProcess process = ServiceProcess.start(c.name(), c.service().orElseThrow().jar(stack.root), c.port(), props,
                stack.logFile(c.name()), true);
        stack.record(c.name(), process.pid(), c.port());
        return process;
    }

    /** Checks every port before starting anything, so a clash does not leave half a platform running. */
    private void requireFreePorts(LocalStack stack) {
        List<String> clashes = new ArrayList<>();
        for (LocalStack.Component c : stack.components(workers)) {
            boolean running = c.name().equals(LocalStack.POSTGRESQL)
                    ? stack.externalDbUrl != null || stack.postgres().isAlive()
                    : c.name().equals(LocalStack.TENANT_POSTGRESQL) ? stack.tenant().isAlive()
                    : stack.process(c).isPresent();
            if (!running && Ports.taken(c.port())) {
                clashes.add(c.name() + " (port " + c.port() + ")");
            }
            if (!running && c.name().equals(LocalStack.KAFKA) && Ports.taken(stack.kafkaControllerPort)) {
                clashes.add("the Kafka controller (port " + stack.kafkaControllerPort + ")");
            }
        }
        if (!clashes.isEmpty()) {
            throw new StackException("another program holds the port of " + String.join(", ", clashes)
                    + "; stop it, or move our component with the variables 'jobplane --help' lists. Nothing was started.");
        }
    }

    private static void requireFree(String what, int port, String env) {
        if (Ports.taken(port)) {
            throw new StackException("port " + port + " for " + what + " is taken by another program; free it or move "
                    + (env == null ? "it" : "it with " + env) + " (jobplane --help lists the variables)");
        }
    }

    private static void printNextSteps(LocalStack stack, PostgresServer postgres, PostgresServer tenant, DevKeys keys,
            long seconds) {
        String api = stack.apiUrl();
        String token = DevTokens.mint(keys.privateKey(), "dev", Map.of("demo", "admin"), Duration.ofHours(24));
        System.out.println();
        System.out.println("jobplane is up (ready in " + seconds + " s)");
        System.out.println("  API       " + api + "   (OpenAPI: " + api + "/q/openapi, UI: " + api + "/q/swagger-ui)");
        System.out.println("  dashboard " + api + "/dashboard/   (live runs; paste the token below)");
        System.out.println("  metrics   " + api + "/q/metrics   (Prometheus; every service has its own)");
        System.out.println("  database  " + postgres.displayUrl() + "   (the platform's own; no connection reaches it)");
        System.out.println("  tenants   " + tenant.displayUrl() + "   (tenant data, with a 'demo' database)");
        System.out.println("  logs      " + stack.state.resolve("logs"));
        System.out.println();
        System.out.println("A token for workspace 'demo' (role admin, valid 24 h; make more with ./jobplane token):");
        System.out.println();
        System.out.println("  export TOKEN=" + token);
        System.out.println();
        // The demo role's password stays in its file: the command reads it there, so it is not printed.
        String jdbcUrl = tenant.jdbcUrl(DEMO_DATABASE);
        String password = "'\"$(cat " + Passwords.file(stack.keysDir(), DEMO_SECRET) + ")\"'";
        System.out.println("Next, create a connection to the 'demo' database of the tenant server:");
        System.out.println();
        System.out.println("  curl -s -X POST " + api + "/api/v1/workspaces/demo/connections \\");
        System.out.println("    -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
        System.out.println("    -d '{\"name\":\"demo-db\",\"type\":\"postgresql\",\"jdbc_url\":\"" + jdbcUrl
                + "\",\"username\":\"" + DEMO_ROLE + "\",\"password\":\"" + password + "\"}'");
        System.out.println();
        System.out.println("then follow the README's walk-through (job, launch, status), or use the CLI: ./jobplane login,");
        System.out.println("./jobplane jobs apply -f job.json, ./jobplane runs launch JOB --follow. Stop with ./jobplane down.");
    }

    /** One progress line; lines from the parallel starts never interleave within a line. */
    private static synchronized void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }

}
