package io.jobplane.api.job.settings;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How a run executes (CData {@code Enable_Parallel_Processing}, {@code Worker_Pool}, {@code Verbosity},
 * {@code Pre_Job_Event}, {@code Post_Job_Event}).
 */
public record Execution(
        @Schema(description = "Run tasks in parallel, worker_pool at a time; default false") Boolean enableParallelProcessing,
        @Schema(description = "Tasks run at once when parallel processing is on; default 1") @Min(1) @Max(64) Integer workerPool,
        @Schema(description = "Log verbosity: 1 error, 2 info, 3 transfer, 5 verbose; default 2") Verbosity verbosity,
        @Schema(description = "Code of the event run before the tasks") @Size(max = 65536) String preJobEvent,
        @Schema(description = "Code of the event run after the tasks") @Size(max = 65536) String postJobEvent) {

    static final Execution DEFAULT = new Execution(false, 1, Verbosity.INFO, null, null);

    Execution withDefaults() {
        return new Execution(enableParallelProcessing != null && enableParallelProcessing,
                workerPool == null ? 1 : workerPool, verbosity == null ? Verbosity.INFO : verbosity, preJobEvent,
                postJobEvent);
    }
}
