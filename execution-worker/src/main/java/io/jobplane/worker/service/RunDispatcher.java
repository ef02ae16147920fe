package io.jobplane.worker.service;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.jobplane.events.TraceContext;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.RunTimeout;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.worker.config.WorkerConfig;
import io.jobplane.worker.events.RunEvents;
import io.jobplane.worker.executor.JobEvents;
import io.jobplane.worker.executor.JobExecutor;
import io.jobplane.worker.executor.RunControl;
import io.jobplane.worker.executor.RunOutcome;
import io.jobplane.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * Accepts run attempts from the command stream and executes them on a bounded pool of worker
 * threads, never on the Kafka or event-loop threads. A run is accepted only into a free slot
 * ({@code jobplane.worker.max-concurrent-runs}): {@link #accept} waits for one, which holds the
 * command consumer back, so commands beyond this worker's slots stay in Kafka, uncommitted, rather than
 * in a queue here that a crash would lose. A slot is freed when its run's thread is done; the run's
 * heartbeats go on until its end event is on record. Keeps the attempts it holds so a cancel can
 * reach them and so each sends a heartbeat every {@code jobplane.worker.heartbeat-interval}.
 * Fencing by attempt: a newer attempt of a run supersedes (cancels) an older one held here, and an
 * attempt already accepted or older than one seen is not run again.
 */
@ApplicationScoped
public class RunDispatcher {

    private static final Logger LOG = Logger.getLogger(RunDispatcher.class);
    /** How many runs are remembered: attempts seen (redeliveries) and cancels that came before their launch. */
    private static final int REMEMBERED = 100_000;
    private static final long CANCEL_REPEAT_MILLIS = 500;

    private final RunEvents events;
    private final Instance<JobExecutor> executors;
    private final JobEvents jobEvents;
    private final WorkerConfig config;
    private final ExecutorService pool;
    /** One permit per run slot: taken when a run is accepted, given back when its thread is done. */
    private final Semaphore slots;
    private final ScheduledExecutorService timers;
    private final Map<String, RunControl> active = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> repeatingCancels = new ConcurrentHashMap<>();
    /** Highest attempt seen per run id. */
    private final Map<String, Integer> seen = bounded();
    /** Runs cancelled before this worker held them: run id → attempt cancelled (0 = any). */
    private final Map<String, Integer> cancelledEarly = bounded();

    public RunDispatcher(RunEvents events, Instance<JobExecutor> executors, JobEvents jobEvents, WorkerConfig config,
            WorkerMetrics metrics) {
        this.events = events;
        this.executors = executors;
        this.jobEvents = jobEvents;
        this.config = config;
        this.pool = Executors.newFixedThreadPool(config.maxConcurrentRuns(), daemonThreads("run-executor-"));
        this.slots = new Semaphore(config.maxConcurrentRuns(), true);
        this.timers = Executors.newScheduledThreadPool(1, daemonThreads("run-timer-"));
        long every = config.heartbeatInterval().toMillis();
        timers.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        Gauge.builder("jobplane.worker.slots.busy", this, RunDispatcher::busySlots).strongReference(true)
                .description("Run slots of this worker in use").register(metrics.registry());
        Gauge.builder("jobplane.worker.slots.capacity", config, c -> c.maxConcurrentRuns()).strongReference(true)
                .description("Run slots of this worker (jobplane.worker.max-concurrent-runs)").register(metrics.registry());
    }

    /**
     * An attempt taken into a run slot: the future of its {@code ACCEPTED} heartbeat, and how to start
     * it. The command consumer starts it once the command is committed, so that a worker killed after
     * it ran the attempt never has the command delivered again to another (which would run the work
     * twice); {@link #start} runs at most once.
     */
    public record Taken(CompletableFuture<Void> announced, Runnable start) {

        static final Taken NOTHING = new Taken(CompletableFuture.completedFuture(null), () -> {
        });
    }

    /**
     * Takes the attempt into a run slot and announces it with an {@code ACCEPTED} heartbeat; the
     * returned {@link Taken#announced} completes when the broker has that heartbeat, and the command may
     * be acknowledged then; {@link Taken#start} starts it. A redelivered or outdated attempt is ignored
     * (nothing to wait for or start). Waits for a free run slot first; the caller (the command consumer)
     * waits with it: {@link #hasFreeSlot} says beforehand whether it would.
     */
    public Taken accept(LaunchCommand run, TraceContext trace) {
        synchronized (seen) {
            Integer before = seen.get(run.runId());
            if (before != null && before >= run.attempt()) {
                LOG.infof("run %s attempt %d: already seen attempt %d here; ignoring the redelivery", run.runId(),
                        run.attempt(), before);
                return Taken.NOTHING;
            }
        }
        // A newer attempt stops the older one held here before waiting for a slot, which that one may hold.
        RunControl superseded = active.get(run.runId());
        if (superseded != null && superseded.run().attempt() < run.attempt()) {
            LOG.warnf("run %s: attempt %d supersedes attempt %d held here; stopping the old one", run.runId(),
                    run.attempt(), superseded.run().attempt());
            superseded.cancel();
        }
        if (!slots.tryAcquire()) {
            LOG.debugf("run %s: all %d run slots are busy; waiting for one before reading further commands", run.runId(),
                    config.maxConcurrentRuns());
            slots.acquireUninterruptibly();
        }
        boolean handedOver = false;
        try {
            Taken taken = take(run, trace);
            handedOver = taken != null;
            return handedOver ? taken : Taken.NOTHING;
        } finally {
            if (!handedOver) {
                slots.release();
            }
        }
    }

    /** Whether {@link #accept} would find a run slot free without waiting (only the command consumer takes slots). */
    public boolean hasFreeSlot() {
        return slots.availablePermits() > 0;
    }

    /** Runs in use now (tests and metrics). */
    public int busySlots() {
        return config.maxConcurrentRuns() - slots.availablePermits();
    }

    /** Takes the attempt into the slot held; null when it is not to run here after all (seen meanwhile). */
    private Taken take(LaunchCommand run, TraceContext trace) {
        synchronized (seen) {
            Integer before = seen.get(run.runId());
            if (before != null && before >= run.attempt()) {
                LOG.infof("run %s attempt %d: already seen attempt %d here; ignoring the redelivery", run.runId(),
                        run.attempt(), before);
                return null;
            }
            seen.put(run.runId(), run.attempt());
        }
        RunControl control = new RunControl(run, events, config.logLinesPerTask());
        Integer cancelled = cancelledEarly.remove(run.runId());
        if (cancelled != null && (cancelled == 0 || cancelled == run.attempt())) {
            control.cancel();
        }
        active.put(run.runId(), control);
        events.traced(run.runId(), trace);
        CompletableFuture<Void> announced = events.heartbeat(run, "ACCEPTED");
        AtomicBoolean started = new AtomicBoolean();
        LOG.debugf("run %s attempt %d accepted", run.runId(), run.attempt());
        return new Taken(announced, () -> {
            if (started.compareAndSet(false, true)) {
                pool.execute(() -> execute(run, control));
            }
        });
    }

    /** Cancels the attempt this worker holds; remembers the cancel when it holds none yet. */
    public boolean cancel(CancelCommand cancel) {
        if (cancel.workerId() != null && !cancel.workerId().equals(events.workerId())) {
            return false;
        }
        RunControl control = active.get(cancel.runId());
        if (control == null || (cancel.attempt() != null && cancel.attempt() != control.run().attempt())) {
            if (control == null) {
                cancelledEarly.put(cancel.runId(), cancel.attempt() == null ? 0 : cancel.attempt());
            }
            return false;
        }
        LOG.infof("run %s: cancel requested by %s", cancel.runId(), cancel.requestedBy());
        control.cancel();
        events.heartbeat(control.run(), control.state());
        repeatInterrupts(control);
        return true;
    }

    /** Interrupts the work of a cancelled run again and again until it ends (see {@link RunControl#interruptAgain}). */
    private void repeatInterrupts(RunControl control) {
        String runId = control.run().runId();
        repeatingCancels.computeIfAbsent(runId, id -> timers.scheduleWithFixedDelay(control::interruptAgain,
                CANCEL_REPEAT_MILLIS, CANCEL_REPEAT_MILLIS, TimeUnit.MILLISECONDS));
        if (!active.containsKey(runId)) {
            // The run ended while the repetition was being set up; nothing will stop it otherwise.
            stopRepeating(runId);
        }
    }

    /**
     * Stops the run at its {@code execution.run_timeout_seconds}, counted from its start here, whatever
     * it is doing then (a statement, a retry's backoff, between tasks); null when it has no timeout.
     */
    private ScheduledFuture<?> limitTime(LaunchCommand run, RunControl control) {
        RunTimeout timeout = RunTimeout.of(run.settings());
        if (timeout == null) {
            return null;
        }
        Instant startedAt = Instant.now();
        return timers.schedule(() -> {
            String why = timeout.message(startedAt, Instant.now());
            if (control.timeOut(why)) {
                LOG.warnf("run %s attempt %d: %s", run.runId(), run.attempt(), why);
                events.heartbeat(run, control.state());
                repeatInterrupts(control);
            }
        }, timeout.seconds(), TimeUnit.SECONDS);
    }

    /** Sends the heartbeat of a held run again; completes at once when the run is no longer held. */
    public CompletableFuture<Void> announceAgain(String runId) {
        RunControl control = active.get(runId);
        return control == null ? CompletableFuture.completedFuture(null) : events.heartbeat(control.run(), control.state());
    }

    private void heartbeat() {
        for (RunControl control : active.values()) {
            events.heartbeat(control.run(), control.state()).exceptionally(e -> {
                LOG.warnf("run %s: heartbeat not sent: %s", control.run().runId(), e.getMessage());
                return null;
            });
        }
    }

    private void execute(LaunchCommand run, RunControl control) {
        MDC.put("run_id", run.runId());
        CompletableFuture<Void> ended = null;
        ScheduledFuture<?> deadline = null;
        Span span = events.startRun(run);
        try (Scope current = span.makeCurrent()) {
            if (control.isCancelled()) {
                skipAll(run);
                ended = finish(run, RunOutcome.stopped());
                return;
            }
            control.markStarted();
            deadline = limitTime(run, control);
            events.runStarted(run);
            Optional<JobExecutor> executor = executorFor(run.jobType());
            if (executor.isEmpty()) {
                skipAll(run);
                ended = finish(run, RunOutcome.failed("NO_EXECUTOR", "this worker has no executor for job type " + run.jobType()));
                return;
            }
            control.progress(null, "attempt " + run.attempt() + " started on worker " + events.workerId());
            RunOutcome outcome = jobEvents.run(run, control, JobEvents.PRE, "PRE_JOB_EVENT_FAILED");
            if (outcome != null) {
                skipAll(run);
            } else {
                outcome = afterTasks(run, control, executor.get().execute(run, control));
            }
            if (control.timedOut() != null && outcome.status() != RunStatus.SUCCESS) {
                outcome = RunOutcome.failed(RunTimeout.CODE, control.timedOut());
            }
            if (outcome.errorMessage() == null) {
                control.progress(null, "run " + outcome.status());
            } else {
                control.log(null, "ERROR", "run " + outcome.status() + ": " + outcome.errorMessage());
            }
            ended = finish(run, outcome);
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s failed unexpectedly", run.runId());
            ended = finishQuietly(run, RunOutcome.failed("WORKER_ERROR", "worker error: " + e.getMessage()));
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            span.end();
            stopRepeating(run.runId());
            slots.release();
            MDC.remove("run_id");
            if (ended == null) {
                release(run, control);
            } else {
                // Heartbeats go on until the end is on record: a run that ran must not look lost.
                ended.whenComplete((done, failure) -> release(run, control));
            }
        }
    }

    private void release(LaunchCommand run, RunControl control) {
        if (active.remove(run.runId(), control)) {
            events.untraced(run.runId());
        }
    }

    /**
     * The post-job event runs after the tasks, whatever their outcome, unless the run was cancelled.
     * Its failure fails a run whose tasks succeeded; after failed tasks it is logged, and the tasks'
     * failure stays the run's.
     */
    private RunOutcome afterTasks(LaunchCommand run, RunControl control, RunOutcome tasks) {
        if (tasks.status() == RunStatus.STOPPED) {
            return tasks;
        }
        RunOutcome post = jobEvents.run(run, control, JobEvents.POST, "POST_JOB_EVENT_FAILED");
        if (post == null || tasks.status() == RunStatus.SUCCESS || post.status() == RunStatus.STOPPED) {
            return post == null ? tasks : post;
        }
        control.log(null, "ERROR", post.errorMessage());
        return tasks;
    }

    private void skipAll(LaunchCommand run) {
        run.tasks().stream()
                .sorted(Comparator.comparingInt(TaskSpec::index))
                .forEach(t -> events.taskFinished(run, t, TaskStatus.SKIPPED, null, null));
    }

    private CompletableFuture<Void> finish(LaunchCommand run, RunOutcome outcome) {
        // The run's span (current on the run thread) says how it ended; a failure by its code only.
        Span span = Span.current();
        span.setAttribute("jobplane.run_status", String.valueOf(outcome.status()));
        if (outcome.status() == RunStatus.FAILED) {
            span.setStatus(StatusCode.ERROR, String.valueOf(outcome.errorCode()));
        }
        CompletableFuture<Void> ended = events.runFinished(run, outcome.status(), outcome.errorMessage(), outcome.errorCode());
        LOG.infof("run %s attempt %d finished %s", run.runId(), run.attempt(), outcome.status());
        return ended;
    }

    /** Last resort after an unexpected error, which may be the event channel itself failing. */
    private CompletableFuture<Void> finishQuietly(LaunchCommand run, RunOutcome outcome) {
        try {
            return finish(run, outcome);
        } catch (RuntimeException e) {
            LOG.errorf("run %s: could not report its end: %s", run.runId(), e.getMessage());
            return null;
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

    private static <V> Map<String, V> bounded() {
        return Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED;
            }
        });
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
        timers.shutdownNow();
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
