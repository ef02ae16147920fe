package io.jobplane.worker.events;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.jobplane.events.EventCodec;
import io.jobplane.events.EventRecords;
import io.jobplane.events.EventTypes;
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
import io.jobplane.worker.config.WorkerConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Emits a run's lifecycle to {@code jobplane.run-events}, keyed by run id so the events stay in order
 * (one partition per run, an idempotent producer). Nothing here blocks a run thread on the broker:
 * the producer batches what the runs send, and a run thread goes on to the next run while the last
 * one's end is still being acknowledged (a thread that waited for each acknowledgement held its
 * slot idle for most of a short run). A run thread waits only when {@value #OUTSTANDING} of its
 * events are still unacknowledged, so a slow or absent broker slows the runs down instead of
 * losing their events or growing memory without end. Heartbeats never wait (they come from the
 * consumer and timer threads) and have the rest of the emitter's buffer to themselves. A send that
 * fails is logged; a run whose end never reached the broker is retried by the supervisor's
 * heartbeat timeout.
 */
@ApplicationScoped
public class RunEvents {

    private static final Logger LOG = Logger.getLogger(RunEvents.class);
    /** Events of run threads that may await the broker at once; the emitter buffers twice as many. */
    static final int OUTSTANDING = 8192;

    private final MutinyEmitter<String> emitter;
    private final Semaphore outstanding = new Semaphore(OUTSTANDING);
    private final String workerId;
    private final String source;

    public RunEvents(@Channel("run-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
            MutinyEmitter<String> emitter, WorkerConfig config) {
        this.emitter = emitter;
        this.workerId = config.workerId();
        this.source = "/jobplane/execution-worker/" + workerId;
    }

    public String workerId() {
        return workerId;
    }

    public void runStarted(LaunchCommand run) {
        send(EventTypes.RUN_STARTED, run.runId(),
                new RunStarted(run.runId(), run.attempt(), run.workspace(), run.jobId(), workerId, Instant.now()));
    }

    public void runFinished(LaunchCommand run, RunStatus status, String error, String errorCode) {
        send(EventTypes.RUN_FINISHED, run.runId(), new RunFinished(run.runId(), run.attempt(), run.workspace(),
                run.jobId(), status, error, Instant.now(), errorCode, workerId));
    }

    public void taskStarted(LaunchCommand run, TaskSpec task) {
        send(EventTypes.TASK_STARTED, run.runId(), new TaskStarted(run.runId(), run.attempt(), run.workspace(),
                task.taskId(), task.index(), Instant.now()));
    }

    public void taskFinished(LaunchCommand run, TaskSpec task, TaskStatus status, Long rows, String error) {
        send(EventTypes.TASK_FINISHED, run.runId(), new TaskFinished(run.runId(), run.attempt(), run.workspace(),
                task.taskId(), task.index(), status, rows, error, Instant.now()));
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
        return Message.of(EventCodec.encode(source, type, runId, payload)).addMetadata(EventRecords.cloudEvent(runId));
    }
}
