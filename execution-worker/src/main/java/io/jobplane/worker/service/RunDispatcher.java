package io.jobplane.worker.service;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.worker.config.WorkerConfig;
import io.jobplane.worker.events.RunEvents;
import io.jobplane.worker.executor.JobExecutor;
import io.jobplane.worker.executor.RunControl;
import io.jobplane.worker.executor.RunOutcome;

/**
 * Accepts runs from the command stream and executes them on a bounded pool of worker threads,
 * never on the Kafka or event-loop threads. Keeps the runs it holds so a cancel can reach them.
 */
@ApplicationScoped
public class RunDispatcher {

    private static final Logger LOG = Logger.getLogger(RunDispatcher.class);

    private final RunEvents events;
    private final Instance<JobExecutor> executors;
    private final ExecutorService pool;
    private final Map<String, RunControl> active = new ConcurrentHashMap<>();
    /** (run id, attempt) pairs this worker already accepted: a redelivered command is not run twice. */
    private final Map<String, Boolean> accepted = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 100_000;
                }
            });

    public RunDispatcher(RunEvents events, Instance<JobExecutor> executors, WorkerConfig config) {
        this.events = events;
        this.executors = executors;
        this.pool = Executors.newFixedThreadPool(config.maxConcurrentRuns(), r -> {
            Thread t = new Thread(r, "run-executor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues the run for execution; false when this worker already accepted that attempt. */
    public boolean accept(LaunchCommand run) {
        if (accepted.putIfAbsent(run.runId() + "#" + run.attempt(), Boolean.TRUE) != null) {
            LOG.infof("run %s attempt %d was already accepted here; ignoring the redelivery", run.runId(), run.attempt());
            return false;
        }
        RunControl control = new RunControl(events);
        active.put(run.runId(), control);
        pool.execute(() -> execute(run, control));
        return true;
    }

    /** Cancels a run this worker holds, queued or running; false when it holds no such run. */
    public boolean cancel(String runId) {
        RunControl control = active.get(runId);
        if (control == null) {
            return false;
        }
        LOG.infof("run %s: cancel requested", runId);
        control.cancel();
        return true;
    }

    private void execute(LaunchCommand run, RunControl control) {
        MDC.put("run_id", run.runId());
        try {
            if (control.isCancelled()) {
                finish(run, RunOutcome.stopped(), control);
                return;
            }
            events.runStarted(run);
            Optional<JobExecutor> executor = executorFor(run.jobType());
            RunOutcome outcome = executor.isPresent() ? executor.get().execute(run, control)
                    : RunOutcome.failed("this worker has no executor for job type " + run.jobType());
            finish(run, outcome, control);
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s failed unexpectedly", run.runId());
            finish(run, RunOutcome.failed("worker error: " + e.getMessage()), control);
        } finally {
            active.remove(run.runId());
            MDC.remove("run_id");
        }
    }

    private void finish(LaunchCommand run, RunOutcome outcome, RunControl control) {
        RunStatus status = control.isCancelled() ? RunStatus.STOPPED : outcome.status();
        String error = status == RunStatus.STOPPED ? RunOutcome.stopped().errorMessage() : outcome.errorMessage();
        events.runFinished(run, status, error);
        LOG.infof("run %s finished %s", run.runId(), status);
    }

    private Optional<JobExecutor> executorFor(String jobType) {
        return executors.stream().filter(e -> e.jobTypes().contains(jobType)).findFirst();
    }

    @PreDestroy
    void shutdown() {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
