package io.jobplane.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The whole platform on this machine: a Kafka broker, PostgreSQL, and the four services as
 * separate processes. End-to-end tests start one per test class; it stops everything on close. A
 * second PostgreSQL server, started on first use ({@link #tenant()}), holds tenant data: tenant
 * connections never reach the platform's own database.
 */
public final class Platform implements AutoCloseable {

    static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(120);

    private final Settings settings;
    private final KafkaBroker kafka;
    private final PostgresServer postgres;
    private PostgresServer tenant;
    private final DevKeys keys;
    private final List<ServiceProcess> services = Collections.synchronizedList(new ArrayList<>());
    private final List<ServiceProcess> workers = Collections.synchronizedList(new ArrayList<>());
    private ServiceProcess api;
    private ServiceProcess harvester;
    private ServiceProcess policy;

    private Platform(Settings settings, KafkaBroker kafka, PostgresServer postgres, DevKeys keys) {
        this.settings = settings;
        this.kafka = kafka;
        this.postgres = postgres;
        this.keys = keys;
    }

    /** Starts Kafka and PostgreSQL, then the four services, and waits until all are healthy. */
    public static Platform start(Settings s) {
        Path state = s.stateDir();
        try {
            Files.createDirectories(state.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Kafka and PostgreSQL start side by side; whichever came up is stopped again if the other failed.
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> KafkaBroker.startSecured(
                state.resolve("data/kafka"), s.kafkaPort(), s.kafkaControllerPort(), state.resolve("logs/kafka.log"), false,
                state.resolve("keys")), Processes.OWN_THREAD);
        CompletableFuture<PostgresServer> postgres = CompletableFuture.supplyAsync(() -> s.externalDbUrl() != null
                ? PostgresServer.external(s.externalDbUrl())
                : PostgresServer.startSecured(state.resolve("data/postgres"), s.postgresPort(), s.durable(),
                        state.resolve("logs/postgres.log"), state.resolve("keys")), Processes.OWN_THREAD);
        CompletableFuture.allOf(kafka, postgres).exceptionally(e -> null).join();
        if (kafka.isCompletedExceptionally() || postgres.isCompletedExceptionally()) {
            if (!kafka.isCompletedExceptionally()) {
                kafka.join().stop();
            }
            if (!postgres.isCompletedExceptionally()) {
                postgres.join().stop();
            }
            Processes.join(kafka);
            Processes.join(postgres);
        }
        Platform platform = new Platform(s, kafka.join(), postgres.join(), DevKeys.ensure(state.resolve("keys")));
        try {
            platform.startServices();
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void startServices() {
        api = launch(Service.JOB_API, "job-api", settings.apiPort());
        harvester = launch(Service.METADATA_HARVESTER, "metadata-harvester", settings.harvesterPort());
        policy = launch(Service.POLICY_MIGRATOR, "policy-migrator", settings.policyPort());
        List<ServiceProcess> starting = new ArrayList<>(List.of(api, harvester, policy));
        for (int i = 0; i < settings.workers(); i++) {
            ServiceProcess worker = launchWorker(i == 0 ? settings.workerPort() : Ports.free());
            starting.add(worker);
        }
        awaitAll(starting);
    }

    /** Starts one more execution-worker replica and waits until it is healthy. */
    public ServiceProcess startWorker() {
        ServiceProcess worker = launchWorker(Ports.free());
        return worker.awaitHealthy(HEALTHY_TIMEOUT);
    }

    /**
     * Kills a worker with SIGKILL, as a crashed machine would, and starts a replacement (a new
     * replica id on a free port) that is healthy when this returns. Runs the dead worker held are
     * the platform's to recover.
     */
    public ServiceProcess replaceWorker(ServiceProcess dead) {
        dead.kill();
        workers.remove(dead);
        services.remove(dead);
        return startWorker();
    }

    /** Kills job-api with SIGKILL and starts it again on the same port; returns once it is healthy. */
    public ServiceProcess restartApi() {
        api.kill();
        services.remove(api);
        api = launch(Service.JOB_API, "job-api", settings.apiPort());
        return api.awaitHealthy(HEALTHY_TIMEOUT);
    }

    private ServiceProcess launchWorker(int port) {
        int n = workers.size() + 1;
        Map<String, String> props = new java.util.LinkedHashMap<>(
                Service.EXECUTION_WORKER.properties(kafka.access(), postgres, keys));
        props.putAll(Service.EXECUTION_WORKER.fileRoots(filesRoot()));
        props.putAll(Service.workerApi("http://127.0.0.1:" + settings.apiPort()));
        props.putAll(settings.overrides());
        props.put("jobplane.worker.id", "worker-" + n);
        props.putAll(Service.stepUids(n));
        ServiceProcess worker = ServiceProcess.start("execution-worker-" + n, Service.EXECUTION_WORKER.jar(settings.root()),
                port, props, logDir().resolve("execution-worker-" + n + ".log"));
        workers.add(worker);
        services.add(worker);
        return worker;
    }

    private ServiceProcess launch(Service service, String name, int port) {
        Map<String, String> props = new java.util.LinkedHashMap<>(service.properties(kafka.access(), postgres, keys));
        props.putAll(service.fileRoots(filesRoot()));
        if (service == Service.JOB_API) {
            props.putAll(Service.pythonVersions());
        }
        props.putAll(settings.overrides());
        ServiceProcess process = ServiceProcess.start(name, service.jar(settings.root()), port, props,
                logDir().resolve(name + ".log"));
        services.add(process);
        return process;
    }

    private static void awaitAll(List<ServiceProcess> starting) {
        List<CompletableFuture<ServiceProcess>> waits = starting.stream()
                .map(p -> CompletableFuture.supplyAsync(() -> p.awaitHealthy(HEALTHY_TIMEOUT), Processes.OWN_THREAD))
                .toList();
        waits.forEach(Processes::join);
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public DevKeys keys() {
        return keys;
    }

    /** The tenant data server, started on first use; connections of tests point at its databases. */
    public synchronized PostgresServer tenant() {
        if (tenant == null) {
            tenant = Ports.startOnFreePorts(() -> PostgresServer.startSecured(settings.stateDir().resolve("data/tenant-postgres"),
                    Ports.free(), settings.durable(), logDir().resolve("tenant-postgres.log"),
                    settings.stateDir().resolve("keys/tenant-postgres")));
        }
        return tenant;
    }

    public ServiceProcess api() {
        return api;
    }

    public ServiceProcess harvester() {
        return harvester;
    }

    public ServiceProcess policy() {
        return policy;
    }

    public List<ServiceProcess> workers() {
        return List.copyOf(workers);
    }

    public String apiUrl() {
        return api.baseUrl();
    }

    /** The one directory the platform's filesystem connections may use. */
    public Path filesRoot() {
        return settings.stateDir().resolve("files");
    }

    public Path logDir() {
        return settings.stateDir().resolve("logs");
    }

    /** A token signed with this platform's dev key, valid for an hour. */
    public String mintToken(String subject, Map<String, String> workspaceRoles) {
        return DevTokens.mint(keys.privateKey(), subject, workspaceRoles, Duration.ofHours(1));
    }

    /** Stops the services, then Kafka, then PostgreSQL. */
    @Override
    public void close() {
        List<ServiceProcess> all;
        synchronized (services) {
            all = new ArrayList<>(services);
        }
        all.stream().map(p -> CompletableFuture.runAsync(p::stop, Processes.OWN_THREAD)).toList().forEach(CompletableFuture::join);
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
        PostgresServer tenantServer;
        synchronized (this) {
            tenantServer = tenant;
        }
        if (tenantServer != null) {
            tenantServer.stop();
        }
    }


    /** Where and how the platform runs. */
    public record Settings(Path root, Path stateDir, int kafkaPort, int kafkaControllerPort, int postgresPort,
            int apiPort, int workerPort, int harvesterPort, int policyPort, String externalDbUrl, boolean durable,
            int workers, Map<String, String> overrides) {

        public Settings {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(stateDir, "stateDir");
            overrides = Map.copyOf(overrides == null ? Map.of() : overrides);
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Builds settings; every port defaults to a free one. */
        public static final class Builder {
            private Path root;
            private Path stateDir;
            private int kafkaPort;
            private int kafkaControllerPort;
            private int postgresPort;
            private int apiPort;
            private int workerPort;
            private int harvesterPort;
            private int policyPort;
            private String externalDbUrl;
            private boolean durable;
            private int workers = 1;
            private final Map<String, String> overrides = new java.util.LinkedHashMap<>();

            public Builder root(Path v) { root = v; return this; }
            public Builder stateDir(Path v) { stateDir = v; return this; }
            public Builder kafkaPort(int v) { kafkaPort = v; return this; }
            public Builder kafkaControllerPort(int v) { kafkaControllerPort = v; return this; }
            public Builder postgresPort(int v) { postgresPort = v; return this; }
            public Builder apiPort(int v) { apiPort = v; return this; }
            public Builder workerPort(int v) { workerPort = v; return this; }
            public Builder harvesterPort(int v) { harvesterPort = v; return this; }
            public Builder policyPort(int v) { policyPort = v; return this; }
            public Builder externalDbUrl(String v) { externalDbUrl = v; return this; }
            public Builder durable(boolean v) { durable = v; return this; }
            public Builder workers(int v) { workers = v; return this; }
            /** A configuration value every service gets (each reads the keys it knows), e.g. shorter timeouts for tests. */
            public Builder override(String key, String value) { overrides.put(key, value); return this; }

            public Settings build() {
                return new Settings(root.toAbsolutePath().normalize(), stateDir.toAbsolutePath().normalize(),
                        orFree(kafkaPort), orFree(kafkaControllerPort), orFree(postgresPort), orFree(apiPort),
                        orFree(workerPort), orFree(harvesterPort), orFree(policyPort), externalDbUrl, durable,
                        Math.max(1, workers), overrides);
            }

            private static int orFree(int port) {
                return port > 0 ? port : Ports.free();
            }
        }
    }
}
