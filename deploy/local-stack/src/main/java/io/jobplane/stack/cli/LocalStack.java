package io.jobplane.stack.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.jobplane.stack.DevKeys;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.Service;

/**
 * The local platform's layout on disk: where state, logs and pid files live, and which ports each
 * component uses. {@code up}, {@code status} and {@code down} agree through this one place.
 */
final class LocalStack {

    final Path root;
    final Path state;
    final int kafkaPort = port("JOBPLANE_KAFKA_PORT", 19092);
    final int kafkaControllerPort = port("JOBPLANE_KAFKA_CONTROLLER_PORT", 19093);
    final int postgresPort = port("JOBPLANE_PG_PORT", 15432);
    final String externalDbUrl = blankToNull(System.getenv("JOBPLANE_DB_URL"));

    LocalStack() {
        String home = System.getenv("JOBPLANE_HOME");
        this.root = Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
        String stateDir = System.getenv("JOBPLANE_STATE_DIR");
        this.state = stateDir == null || stateDir.isBlank() ? root.resolve(".jobplane")
                : Path.of(stateDir).toAbsolutePath().normalize();
    }

    /** One component of the stack, as {@code status} lists it. */
    record Component(String name, int port, Optional<Service> service) {
    }

    List<Component> components(int workers) {
        List<Component> all = new ArrayList<>();
        all.add(new Component("kafka", kafkaPort, Optional.empty()));
        all.add(new Component("postgresql", postgresPort, Optional.empty()));
        all.add(new Component("job-api", port("JOBPLANE_API_PORT", 8080), Optional.of(Service.JOB_API)));
        int workerPort = port("JOBPLANE_WORKER_PORT", 8081);
        for (int i = 1; i <= workers; i++) {
            all.add(new Component(workerName(i), i == 1 ? workerPort : workerPort + 10 + i,
                    Optional.of(Service.EXECUTION_WORKER)));
        }
        all.add(new Component("metadata-harvester", port("JOBPLANE_HARVESTER_PORT", 8082),
                Optional.of(Service.METADATA_HARVESTER)));
        all.add(new Component("policy-migrator", port("JOBPLANE_POLICY_PORT", 8083), Optional.of(Service.POLICY_MIGRATOR)));
        return all;
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
        return DevKeys.ensure(state.resolve("keys"));
    }

    Path logFile(String component) {
        return state.resolve("logs").resolve(component + ".log");
    }

    Path kafkaDir() {
        return state.resolve("data/kafka");
    }

    Path postgresDir() {
        return state.resolve("data/postgres");
    }

    PostgresServer postgres() {
        return externalDbUrl != null ? PostgresServer.external(externalDbUrl)
                : PostgresServer.attach(postgresDir(), postgresPort, logFile("postgresql"));
    }

    Path pidFile(String component) {
        return state.resolve("run").resolve(component + ".pid");
    }

    void recordPid(String component, long pid) {
        try {
            Files.createDirectories(pidFile(component).getParent());
            Files.writeString(pidFile(component), Long.toString(pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void forgetPid(String component) {
        try {
            Files.deleteIfExists(pidFile(component));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live process recorded for a component, if it still runs and is still ours. */
    Optional<ProcessHandle> process(String component, String commandMarker) {
        try {
            Path file = pidFile(component);
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> commandLine(h).map(c -> c.contains(commandMarker)).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The full command line; /proc has it whole where ProcessHandle.Info may cut a long classpath short. */
    private static Optional<String> commandLine(ProcessHandle h) {
        Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return Optional.of(new String(Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8)
                        .replace('\0', ' '));
            }
        } catch (IOException e) {
            // Fall back to what the JDK can tell.
        }
        return h.info().commandLine();
    }

    private static int port(String env, int fallback) {
        String value = System.getenv(env);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(env + " must be a port number, got '" + value + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
