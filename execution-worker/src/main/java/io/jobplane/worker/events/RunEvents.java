package io.jobplane.worker.events;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.jobplane.events.EventCodec;
import io.jobplane.events.EventRecords;
import io.jobplane.events.EventTypes;
import io.jobplane.events.TraceContext;
import io.jobplane.events.failure.Failures;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunHeartbeat;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskProgress;
import io.jobplane.events.payload.TaskSpec;
import io.jobplane.events.payload.TaskStarted;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.events.trace.Traces;
import io.jobplane.worker.config.WorkerConfig;
import io.jobplane.worker.metrics.WorkerMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Emits a run's lifecycle to {@code jobplane.run-events}, keyed by run id so the events stay in order
 * (one partition per run, an idempotent producer). Nothing here blocks a run thread on the broker:
 * the producer batches what the runs send, and a run thread goes on to the next run while the last
 * one's end is still being acknowledged (a thread that waited for each acknowledgement held its
 * slot idle for most of a short run). A run thread waits only when {@value #OUTSTANDING} of its
 * events are still unacknowledged, so a slow or absent broker slows the runs down instead of
 * losing their events or growing memory without end. Heartbeats never wait (they come from the
 * consumer and timer threads) and have the rest of the emitter's buffer to themselves.
 * <p>
 * End events ({@code jobplane.task.finished}, {@code jobplane.run.finished}) are never dropped: each
 * is cut to fit {@code jobplane.worker.max-event-bytes} (its error text shortened, with a marker,
 * {@link EventBounds}), and a send that fails is sent again with backoff until the broker has it; one
 * the broker refuses as too large anyway is cut harder first. The run's end completes only then, and
 * the dispatcher keeps the run's heartbeats going until it does, so a run that ran is not taken for
 * lost and run again. Other events (starts, progress, log lines) that fail are logged and dropped.
 * <p>
 * Every event of a run carries the trace context of the run's span (before it starts: of the span that
 * processed its command), and the run's and its tasks' spans start here (docs/tracing.md).
 */
@ApplicationScoped
public class RunEvents {

    private static final Logger LOG = Logger.getLogger(RunEvents.class);
    /** The span of a run's execution on a worker. */
    public static final String RUN_SPAN = "run";
    /** The span of one task's execution, tries included. */
    public static final String TASK_SPAN = "task";
    /** Events of run threads that may await the broker at once; the emitter buffers twice as many. */
    static final int OUTSTANDING = 8192;

    private final MutinyEmitter<String> emitter;
    private final Semaphore outstanding = new Semaphore(OUTSTANDING);
    /** An end event the broker refused as too large even so is cut to this many bytes of error text. */
    static final int REFUSED_ERROR_BYTES = 4096;
    private static final long MAX_RETRY_DELAY_MILLIS = 30_000;

    private final String workerId;
    private final String source;
    private final long maxEventBytes;
    private final Tracer tracer;
    /** The trace context each held run's events carry, by run id. */
    private final Map<String, TraceContext> traces = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "run-event-retry");
        t.setDaemon(true);
        return t;
    });

    private final WorkerMetrics metrics;

    @Inject
    public RunEvents(@Channel("run-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
            MutinyEmitter<String> emitter, WorkerConfig config, WorkerMetrics metrics, Tracer tracer) {
        this.emitter = emitter;
        this.metrics = metrics;
        this.tracer = tracer;
        this.workerId = config.workerId();
        this.source = "/jobplane/execution-worker/" + workerId;
        this.maxEventBytes = config.maxEventBytes();
    }

    /** Without exported metrics or recorded spans (unit tests). */
    public RunEvents(MutinyEmitter<String> emitter, WorkerConfig config) {
        this(emitter, config, WorkerMetrics.unexported(), OpenTelemetry.noop().getTracer("jobplane"));
    }

    @PreDestroy
    void shutdown() {
        retries.shutdownNow();
    }

    public String workerId() {
        return workerId;
    }

    /** The run's events carry {@code trace} from now (null: none). */
    public void traced(String runId, TraceContext trace) {
        if (trace == null) {
            traces.remove(runId);
        } else {
            traces.put(runId, trace);
        }
    }

    /** The run is no longer held here: its trace context is forgotten. */
    public void untraced(String runId) {
        traces.remove(runId);
    }

    /** Starts the run's span, a child of the span its events carried so far; they carry the run's span from now. */
    public Span startRun(LaunchCommand run) {
        Span span = tracer.spanBuilder(RUN_SPAN).setParent(Traces.parent(traces.get(run.runId())))
                .setAttribute(Traces.RUN_ID, run.runId()).setAttribute("jobplane.attempt", run.attempt())
                .setAttribute("jobplane.job_type", String.valueOf(run.jobType())).startSpan();
        traced(run.runId(), Traces.of(span));
        return span;
    }

    /** Starts a task's span, a child of the run's. */
    public Span startTask(LaunchCommand run, TaskSpec task) {
        return tracer.spanBuilder(TASK_SPAN).setParent(Traces.parent(traces.get(run.runId())))
                .setAttribute(Traces.RUN_ID, run.runId()).setAttribute("jobplane.task_index", task.index()).startSpan();
    }

    public void runStarted(LaunchCommand run) {
        metrics.runStarted(run);
        send(EventTypes.RUN_STARTED, run.runId(),
                new RunStarted(run.runId(), run.attempt(), run.workspace(), run.jobId(), workerId, Instant.now()));
    }

    /** The run's end; completes when the broker has it (sent again until it does). */
    public CompletableFuture<Void> runFinished(LaunchCommand run, RunStatus status, String error, String errorCode) {
        Instant at = Instant.now();
        metrics.runFinished(run);
        return sendEnd(EventTypes.RUN_FINISHED, run.runId(), e -> new RunFinished(run.runId(), run.attempt(), run.workspace(),
                run.jobId(), status, e, at, errorCode, workerId), error);
    }

    public void taskStarted(LaunchCommand run, TaskSpec task) {
        metrics.taskStarted(run, task);
        send(EventTypes.TASK_STARTED, run.runId(), new TaskStarted(run.runId(), run.attempt(), run.workspace(),
                task.taskId(), task.index(), Instant.now()));
    }

    /** A task's end; sent again until the broker has it. */
    public CompletableFuture<Void> taskFinished(LaunchCommand run, TaskSpec task, TaskStatus status, Long rows, String error) {
        Instant at = Instant.now();
        metrics.taskFinished(run, task, status);
        return sendEnd(EventTypes.TASK_FINISHED, run.runId(), e -> new TaskFinished(run.runId(), run.attempt(), run.workspace(),
                task.taskId(), task.index(), status, rows, e, at), error);
    }

    /** How far a task has got: rows and bytes read so far in this try. */
    public void taskProgress(LaunchCommand run, TaskSpec task, long rows, long bytes) {
        send(EventTypes.TASK_PROGRESS, run.runId(), new TaskProgress(run.runId(), run.attempt(), run.workspace(),
                task.taskId(), task.index(), rows, bytes, Instant.now()));
    }

    /** Completes when the broker has the heartbeat; the command is acknowledged only then. */
    public CompletableFuture<Void> heartbeat(LaunchCommand run, String state) {
        return sendAsync(EventTypes.RUN_HEARTBEAT, run.runId(), new RunHeartbeat(run.runId(), run.attempt(),
                run.workspace(), run.jobId(), workerId, state, Instant.now()));
    }

    public void log(LaunchCommand run, TaskSpec task, long seq, String level, String message, boolean truncated) {
        sendPaced(EventTypes.RUN_LOG, run.runId(), new RunLog(run.runId(), run.attempt(), run.workspace(),
                task == null ? null : task.taskId(), task == null ? null : task.index(), seq, level, message, truncated,
                Instant.now()))
                .exceptionally(e -> {
                    // Log lines are many; a broker outage is reported by the lifecycle events instead.
                    LOG.debugf("run %s: a log line was not sent: %s", run.runId(), e.getMessage());
                    return null;
                });
    }

    /** An end event, cut to fit and sent until the broker has it; the future completes then. */
    private CompletableFuture<Void> sendEnd(String type, String runId, Function<String, Object> payload, String error) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        String json = fitted(type, runId, payload, error, maxEventBytes);
        sendPacedText(runId, json).whenComplete((ok, failure) -> settleEnd(type, runId, payload, error, failure, 0, done));
        return done;
    }

    private String fitted(String type, String runId, Function<String, Object> payload, String error, long limit) {
        TraceContext trace = traces.get(runId);
        return EventBounds.fit(e -> EventCodec.encode(source, type, runId, payload.apply(e), trace), error, limit);
    }

    private void settleEnd(String type, String runId, Function<String, Object> payload, String error, Throwable failure,
            int tries, CompletableFuture<Void> done) {
        if (failure == null) {
            done.complete(null);
            return;
        }
        boolean refused = Failures.isPoison(failure);
        String next = refused && error != null ? EventBounds.cut(error, REFUSED_ERROR_BYTES) : error;
        long delay = Math.min(MAX_RETRY_DELAY_MILLIS, 250L << Math.min(tries, 10));
        LOG.warnf("run %s: event %s not on record yet (%s)%s; sending it again in %d ms", runId, type, failure.getMessage(),
                refused ? ", refused as too large: its error text is cut harder" : "", delay);
        try {
            retries.schedule(() -> {
                String json = fitted(type, runId, payload, next, refused ? Math.min(maxEventBytes, 64 * 1024) : maxEventBytes);
                CompletableFuture<Void> sent;
                try {
                    sent = sendAsyncText(runId, json);
                } catch (RuntimeException e) {
                    sent = CompletableFuture.failedFuture(e);
                }
                sent.whenComplete((ok, again) -> settleEnd(type, runId, payload, next, again, tries + 1, done));
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(failure); // shutting down: the supervisor's heartbeat timeout takes over
        }
    }

    private CompletableFuture<Void> sendPacedText(String runId, String json) {
        outstanding.acquireUninterruptibly();
        try {
            return sendAsyncText(runId, json).whenComplete((done, failure) -> outstanding.release());
        } catch (RuntimeException e) {
            outstanding.release();
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> sendAsyncText(String runId, String json) {
        return emitter.sendMessage(Message.of(json).addMetadata(EventRecords.cloudEvent(runId))).subscribeAsCompletionStage();
    }

    private void send(String type, String runId, Object payload) {
        sendPaced(type, runId, payload).exceptionally(e -> {
            LOG.warnf("run %s: event %s was not sent: %s", runId, type, e.getMessage());
            return null;
        });
    }

    /** Sends from a run thread, which waits while {@value #OUTSTANDING} events are unacknowledged. */
    private CompletableFuture<Void> sendPaced(String type, String runId, Object payload) {
        outstanding.acquireUninterruptibly();
        try {
            return sendAsync(type, runId, payload).whenComplete((done, failure) -> outstanding.release());
        } catch (RuntimeException e) {
            outstanding.release();
            throw e;
        }
    }

    private CompletableFuture<Void> sendAsync(String type, String runId, Object payload) {
        return emitter.sendMessage(message(type, runId, payload)).subscribeAsCompletionStage();
    }

    private Message<String> message(String type, String runId, Object payload) {
        return Message.of(EventCodec.encode(source, type, runId, payload, traces.get(runId)))
                .addMetadata(EventRecords.cloudEvent(runId));
    }
}
