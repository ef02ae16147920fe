package io.jobplane.worker.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStatus;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * The tasks of one attempt and how they went, whatever a task does: each is reported started and
 * finished, tried again per the job's retry settings (backoff doubling, with jitter: each wait is
 * between half and all of it) unless its failure is permanent, skipped once the run is
 * cancelled or an earlier task failed without {@code continue_on_error}. Shared by the threads of
 * a parallel run.
 */
public final class TaskSequence {

    private static final Logger LOG = Logger.getLogger(TaskSequence.class);

    /** One try of a task. */
    @FunctionalInterface
    public interface Attempt {
        TaskResult once();
    }

    private final LaunchCommand run;
    private final RunControl control;
    private final RunSettings settings;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean skipRest = new AtomicBoolean();

    public TaskSequence(LaunchCommand run, RunControl control) {
        this.run = run;
        this.control = control;
        this.settings = run.settingsOrDefault();
    }

    /** Runs the task (unless the run is already over) and records how it ended. */
    public void run(TaskSpec task, String description, Attempt attempt) {
        if (skipRest.get() || control.isCancelled()) {
            stopped.compareAndSet(false, control.isCancelled());
            control.events().taskFinished(run, task, TaskStatus.SKIPPED, null, null);
            return;
        }
        Span span = control.events().startTask(run, task);
        TaskResult result;
        try {
            control.events().taskStarted(run, task);
            control.progress(task, "task " + task.index() + " started: " + abbreviate(description));
            result = attempts(task, attempt);
            control.events().taskFinished(run, task, result.status(), result.rowsAffected(), result.errorMessage());
            if (result.status() == TaskStatus.FAILED) {
                span.setStatus(StatusCode.ERROR, "task failed");
            }
        } finally {
            span.end();
        }
        if (result.status() == TaskStatus.STOPPED) {
            stopped.set(true);
            skipRest.set(true);
        } else if (result.status() == TaskStatus.FAILED) {
            failures.add("task " + task.index() + " (" + task.taskId() + ") failed: " + result.errorMessage());
            if (!run.continueOnError()) {
                skipRest.set(true);
            }
        }
    }

    /**
     * Reads the task's text with {@code parse} (which throws {@link IllegalArgumentException}
     * saying how to write it), then runs it; a task that does not read fails without a try.
     */
    public <S> void run(TaskSpec task, java.util.function.Function<String, S> parse, java.util.function.Function<S, Attempt> attempt) {
        S statement;
        try {
            statement = parse.apply(task.query());
        } catch (IllegalArgumentException e) {
            run(task, task.query(), () -> TaskResult.invalid(e.getMessage()));
            return;
        }
        run(task, task.query(), attempt.apply(statement));
    }

    /** The task could not even start (e.g. no connection); it fails without a try. */
    public void failed(TaskSpec task, String why) {
        control.events().taskFinished(run, task, TaskStatus.FAILED, null, why);
        failures.add("task " + task.index() + " (" + task.taskId() + ") failed: " + why);
        skipRest.compareAndSet(false, !run.continueOnError());
    }

    private TaskResult attempts(TaskSpec task, Attempt attempt) {
        Duration backoff = Duration.ofSeconds(settings.retryBackoffSeconds());
        for (int n = 1;; n++) {
            TaskResult result = attempt.once();
            if (result.status() != TaskStatus.FAILED || !result.retryable() || n >= settings.taskAttempts()) {
                String line = "task " + task.index() + " " + result.status()
                        + (result.rowsAffected() == null ? "" : ", " + result.rowsAffected() + " rows")
                        + (result.errorMessage() == null ? "" : ": " + result.errorMessage());
                if (result.status() == TaskStatus.SUCCESS) {
                    control.progress(task, line);
                } else {
                    control.log(task, "ERROR", line);
                }
                return result;
            }
            Duration wait = jittered(backoff);
            control.log(task, "WARN", "task " + task.index() + " failed (try " + n + " of " + settings.taskAttempts()
                    + "): " + result.errorMessage() + "; trying again in " + seconds(wait));
            if (control.sleepUnlessCancelled(wait)) {
                return TaskResult.stopped("cancelled while waiting to retry");
            }
            backoff = backoff.multipliedBy(2);
        }
    }

    /**
     * Between half and all of {@code backoff}, at random: runs that failed together (a database
     * restarted under them) do not all come back in the same instant.
     */
    static Duration jittered(Duration backoff) {
        long full = backoff.toMillis();
        return Duration.ofMillis(full - java.util.concurrent.ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Whether every task ended normally, so sessions it used may serve another run. */
    public boolean clean() {
        return failures.isEmpty() && !stopped.get() && !control.isCancelled();
    }

    public RunOutcome outcome() {
        if (stopped.get()) {
            return RunOutcome.stopped();
        }
        return failures.isEmpty() ? RunOutcome.success() : RunOutcome.failed("TASK_FAILED", String.join("; ", failures));
    }

    /**
     * Runs every task in order, or {@code worker_pool} at a time when the job asks for parallel
     * processing (each on a thread of its own); returns when all are done.
     */
    public static void each(LaunchCommand run, List<TaskSpec> tasks, Consumer<TaskSpec> body) {
        RunSettings settings = run.settingsOrDefault();
        if (settings.parallel() && settings.workerPool() > 1 && tasks.size() > 1) {
            runParallel(run, tasks, settings.workerPool(), body);
        } else {
            tasks.forEach(body);
        }
    }

    /** Runs every task on a thread of its own, {@code pool} at a time, and waits for all of them. */
    public static void runParallel(LaunchCommand run, List<TaskSpec> tasks, int pool, Consumer<TaskSpec> body) {
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(pool, tasks.size()), r -> {
            Thread t = new Thread(r, "run-" + run.runId() + "-task");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (TaskSpec task : tasks) {
                running.add(threads.submit(() -> body.accept(task)));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.errorf(e.getCause(), "run %s: a task thread failed", run.runId());
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** The run cannot reach a connection: every task is skipped and the run fails saying why. */
    public static RunOutcome unavailable(LaunchCommand run, RunControl control, List<TaskSpec> tasks, String code, String why) {
        LOG.warnf("run %s: %s", run.runId(), why);
        control.log(null, "ERROR", why);
        tasks.forEach(t -> control.events().taskFinished(run, t, TaskStatus.SKIPPED, null, null));
        return RunOutcome.failed(code, why);
    }

    static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
