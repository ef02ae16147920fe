package io.jobplane.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** One packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) running as its own JVM. */
public final class ServiceProcess extends ManagedProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int httpPort;
    private final Path logFile;

    private ServiceProcess(String name, int httpPort, Path logFile, ProcessHandle process) {
        super(Duration.ofSeconds(20));
        this.name = name;
        this.httpPort = httpPort;
        this.logFile = logFile;
        attach(process);
    }

    /** Up to this many processors the services run with the quick (C1) compiler alone. */
    static final int QUICK_COMPILER_MAX_CPUS = 4;

    /** Starts the service, owned by this JVM. */
    public static ServiceProcess start(String name, Path quarkusRunJar, int httpPort, Map<String, String> systemProperties,
            Path logFile) {
        return start(name, quarkusRunJar, httpPort, systemProperties, logFile, false);
    }

    /** Starts the service; a detached one outlives this JVM (the local stack). */
    public static ServiceProcess start(String name, Path quarkusRunJar, int httpPort, Map<String, String> systemProperties,
            Path logFile, boolean detached) {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new StackException(name + " is not built (" + quarkusRunJar + " is missing): run ./mvnw install -DskipTests");
        }
        // A fixed heap with a large young generation: a service's garbage is almost all per request
        // or per event, so a roomy eden means few, short collections (a growing 64 MB heap paused
        // every ~50 ms under load and ran full collections). Compiled code stays compiled: Java 17's
        // code-cache sweeper flushed a service's hot methods while it idled between bursts, and it
        // then spent up to half its CPU compiling them again under the next load (the option is
        // gone from later JDKs, whose code cache has no sweeper; they ignore it).
        List<String> command = new ArrayList<>(List.of(Processes.javaBinary(), "-Xms384m", "-Xmx384m", "-Xmn192m",
                "-XX:+UseSerialGC", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:-UseCodeCacheFlushing"));
        // On a machine of few cores the services share them with each other, Kafka and PostgreSQL, and
        // the optimising compiler took over a third of each service's CPU for many minutes (it kept
        // compiling as the load moved on): there the quick compiler alone runs the stack faster, and at
        // full speed from its first minute (docs/benchmarks.md).
        if (Runtime.getRuntime().availableProcessors() <= QUICK_COMPILER_MAX_CPUS) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        // Operators' own JVM options (a larger heap, other compiler settings) come last, so they win.
        String extra = System.getenv("JOBPLANE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        Map<String, String> props = new TreeMap<>(systemProperties);
        props.put("quarkus.http.port", String.valueOf(httpPort));
        props.putIfAbsent("quarkus.http.host", "127.0.0.1");
        // The configuration holds secrets (the sealing key, database passwords): it goes to an
        // owner-only file, never onto the command line, where any local user could read it.
        Path config = writeConfig(logFile.toAbsolutePath().getParent().resolveSibling("conf").resolve(name + ".properties"),
                props);
        command.add("-Dquarkus.config.locations=" + config.toUri());
        command.add("-Djobplane.service=" + name);
        command.add("-jar");
        command.add(quarkusRunJar.toAbsolutePath().toString());
        Process started = Processes.start(command, logFile, detached);
        return new ServiceProcess(name, httpPort, logFile.toAbsolutePath(), started.toHandle());
    }

    private static Path writeConfig(Path file, Map<String, String> props) {
        Properties p = new Properties();
        // Above application.properties (250) and below system properties and the environment.
        p.setProperty("config_ordinal", "270");
        p.putAll(props);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(out, "written by the jobplane local stack at each start; owner-only: it holds secrets");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write service configuration " + file, e);
        }
    }

    /** A handle on a service some earlier command started (from its recorded pid). */
    public static ServiceProcess attach(String name, long pid, int httpPort, Path logFile) {
        return new ServiceProcess(name, httpPort, logFile, ProcessHandle.of(pid).orElse(null));
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log's tail otherwise. */
    public ServiceProcess awaitHealthy(Duration timeout) {
        Processes.await(name + " on port " + httpPort, timeout, this::isHealthy, this::isAlive, logFile);
        return this;
    }

    /** True when the readiness check answers 200 now. */
    public boolean isHealthy() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public Path logFile() {
        return logFile;
    }
}
