package io.jobplane.worker.executor;

import java.util.Set;

import io.jobplane.events.payload.LaunchCommand;

/**
 * Runs the tasks of the job types it names. A new job type plugs in as another CDI bean
 * implementing this interface. Implementations report each task through {@link RunControl#events()}
 * and stop promptly when the run is cancelled.
 */
public interface JobExecutor {

    /** Job types (e.g. {@code TABLE_TO_TABLE}) this executor runs. */
    Set<String> jobTypes();

    /** Executes every task of the run in order and says how the run ended. */
    RunOutcome execute(LaunchCommand run, RunControl control);
}
