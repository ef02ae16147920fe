package io.jobplane.worker.service;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
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
    /** How many (run id, attempt) pairs are remembered to recognise a redelivered launch. */
    private static final int REMEMBERED_LAUNCHES = 100_000;
    private static final long CANCEL_REPEAT_MILLIS = 500;

    private final RunEvents events;
    private final Instance<JobExecutor> executors;
    private final ExecutorService pool;
    private final ScheduledExecutorService cancelRepeater;
    private final Map<String, RunControl> active = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> repeatingCancels = new ConcurrentHashMap<>();
    private final Set<String> accepted = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_LAUNCHES;
                }
            }));

    public RunDispatcher(RunEvents events, Instance<JobExecutor> executors, WorkerConfig config) {
        this.events = events;
        this.executors = executors;
        this.pool = Executors.newFixedThreadPool(config.maxConcurrentRuns(), daemonThreads("run-executor-"));
        this.cancelRepeater = Executors.newSingleThreadScheduledExecutor(daemonThreads("run-cancel-"));
    }

    /** Queues the run for execution; false when this worker already accepted that attempt. */
    public boolean accept(LaunchCommand run) {
        if (!accepted.add(run.runId() + "#" + run.attempt())) {
            LOG.infof("run %s attempt %d was already accepted here; ignoring the redelivery", run.runId(), run.attempt());
            return false;
        }
        RunControl control = new RunControl(run.runId(), events);
        active.put(run.runId(), control);
        pool.execute(() -> execute(run, control));
        LOG.debugf("run %s attempt %d accepted", run.runId(), run.attempt());
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
        repeatingCancels.computeIfAbsent(runId, id -> cancelRepeater.scheduleWithFixedDelay(control::interruptAgain,
                CANCEL_REPEAT_MILLIS, CANCEL_REPEAT_MILLIS, TimeUnit.MILLISECONDS));
        if (!active.containsKey(runId)) {
            // The run ended while the repetition was being set up; nothing will stop it otherwise.
            stopRepeating(runId);
        }
        return true;
    }

    private void execute(LaunchCommand run, RunControl control) {
        MDC.put("run_id", run.runId());
        try {
            if (control.isCancelled()) {
                skipAll(run);
                finish(run, RunOutcome.stopped());
                return;
            }
            events.runStarted(run);
            Optional<JobExecutor> executor = executorFor(run.jobType());
            if (executor.isEmpty()) {
                skipAll(run);
                finish(run, RunOutcome.failed("this worker has no executor for job type " + run.jobType()));
                return;
            }
            finish(run, executor.get().execute(run, control));
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s failed unexpectedly", run.runId());
            finishQuietly(run, RunOutcome.failed("worker error: " + e.getMessage()));
        } finally {
            active.remove(run.runId());
            stopRepeating(run.runId());
            MDC.remove("run_id");
        }
    }

    private void skipAll(LaunchCommand run) {
        run.tasks().stream()
                .sorted(Comparator.comparingInt(TaskSpec::index))
                .forEach(t -> events.taskFinished(run, t, TaskStatus.SKIPPED, null, null));
    }

    private void finish(LaunchCommand run, RunOutcome outcome) {
        events.runFinished(run, outcome.status(), outcome.errorMessage());
        LOG.infof("run %s finished %s", run.runId(), outcome.status());
    }

    /** Last resort after an unexpected error, which may be the event channel itself failing. */
    private void finishQuietly(LaunchCommand run, RunOutcome outcome) {
        try {
            finish(run, outcome);
        } catch (RuntimeException e) {
            LOG.errorf("run %s: could not report its end: %s", run.runId(), e.getMessage());
        }
    }

    private void stopRepeating(String runId) {
        ScheduledFuture<?> repeating = repeatingCancels.remove(runId);
        if (repeating != null) {
            repeating.cancel(false);
        }
    }

    private Optional<JobExecutor> executorFor(String jobType) {
        return executors.stream().filter(e -> e.jobTypes().contains(jobType)).findFirst();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    void shutdown() {
        cancelRepeater.shutdownNow();
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
