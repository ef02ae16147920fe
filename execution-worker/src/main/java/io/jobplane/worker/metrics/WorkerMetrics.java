package io.jobplane.worker.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.TaskSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The run metrics the worker measures (docs/observability.md): runs started, counted where the worker
 * announces an attempt's start (once per attempt: a run retried after a lost worker starts once more),
 * and task durations from a task's start to its end on this worker. Labels are bounded: job type and
 * task status.
 */
@ApplicationScoped
public class WorkerMetrics {

    /** Task durations are counted into these buckets (SLOs), besides their sum and count. */
    private static final Duration[] TASK_BUCKETS = { Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(6) };

    private final MeterRegistry registry;
    /** Tasks started and not yet ended here: run id, attempt and task id → start (System.nanoTime). */
    private final Map<String, Long> running = new ConcurrentHashMap<>();

    @Inject
    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics kept in a registry of their own, nowhere exported (unit tests of the event senders). */
    public static WorkerMetrics unexported() {
        return new WorkerMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void runStarted(LaunchCommand run) {
        Counter.builder("jobplane.runs.started").description("Run attempts started on a worker")
                .tag("job_type", label(run.jobType())).register(registry).increment();
    }

    public void taskStarted(LaunchCommand run, TaskSpec task) {
        running.put(key(run, task), System.nanoTime());
    }

    /** Records the task's duration when it started here; a task skipped without starting has none. */
    public void taskFinished(LaunchCommand run, TaskSpec task, Object status) {
        Long started = running.remove(key(run, task));
        if (started == null) {
            return;
        }
        Timer.builder("jobplane.task.duration").description("Task duration from start to end on a worker")
                .tag("job_type", label(run.jobType())).tag("status", label(status)).serviceLevelObjectives(TASK_BUCKETS)
                .register(registry).record(Duration.ofNanos(System.nanoTime() - started));
    }

    /** Forgets the run's tasks that never reported an end (the run ended without them). */
    public void runFinished(LaunchCommand run) {
        String prefix = run.runId() + "/" + run.attempt() + "/";
        running.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private static String key(LaunchCommand run, TaskSpec task) {
        return run.runId() + "/" + run.attempt() + "/" + task.taskId();
    }

    private static String label(Object value) {
        return value == null ? "UNKNOWN" : value.toString();
    }
}
