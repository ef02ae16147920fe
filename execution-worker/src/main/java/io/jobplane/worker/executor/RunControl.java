package io.jobplane.worker.executor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.worker.events.RunEvents;

/**
 * What an executor needs from the worker while it runs one attempt: where to report, its log,
 * whether the run was cancelled, and hooks that interrupt the work in progress when it is.
 * Each running task registers its own interrupter.
 */
public final class RunControl {

    private static final Logger LOG = Logger.getLogger(RunControl.class);
    private static final int MAX_LINE = 4096;

    private final LaunchCommand run;
    private final RunEvents events;
    private final int linesPerTask;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Why the run was stopped for time; null while it was not. */
    private volatile String timedOut;
    private final CountDownLatch cancelSignal = new CountDownLatch(1);
    private final Map<String, Interrupter> interrupters = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, AtomicInteger> linesSent = new ConcurrentHashMap<>();

    public RunControl(LaunchCommand run, RunEvents events, int linesPerTask) {
        this.run = run;
        this.events = events;
        this.linesPerTask = linesPerTask;
    }

    /** Something that stops work in progress, e.g. {@code Statement::cancel}. */
    @FunctionalInterface
    public interface Interrupter {
        void interrupt() throws Exception;
    }

    public LaunchCommand run() {
        return run;
    }

    public RunEvents events() {
        return events;
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    public void markStarted() {
        started.set(true);
    }

    /** What the heartbeat reports: ACCEPTED until the run starts, then RUNNING or CANCELLING. */
    public String state() {
        return cancelled.get() ? "CANCELLING" : started.get() ? "RUNNING" : "ACCEPTED";
    }

    /** Marks the run cancelled and interrupts the work in progress, if any. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            cancelSignal.countDown();
            interruptAll();
        }
    }

    /**
     * Stops the run because it ran out of time ({@code execution.run_timeout_seconds}): cancels it
     * like a cancel request, and remembers why, so it ends FAILED rather than STOPPED. False when
     * it was cancelled already (a cancel request stays one).
     */
    public boolean timeOut(String why) {
        if (cancelled.get()) {
            return false;
        }
        timedOut = why;
        if (cancelled.compareAndSet(false, true)) {
            cancelSignal.countDown();
            interruptAll();
            return true;
        }
        timedOut = null;
        return false;
    }

    /** Why the run was stopped for time; null when it was not. */
    public String timedOut() {
        return timedOut;
    }

    /**
     * Interrupts the work in progress again if the run is cancelled. A first interrupt can land
     * after the work registered but before it really started (a JDBC driver ignores a cancel for a
     * statement that is not executing yet); repeating it until the work ends closes that gap.
     */
    public void interruptAgain() {
        if (cancelled.get()) {
            interruptAll();
        }
    }

    /**
     * Registers how to interrupt the task that starts now ({@code null} when it has ended); tasks
     * running at once each register their own. If the run was cancelled in between, the
     * interrupter fires at once, so no cancel slips through the gap.
     */
    public void interruptWith(String taskId, Interrupter action) {
        if (action == null) {
            interrupters.remove(taskId);
            return;
        }
        interrupters.put(taskId, action);
        if (cancelled.get()) {
            fire(action);
        }
    }

    /** Waits up to {@code duration} (a retry's backoff); true when the run was cancelled meanwhile. */
    public boolean sleepUnlessCancelled(Duration duration) {
        try {
            return cancelSignal.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * A log line of the run ({@code task} null) or of one task, capped per task. Errors are always
     * logged; warnings and the database's notices from verbosity 2 on.
     */
    public void log(TaskSpec task, String level, String message) {
        if (!"ERROR".equals(level) && run.settingsOrDefault().verbosity() < 2) {
            return;
        }
        send(task, level, message);
    }

    /** What the task's work reports through: progress events, INFO log lines, the run's cancel flag. */
    public TaskListener listener(TaskSpec task) {
        return new TaskListener() {
            @Override
            public void progress(long units, long bytes) {
                events.taskProgress(run, task, units, bytes);
            }

            @Override
            public void log(String message) {
                RunControl.this.log(task, "INFO", message);
            }

            @Override
            public boolean cancelled() {
                return isCancelled();
            }
        };
    }

    /** A progress line (a task started, a run ended): logged from verbosity 3 on. */
    public void progress(TaskSpec task, String message) {
        if (run.settingsOrDefault().verbosity() >= 3) {
            send(task, "INFO", message);
        }
    }

    private void send(TaskSpec task, String level, String message) {
        String key = task == null ? "" : task.taskId();
        int n = linesSent.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (n > linesPerTask + 1) {
            return;
        }
        String line = message == null ? "" : message;
        if (line.length() > MAX_LINE) {
            line = line.substring(0, MAX_LINE) + "… (" + (line.length() - MAX_LINE) + " more characters)";
        }
        boolean truncated = n == linesPerTask + 1;
        if (truncated) {
            line = "log of this task truncated after " + linesPerTask + " lines";
        }
        events.log(run, task, seq.incrementAndGet(), level, line, truncated);
    }

    private void interruptAll() {
        interrupters.values().forEach(this::fire);
    }

    private void fire(Interrupter action) {
        if (action == null) {
            return;
        }
        try {
            action.interrupt();
        } catch (Exception e) {
            LOG.warnf("run %s: could not interrupt the running task: %s", run.runId(), e.getMessage());
        }
    }
}
