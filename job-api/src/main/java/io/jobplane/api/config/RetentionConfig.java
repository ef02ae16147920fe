package io.jobplane.api.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long runs and logs are kept, and how the purge goes: {@code jobplane.retention.*} (docs/operating-runs.md, "Retention"). */
@ConfigMapping(prefix = "jobplane.retention")
public interface RetentionConfig {
    /** Days log lines are kept after their run ended, for a workspace that set no policy. */
    @WithDefault("90")
    int defaultLogsDays();

    /** Days ended runs (and their task runs) are kept, for a workspace that set no policy. */
    @WithDefault("400")
    int defaultRunsDays();

    /** Whether this replica purges at all (the read model purges by the announced policies either way). */
    @WithDefault("true")
    boolean enabled();

    /** How often each replica's sweeper purges a round of batches. */
    @WithDefault("1m")
    Duration sweepInterval();

    /** Runs deleted per transaction. */
    @WithDefault("1000")
    int batchSize();

    /** Batches one sweep may delete in all, so a backlog is worked off over several sweeps. */
    @WithDefault("10")
    int maxBatchesPerSweep();

    /** How often every workspace's policy is announced again to the read model (jobplane.workspace.retention). */
    @WithDefault("1h")
    Duration announceInterval();
}
