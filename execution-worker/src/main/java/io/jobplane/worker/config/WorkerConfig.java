package io.jobplane.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this worker identifies itself, how much it runs at once, how it reports: {@code jobplane.worker.*}. */
@ConfigMapping(prefix = "jobplane.worker")
public interface WorkerConfig {
    /** Shown in run events; defaults to host name and pid. */
    Optional<String> id();

    /** Runs executing at the same time; more wait in this worker's queue (and keep heartbeating). */
    @WithDefault("16")
    int maxConcurrentRuns();

    /** How often every held run sends a heartbeat; job-api's worker-lost bound must be several of these. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /** Log lines sent per task before the rest are counted and dropped. */
    @WithDefault("1000")
    int logLinesPerTask();

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
