package io.jobplane.api.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Cron schedules: {@code jobplane.schedules.*}. */
@ConfigMapping(prefix = "jobplane.schedules")
public interface SchedulesConfig {

    /** How often each replica looks for due schedule ticks. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * A tick fired later than this after its time was missed (no scheduler ran): the job's
     * {@code schedule.misfire_policy} decides whether it runs.
     */
    @WithDefault("60s")
    Duration misfireThreshold();
}
