package io.jobplane.worker.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.jobplane.events.EventCodec;
import io.jobplane.events.EventRecords;
import io.jobplane.events.TraceContext;
import io.jobplane.events.trace.Traces;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * One run's keyed CloudEvents to a topic whose every record must arrive (a run's catalog or policy changes):
 * the run thread waits only when {@value #OUTSTANDING} of its sends are unacknowledged, so a slow broker
 * slows the run down rather than growing memory; {@link #flush} returns once all are acknowledged and
 * fails when any was not, so a run never ends SUCCESS with a change lost. An event larger than the topic
 * takes fails at once, naming what it was. Used by one run, from one thread. The events carry the trace
 * context current when it was made (the run's span, docs/tracing.md).
 */
public final class AcknowledgedSends {

    static final int OUTSTANDING = 1024;

    private final MutinyEmitter<String> emitter;
    private final String source;
    private final long maxEventBytes;
    private final TraceContext trace = Traces.current();
    private final Semaphore outstanding = new Semaphore(OUTSTANDING);
    private final Map<String, Long> sent = new TreeMap<>();
    private final List<CompletableFuture<Void>> pending = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public AcknowledgedSends(MutinyEmitter<String> emitter, String source, long maxEventBytes) {
        this.emitter = emitter;
        this.source = source;
        this.maxEventBytes = maxEventBytes;
    }

    /** An event too large for the topic. */
    public static final class TooLargeException extends RuntimeException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** An event the broker did not take. */
    public static final class NotSentException extends RuntimeException {
        NotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Sends an event of {@code type} under {@code key}; {@code what} names it in errors. */
    public void send(String type, String key, Object payload, String what) {
        throwIfFailed();
        String json = EventCodec.encode(source, type, key, payload, trace);
        if (json.length() > maxEventBytes / 4 && json.getBytes(StandardCharsets.UTF_8).length > maxEventBytes) {
            throw new TooLargeException("the change for " + what + " is larger than an event may be (" + maxEventBytes
                    + " bytes)");
        }
        try {
            outstanding.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotSentException("interrupted while sending the run's changes", e);
        }
        CompletableFuture<Void> sending;
        try {
            sending = emitter.sendMessage(Message.of(json).addMetadata(EventRecords.cloudEvent(key))).subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            outstanding.release();
            throw new NotSentException("a change could not be sent: " + e.getMessage(), e);
        }
        pending.add(sending.whenComplete((ok, error) -> {
            outstanding.release();
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        }));
        sent.merge(type, 1L, Long::sum);
        if (pending.size() >= OUTSTANDING * 4) {
            pending.removeIf(CompletableFuture::isDone);
        }
    }

    /** Returns once every event sent so far is acknowledged; throws when one was not. */
    public void flush() {
        try {
            for (CompletableFuture<Void> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotSentException("interrupted while the run's changes were being sent", e);
        } catch (ExecutionException e) {
            // Recorded by the future's own handler.
        }
        pending.clear();
        throwIfFailed();
    }

    /** How many events of each type were sent. */
    public Map<String, Long> sent() {
        return Map.copyOf(sent);
    }

    private void throwIfFailed() {
        Throwable failed = failure.get();
        if (failed != null) {
            throw new NotSentException("a change was not taken by the broker: " + failed.getMessage(), failed);
        }
    }
}
