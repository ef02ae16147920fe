package io.jobplane.api.job.settings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How a run executes (CData {@code Enable_Parallel_Processing}, {@code Worker_Pool}, {@code Verbosity},
 * {@code Pre_Job_Event}, {@code Post_Job_Event}), how many of the job's runs may be active at once,
 * the per-task and per-run timeouts, the retry policy, the pool its runs take slots of and their
 * default priority.
 */
public record Execution(
        @Schema(description = "Run tasks in parallel, worker_pool at a time; default false") Boolean enableParallelProcessing,
        @Schema(description = "Tasks run at once when parallel processing is on; default 1") @Min(1) @Max(64) Integer workerPool,
        @Schema(description = "Log verbosity: 1 error, 2 info, 3 transfer, 5 verbose; default 2") Verbosity verbosity,
        @Schema(description = "Code of the event run before the tasks") @Size(max = 65536) String preJobEvent,
        @Schema(description = "Code of the event run after the tasks") @Size(max = 65536) String postJobEvent,
        @Schema(description = "Runs of this job active at once; more wait QUEUED and start in order. Absent: no limit") @Min(1) @Max(1000) Integer maxActiveRuns,
        @Schema(description = "A task running longer is cancelled in the database and fails. Absent: no limit") @Min(1) @Max(604_800) Integer taskTimeoutSeconds,
        @Schema(description = "A run running longer in all (its tasks, retries and job events) is stopped and fails RUN_TIMEOUT. Absent: no limit") @Min(1) @Max(MAX_RUN_TIMEOUT_SECONDS) Integer runTimeoutSeconds,
        @Valid Retry retry,
        @Schema(description = "The workspace pool (PUT /api/v1/workspaces/{ws}/pools/{name}) the job's runs take slots of; a run holds them from admission until it ends. Absent: none")
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", message = "must name a pool: 1 to 64 letters, digits, '_', '.' or '-'") String pool,
        @Schema(description = "Slots of the pool each run takes, at most the pool's; default 1") @Min(1) @Max(10_000) Integer poolSlots,
        @Schema(description = "The priority of the job's runs when a launch gives none: admission takes higher first; default 0") @Min(MIN_PRIORITY) @Max(MAX_PRIORITY) Integer priority) {

    /** The lowest and highest run priority. */
    public static final int MIN_PRIORITY = -100;
    public static final int MAX_PRIORITY = 100;

    /** The longest run timeout: 30 days. */
    public static final int MAX_RUN_TIMEOUT_SECONDS = 2_592_000;

    static final Execution DEFAULT = new Execution(false, 1, Verbosity.INFO, null, null, null, null, null, Retry.DEFAULT, null, null, 0);

    /** Settings without a pool or priority. */
    public Execution(Boolean enableParallelProcessing, Integer workerPool, Verbosity verbosity, String preJobEvent,
            String postJobEvent, Integer maxActiveRuns, Integer taskTimeoutSeconds, Integer runTimeoutSeconds, Retry retry) {
        this(enableParallelProcessing, workerPool, verbosity, preJobEvent, postJobEvent, maxActiveRuns, taskTimeoutSeconds,
                runTimeoutSeconds, retry, null, null, null);
    }

    /** The same settings with this pool, slots and priority. */
    public Execution withPool(String poolName, Integer slots, Integer runPriority) {
        return new Execution(enableParallelProcessing, workerPool, verbosity, preJobEvent, postJobEvent, maxActiveRuns,
                taskTimeoutSeconds, runTimeoutSeconds, retry, poolName, slots, runPriority);
    }

    Execution withDefaults() {
        return new Execution(enableParallelProcessing != null && enableParallelProcessing,
                workerPool == null ? 1 : workerPool, verbosity == null ? Verbosity.INFO : verbosity, preJobEvent,
                postJobEvent, maxActiveRuns, taskTimeoutSeconds, runTimeoutSeconds, retry == null ? Retry.DEFAULT : retry.withDefaults(),
                pool, pool == null ? null : poolSlots == null ? 1 : poolSlots, priority == null ? 0 : priority);
    }
}
