package io.jobplane.api.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Run supervision: {@code jobplane.runs.*}. */
@ConfigMapping(prefix = "jobplane.runs")
public interface RunsConfig {

    /** A run whose worker sent no heartbeat for this long is retried or failed with WORKER_LOST. */
    @WithDefault("30s")
    Duration workerLostAfter();

    /** How often lost runs are looked for and waiting runs admitted. */
    @WithDefault("5s")
    Duration sweepInterval();

    /**
     * How long after its {@code execution.run_timeout_seconds} a run its worker did not stop is failed
     * RUN_TIMEOUT by the sweeper.
     */
    @WithDefault("5s")
    Duration runTimeoutGrace();

    /** Runs of one workspace active at once; more wait QUEUED. Absent: no limit. */
    Optional<Integer> maxActivePerWorkspace();
}
