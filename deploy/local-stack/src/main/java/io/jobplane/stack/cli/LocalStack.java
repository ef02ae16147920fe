package io.jobplane.stack.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.jobplane.stack.DevKeys;
import io.jobplane.stack.KafkaAccess;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.Processes;
import io.jobplane.stack.Service;

/**
 * The local platform's layout on disk: where state, logs and pid files live, and which ports each
 * component uses. {@code up}, {@code status} and {@code down} agree through this one place.
 */
final class LocalStack {

    static final String KAFKA = "kafka";
    static final String POSTGRESQL = "postgresql";
    /** The second PostgreSQL server, for tenant data: connections point at it, never at the platform's. */
    static final String TENANT_POSTGRESQL = "tenant-postgresql";
    static final String JOB_API = "job-api";

    /** Environment variables that move a port, with their defaults; also listed by --help. */
    static final String KAFKA_PORT_ENV = "JOBPLANE_KAFKA_PORT";
    static final String KAFKA_CONTROLLER_PORT_ENV = "JOBPLANE_KAFKA_CONTROLLER_PORT";
    static final String PG_PORT_ENV = "JOBPLANE_PG_PORT";
    static final String TENANT_PG_PORT_ENV = "JOBPLANE_TENANT_PG_PORT";
    static final String API_PORT_ENV = "JOBPLANE_API_PORT";
    static final String WORKER_PORT_ENV = "JOBPLANE_WORKER_PORT";
    static final String HARVESTER_PORT_ENV = "JOBPLANE_HARVESTER_PORT";
    static final String POLICY_PORT_ENV = "JOBPLANE_POLICY_PORT";

    final Path root;
    final Path state;
    final int kafkaControllerPort;
    final String externalDbUrl;
    /** Where the variables above are read: the process environment, or the one a caller gives. */
    private final Function<String, String> env;

    LocalStack() {
        this(System::getenv);
    }

    LocalStack(Function<String, String> env) {
        this.env = env;
        String home = env.apply("JOBPLANE_HOME");
        this.root = Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
        String stateDir = env.apply("JOBPLANE_STATE_DIR");
        this.state = stateDir == null || stateDir.isBlank() ? root.resolve(".jobplane")
                : Path.of(stateDir).toAbsolutePath().normalize();
        this.kafkaControllerPort = configuredPort(KAFKA_CONTROLLER_PORT_ENV, 19093);
        this.externalDbUrl = blankToNull(env.apply("JOBPLANE_DB_URL"));
    }

    /**
     * One component of the stack as {@code status} lists it. {@code port} is the port a running
     * instance recorded at its start, else the configured one.
     */
    record Component(String name, int port, Optional<Service> service) {

        /** A word that the command line of our process contains, so a recycled pid is not mistaken for it. */
        String marker(LocalStack stack) {
            return service.map(s -> s.jar(stack.root).toString())
                    .orElse(name.equals(KAFKA) ? stack.kafkaDir().toString()
                            : name.equals(TENANT_POSTGRESQL) ? stack.tenantDir().toString() : stack.postgresDir().toString());
        }
    }

    List<Component> components(int workers) {
        List<Component> all = new ArrayList<>();
        all.add(component(KAFKA, configuredPort(KAFKA_PORT_ENV, 19092), null));
        all.add(component(POSTGRESQL, externalDbUrl != null ? PostgresServer.external(externalDbUrl).port()
                : configuredPort(PG_PORT_ENV, 15432), null));
        all.add(component(TENANT_POSTGRESQL, configuredPort(TENANT_PG_PORT_ENV, 15433), null));
        all.add(component(JOB_API, configuredPort(API_PORT_ENV, 8080), Service.JOB_API));
        int workerPort = configuredPort(WORKER_PORT_ENV, 8081);
        for (int i = 1; i <= workers; i++) {
            // Further replicas sit above the fixed ports so they never collide with the other services.
            all.add(component(workerName(i), i == 1 ? workerPort : workerPort + 10 + i, Service.EXECUTION_WORKER));
        }
        all.add(component("metadata-harvester", configuredPort(HARVESTER_PORT_ENV, 8082), Service.METADATA_HARVESTER));
        all.add(component("policy-migrator", configuredPort(POLICY_PORT_ENV, 8083), Service.POLICY_MIGRATOR));
        return all;
    }

    Component component(String name) {
        return components(Math.max(1, recordedWorkers())).stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no component named " + name));
    }

    private Component component(String name, int configured, Service service) {
        Component draft = new Component(name, configured, Optional.ofNullable(service));
        // While our process runs, its recorded port wins: env vars may differ from those 'up' saw.
        int port = process(draft).flatMap(p -> recordedPort(name)).orElse(configured);
        return new Component(name, port, draft.service());
    }

    /** Workers recorded by the last {@code up}; at least one. */
    int recordedWorkers() {
        int n = 1;
        while (Files.exists(pidFile(workerName(n + 1)))) {
            n++;
        }
        return n;
    }

    static String workerName(int n) {
        return n == 1 ? "execution-worker" : "execution-worker-" + n;
    }

    DevKeys keys() {
        return DevKeys.ensure(keysDir());
    }

    /** The dev keys and the generated passwords of PostgreSQL and Kafka (owner-only files). */
    Path keysDir() {
        return state.resolve("keys");
    }

    Path logFile(String component) {
        return state.resolve("logs").resolve(component + ".log");
    }

    /** The directory filesystem connections may use: their base paths must be under it. */
    Path filesRoot() {
        return state.resolve("files");
    }

    /** How clients reach the stack's (secured) broker on its current port. */
    KafkaAccess kafkaAccess() {
        return new KafkaAccess("127.0.0.1:" + component(KAFKA).port(), keysDir());
    }

    Path kafkaDir() {
        return state.resolve("data/kafka");
    }

    Path postgresDir() {
        return state.resolve("data/postgres");
    }

    Path tenantDir() {
        return state.resolve("data/tenant-postgres");
    }

    /** A handle on the tenant data server (started or not). */
    PostgresServer tenant() {
        return PostgresServer.attachSecured(tenantDir(), component(TENANT_POSTGRESQL).port(), logFile(TENANT_POSTGRESQL),
                tenantKeysDir());
    }

    /** The generated passwords of the tenant server (its own, apart from the platform database's). */
    Path tenantKeysDir() {
        return keysDir().resolve("tenant-postgres");
    }

    /** Whether the component is one of the two PostgreSQL servers, which pg_ctl manages by data folder. */
    static boolean isPostgres(String name) {
        return name.equals(POSTGRESQL) || name.equals(TENANT_POSTGRESQL);
    }

    String apiUrl() {
        return "http://127.0.0.1:" + component(JOB_API).port();
    }

    /** The configured database: the external one, or a handle on the private cluster (started or not). */
    PostgresServer postgres() {
        return externalDbUrl != null ? PostgresServer.external(externalDbUrl)
                : PostgresServer.attachSecured(postgresDir(), component(POSTGRESQL).port(), logFile(POSTGRESQL), keysDir());
    }

    Path pidFile(String component) {
        return state.resolve("run").resolve(component + ".pid");
    }

    private Path portFile(String component) {
        return state.resolve("run").resolve(component + ".port");
    }

    /** Records a component {@code up} started: its pid and the port it listens on. */
    void record(String component, long pid, int port) {
        try {
            Files.createDirectories(pidFile(component).getParent());
            Files.writeString(pidFile(component), Long.toString(pid));
            Files.writeString(portFile(component), Integer.toString(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void forget(String component) {
        try {
            Files.deleteIfExists(pidFile(component));
            Files.deleteIfExists(portFile(component));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Integer> recordedPort(String component) {
        try {
            Path file = portFile(component);
            return Files.exists(file) ? Optional.of(Integer.parseInt(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The live process recorded for a component, if it still runs and is still ours. */
    Optional<ProcessHandle> process(Component component) {
        try {
            Path file = pidFile(component.name());
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(file).trim());
            String marker = component.marker(this);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> Processes.commandLine(h).map(c -> c.contains(marker)).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private int configuredPort(String variable, int fallback) {
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a port number (1-65535), got '" + value + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
