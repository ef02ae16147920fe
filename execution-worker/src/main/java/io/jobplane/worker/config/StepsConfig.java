package io.jobplane.worker.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How {@code STEPS} jobs' process steps are started: {@code jobplane.worker.steps.*}. */
@ConfigMapping(prefix = "jobplane.worker.steps")
public interface StepsConfig {

    /** The interpreter of {@code .py} steps (a command on the PATH, or a path). */
    @WithDefault("python3")
    String pythonCommand();

    /** The shell of {@code .sh} steps. */
    @WithDefault("bash")
    String shellCommand();

    /** How long a step process may run when the job sets no task_timeout_seconds. */
    @WithDefault("6h")
    Duration timeout();
}
