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

    /**
     * Runs executing at the same time. A launch is taken from {@code jobplane.commands} only when a slot
     * is free: while all are busy the worker reads no further commands (they wait in Kafka, uncommitted,
     * for this worker or another).
     */
    @WithDefault("16")
    int maxConcurrentRuns();

    /** How often every held run sends a heartbeat; job-api's worker-lost bound must be several of these. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * The largest run or task end event, in bytes of its JSON: a longer error text is cut to fit, with a
     * marker. Must stay under {@code jobplane.run-events}' {@code max.message.bytes} and the producer's
     * {@code max.request.size} (1 MiB each by default) by the record's framing.
     */
    @WithDefault("983040")
    int maxEventBytes();

    /**
     * job-api's base URL, where STEPS runs' packages are fetched by their hash (its internal endpoint,
     * with a short-lived token made from the secrets keyring). The worker's own fetch; tenant
     * connections of runs never reach this address (it is a platform endpoint to the egress policy).
     */
    @WithDefault("http://127.0.0.1:8080")
    String apiUrl();

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
