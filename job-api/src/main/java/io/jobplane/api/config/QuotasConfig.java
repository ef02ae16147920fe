package io.jobplane.api.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What one workspace may ask of the platform: {@code jobplane.quotas.*}. These are the deployment's
 * ceilings; a workspace admin may set tighter ones for their workspace ({@code quotas} of
 * {@code PUT /api/v1/workspaces/{workspace}}), never looser.
 */
@ConfigMapping(prefix = "jobplane.quotas")
public interface QuotasConfig {

    /** Tasks one job may hold. */
    @WithDefault("200")
    int maxTasksPerJob();

    /** The shortest time between two ticks of a job's cron schedule. */
    @WithDefault("60s")
    Duration minScheduleInterval();

    /** Runs one backfill may make. */
    @WithDefault("1000")
    int maxBackfillRuns();

    /** Step package versions kept per job; older ones are deleted at upload, never one a job or an unfinished run uses. */
    @WithDefault("20")
    int packageVersionsKept();

    /** Launches per minute a workspace may send (token bucket, refilled evenly); more answer 429. */
    @WithDefault("600")
    int launchesPerMinute();

    /** Launches a workspace may send at once, above the steady rate, before it is refused. */
    @WithDefault("100")
    int launchBurst();
}
