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

    /**
     * The relay vacuums {@code api.outbox} itself after this many relayed rows (at most once a
     * second): every relayed row is a dead one, the relay reads the table from its oldest row, and
     * autovacuum visits a database at most once a minute; 0 leaves it to autovacuum.
     */
    @WithDefault("20000")
    int vacuumEvery();
}
