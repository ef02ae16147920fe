package io.jobplane.systemtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.jobplane.stack.Platform;
import io.jobplane.stack.Ports;

/** The whole platform for one system-test class: the four services as processes, on free ports, in a fresh folder. */
public final class SystemPlatform {

    private SystemPlatform() {
    }

    /** Starts it with its state under {@code system-tests/target/<prefix>-<uuid>}, nothing kept after it stops. */
    public static Platform startOnFreePorts(String prefix) throws Exception {
        return startOnFreePorts(prefix, Map.of());
    }

    /** {@link #startOnFreePorts(String)} with configuration {@code overrides} for every service. */
    public static Platform startOnFreePorts(String prefix, Map<String, String> overrides) throws Exception {
        Path root = Path.of(System.getProperty("jobplane.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createDirectories(root.resolve("system-tests/target/" + prefix + "-" + UUID.randomUUID()));
        Platform.Settings.Builder settings = Platform.Settings.builder();
        overrides.forEach(settings::override);
        return Platform.start(settings
                .root(root)
                .stateDir(state)
                .kafkaPort(Ports.free()).kafkaControllerPort(Ports.free()).postgresPort(Ports.free())
                .apiPort(Ports.free()).workerPort(Ports.free()).harvesterPort(Ports.free()).policyPort(Ports.free())
                .durable(false)
                .build());
    }
}
