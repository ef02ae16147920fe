package io.jobplane.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import io.jobplane.events.secret.SecretKeyring;

/**
 * One real Kafka broker and one real PostgreSQL per test JVM, on free ports, in a fresh folder
 * under {@code target/}, so no test sees another run's messages or rows. Stopped at JVM exit.
 */
public final class TestInfrastructure {

    /** Key id of the test keyring's sealing key. */
    public static final String SECRET_KEY_ID = "test-1";

    private static final Path ROOT = Path.of("target", "jobplane-test-infra");
    /** Pid of the test JVM that owns a run's folder; a run whose owner is gone is cleaned up by the next. */
    private static final String OWNER_FILE = "owner.pid";
    private static final String KAFKA_PID_FILE = "kafka.pid";
    private static final String MARIADB_PID_FILE = "mariadb.pid";
    private static final String TENANT_DIR = "tenant-postgres";

    private static TestInfrastructure shared;
    private static RuntimeException startFailure;

    private final Path dir;
    private final KafkaBroker kafka;
    private final PostgresServer postgres;
    private MariaDbServer mysql;
    private PostgresServer tenant;
    private final DevKeys keys;

    private TestInfrastructure(Path dir, KafkaBroker kafka, PostgresServer postgres, DevKeys keys) {
        this.dir = dir;
        this.kafka = kafka;
        this.postgres = postgres;
        this.keys = keys;
    }

    /** The JVM's infrastructure, started on first use. */
    public static synchronized TestInfrastructure shared() {
        if (startFailure != null) {
            // Every test class asks again; fail at once instead of waiting out the same timeout each time.
            throw new StackException("the test infrastructure failed to start: " + startFailure.getMessage(), startFailure);
        }
        if (shared == null) {
            try {
                reapAbandoned(ROOT.toAbsolutePath());
                shared = startFresh();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            TestInfrastructure started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "jobplane-test-infra-stop"));
        }
        return shared;
    }

    private static TestInfrastructure startFresh() {
        Path dir = ROOT.resolve(UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> {
            KafkaBroker broker = Ports.startOnFreePorts(() -> KafkaBroker.start(dir.resolve("kafka"), Ports.free(), Ports.free(),
                    dir.resolve("kafka.log")));
            writeQuietly(dir.resolve(KAFKA_PID_FILE), Long.toString(broker.pid()));
            return broker;
        }, Processes.OWN_THREAD);
        PostgresServer postgres;
        try {
            postgres = Ports.startOnFreePorts(
                    () -> PostgresServer.start(dir.resolve("postgres"), Ports.free(), false, dir.resolve("postgres.log")));
        } catch (RuntimeException e) {
            // Do not leave a broker behind that no shutdown hook knows about.
            kafka.handle((broker, error) -> {
                if (broker != null) {
                    broker.stop();
                }
                return null;
            }).join();
            throw e;
        }
        KafkaBroker broker;
        try {
            broker = kafka.join();
        } catch (CompletionException e) {
            postgres.stop();
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        return new TestInfrastructure(dir, broker, postgres, DevKeys.ensure(dir.resolve("keys")));
    }

    /**
     * Stops the broker and PostgreSQL of earlier test JVMs that died without running their shutdown
     * hook (killed by a timeout, say), so they do not pile up holding memory and ports.
     */
    static void reapAbandoned(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> runs = Files.list(root)) {
            for (Path run : runs.filter(Files::isDirectory).toList()) {
                long owner = readPid(run.resolve(OWNER_FILE));
                if (owner <= 0 || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Processes.handle(readPid(run.resolve(KAFKA_PID_FILE)))
                        .filter(h -> Processes.commandLine(h).map(c -> c.contains(run.resolve("kafka").toString())).orElse(false))
                        .ifPresent(h -> Processes.stop(h, Duration.ofSeconds(30)));
                Processes.handle(readPid(run.resolve(MARIADB_PID_FILE)))
                        .filter(h -> Processes.commandLine(h).map(c -> c.contains(run.resolve("mariadb").toString())).orElse(false))
                        .ifPresent(h -> Processes.stop(h, Duration.ofSeconds(30)));
                deleteRecursively(run.resolve("mariadb"));
                if (Files.exists(run.resolve("postgres/postmaster.pid"))) {
                    PostgresServer.attach(run.resolve("postgres"), 0, run.resolve("postgres.log")).stop();
                }
                if (Files.exists(run.resolve(TENANT_DIR + "/postmaster.pid"))) {
                    PostgresServer.attach(run.resolve(TENANT_DIR), 0, run.resolve("tenant-postgres.log")).stop();
                }
                deleteRecursively(run.resolve("kafka"));
                deleteRecursively(run.resolve("postgres"));
                deleteRecursively(run.resolve(TENANT_DIR));
                Files.deleteIfExists(run.resolve(OWNER_FILE));
            }
        } catch (IOException | RuntimeException e) {
            // Leftovers are a nuisance, not a reason to fail this run.
            System.err.println("jobplane test infrastructure: could not clean up an earlier run: " + e.getMessage());
        }
    }

    private static long readPid(Path file) {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void writeQuietly(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /**
     * A second PostgreSQL server for tenant data: the databases that connections of tests point at.
     * Tenant connections never reach the platform's own server ({@link #postgres()}), whose address
     * every service's egress policy refuses, so tests create their tenants' databases here. Started on
     * first use (about a second; most test JVMs never need one).
     */
    public synchronized PostgresServer tenant() {
        if (tenant == null) {
            long started = System.nanoTime();
            tenant = Ports.startOnFreePorts(
                    () -> PostgresServer.start(dir.resolve(TENANT_DIR), Ports.free(), false, dir.resolve("tenant-postgres.log")));
            System.err.printf("jobplane test infrastructure: tenant PostgreSQL on port %d started in %d ms%n", tenant.port(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return tenant;
    }

    /**
     * A MariaDB server (MySQL-compatible) for tests of MySQL connections, started on first use only:
     * most test JVMs never need one. Needs the MariaDB binaries artifact on the test classpath.
     */
    public synchronized MariaDbServer mysql() {
        if (mysql == null) {
            mysql = Ports.startOnFreePorts(() -> MariaDbServer.start(dir.resolve("mariadb"), Ports.free(), dir.resolve("mariadb.log")));
            writeQuietly(dir.resolve(MARIADB_PID_FILE), Long.toString(mysql.pid()));
        }
        return mysql;
    }

    /** Signs test tokens ({@link #keys()}.privateKey()) and seals secrets. */
    public DevKeys keys() {
        return keys;
    }

    /** Base64 of the AES key services under test seal secrets with (key id {@link #SECRET_KEY_ID}). */
    public static String secretKeyBase64() {
        return shared().keys.secretKeyBase64();
    }

    /** The keyring services under test use, to seal or open secrets in tests. */
    public SecretKeyring keyring() {
        return new SecretKeyring(SECRET_KEY_ID, Map.of(SECRET_KEY_ID, keys.secretKeyBase64()));
    }

    /**
     * The directory filesystem connections may use in tests (job-api's and the worker's only file
     * root); tests make their folders below it.
     */
    public Path filesRoot() {
        Path root = dir.resolve("files");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /** Configuration that points a Quarkus service under test at this infrastructure. */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new java.util.HashMap<>(Service.egress(postgres));
        config.put("jobplane.connections.filesystem-roots", filesRoot().toString());
        config.put("jobplane.worker.files.roots", filesRoot().toString());
        config.putAll(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(),
                "jobplane.secrets.active-key-id", SECRET_KEY_ID,
                "jobplane.secrets.keys." + SECRET_KEY_ID, keys.secretKeyBase64(),
                "quarkus.oidc.public-key", keys.publicKeyBase64()));
        return Map.copyOf(config);
    }

    private void stop() {
        try {
            kafka.stop();
        } finally {
            postgres.stop();
            PostgresServer tenantServer = tenant;
            if (tenantServer != null) {
                tenantServer.stop();
            }
            MariaDbServer started = mysql;
            if (started != null) {
                started.stop();
            }
        }
        deleteRecursively(dir.resolve("mariadb"));
        // The logs stay for a look after a failed run; the data (a few dozen MB per run) goes.
        deleteRecursively(dir.resolve("kafka"));
        deleteRecursively(dir.resolve("postgres"));
        deleteRecursively(dir.resolve(TENANT_DIR));
        deleteRecursively(dir.resolve(OWNER_FILE));
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort at JVM exit; mvn clean removes the rest.
        }
    }
}
