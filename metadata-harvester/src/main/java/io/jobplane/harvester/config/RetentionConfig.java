package io.jobplane.harvester.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the read model is purged by the workspaces' retention policies: {@code jobplane.retention.*} (docs/operating-runs.md, "Retention"). */
@ConfigMapping(prefix = "jobplane.retention")
public interface RetentionConfig {
    /** Whether this replica purges at all. */
    @WithDefault("true")
    boolean enabled();

    /** How often a sweep purges a round of batches. */
    @WithDefault("1m")
    Duration sweepInterval();

    /** Runs (with their task runs and log lines) deleted per transaction. */
    @WithDefault("1000")
    int batchSize();

    /** Runs whose log lines one logs batch deletes (a run has up to a few thousand lines). */
    @WithDefault("100")
    int logBatchRuns();

    /** Batches (of either kind) one sweep may run in all, so a backlog is worked off over several sweeps. */
    @WithDefault("10")
    int maxBatchesPerSweep();
}
