package io.jobplane.api.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the outbox relay drains: {@code jobplane.outbox.*}. */
@ConfigMapping(prefix = "jobplane.outbox")
public interface OutboxConfig {
    /** How often the relay looks for rows it was not told about (other replicas, restarts, failures). */
    @WithDefault("500ms")
    Duration pollInterval();

    /** Records relayed per transaction. */
    @WithDefault("500")
    int batchSize();
}
