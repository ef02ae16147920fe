package io.jobplane.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this worker identifies itself and how much it runs at once: {@code jobplane.worker.*}. */
@ConfigMapping(prefix = "jobplane.worker")
public interface WorkerConfig {
    /** Shown in run events; defaults to host name and pid. */
    Optional<String> id();

    /** Runs executing at the same time; more wait in this worker's queue. */
    @WithDefault("8")
    int maxConcurrentRuns();

    /** The id to use: configured, or host name and pid. */
    default String workerId() {
        return id().orElseGet(() -> {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "worker";
            }
            return host + "-" + ProcessHandle.current().pid();
        });
    }
}
