package io.jobplane.api.stream;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.logging.Logger;

import io.jobplane.api.config.RunStreamConfig;
import io.jobplane.events.EventTypes;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

/**
 * One open stream on this replica. The shared consumer's thread hands it the events of its workspace
 * ({@link #live}) and its heartbeats ({@link #tick}); they wait in a queue bounded by count and bytes
 * until the client's connection takes them (the HTTP layer asks for the next event once the last one
 * is written). A client that falls behind the bound, or takes nothing for {@code slow-client-timeout}
 * while events wait, is disconnected: it loses nothing, since it reconnects with the id of the last
 * event it got and is replayed the rest. Nobody else waits for it.
 */
final class StreamSubscriber {

    private static final Logger LOG = Logger.getLogger(StreamSubscriber.class);

    private final String workspace;
    private final boolean logs;
    private final Sse sse;
    /** Closes the client's connection. */
    private final Runnable disconnect;
    private final RunStreamConfig limits;
    private final UnicastProcessor<Item> queue = UnicastProcessor.create(new ConcurrentLinkedQueue<>(), null);
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong waitingBytes = new AtomicLong();
    private volatile long lastTaken = System.nanoTime();
    private volatile long lastOffered = System.nanoTime();
    private volatile boolean closed;
    /** Live events below it (per partition) were replayed or came before the stream: set once, when registered. */
    private StreamPosition floor;
    /** The id of the last event offered; only the consumer's thread changes it. */
    private StreamPosition cursor;

    StreamSubscriber(String workspace, boolean logs, Sse sse, Runnable disconnect, RunStreamConfig limits) {
        this.workspace = workspace;
        this.logs = logs;
        this.sse = sse;
        this.disconnect = disconnect;
        this.limits = limits;
    }

    String workspace() {
        return workspace;
    }

    /** Called under the feed's lock when registered: the first position live events start from. */
    void start(StreamPosition from) {
        this.floor = from;
        this.cursor = from;
    }

    StreamPosition floor() {
        return floor;
    }

    boolean wants(String type) {
        return logs || !EventTypes.RUN_LOG.equals(type);
    }

    /** The live part of the stream: what the consumer offered, as the client takes it. */
    Multi<OutboundSseEvent> events() {
        return queue.onItem().invoke(item -> {
            waiting.decrementAndGet();
            waitingBytes.addAndGet(-item.bytes());
            lastTaken = System.nanoTime();
        }).map(Item::event);
    }

    /** The replay is over: silence from now on counts against the client. */
    void liveStarted() {
        lastTaken = System.nanoTime();
    }

    /** An event of this workspace; {@code position} is where the shared consumer stands after it. */
    void live(StreamEvent event, StreamPosition position) {
        if (closed || event.offset() < floor.next(event.partition()) || !wants(event.type())) {
            return;
        }
        cursor = cursor.max(position);
        offer(event(sse, event.type(), event.cloudEvent(), cursor), event.bytes());
    }

    /** Sends a heartbeat after silence, and disconnects a client that stopped taking events. */
    void tick(long now) {
        if (closed) {
            return;
        }
        if (waiting.get() > 0 && now - lastTaken > limits.slowClientTimeout().toNanos()) {
            drop("it took no event for " + limits.slowClientTimeout().toSeconds() + " s");
        } else if (now - lastOffered > limits.heartbeat().toNanos()) {
            offer(sse.newEventBuilder().comment("keep-alive").build(), 64);
        }
    }

    private void offer(OutboundSseEvent event, long bytes) {
        if (waiting.get() >= limits.bufferEvents() || waitingBytes.get() + bytes > limits.bufferBytes().asLongValue()) {
            drop("it is " + waiting.get() + " events (" + waitingBytes.get() + " bytes) behind and the next is " + bytes
                    + " bytes");
            return;
        }
        waiting.incrementAndGet();
        waitingBytes.addAndGet(bytes);
        lastOffered = System.nanoTime();
        queue.onNext(new Item(event, bytes));
    }

    /** Ends the stream now: closes the client's connection, whatever is still queued. */
    void drop(String why) {
        if (closed) {
            return;
        }
        closed = true;
        LOG.infof("Run stream of workspace %s disconnected: %s (the client resumes with Last-Event-ID)", workspace, why);
        queue.onComplete();
        disconnect.run();
    }

    /** Ends the stream when this replica stops. */
    void complete() {
        closed = true;
        queue.onComplete();
    }

    boolean closed() {
        return closed;
    }

    /** An SSE event of the stream: the CloudEvent as data, its type as name, the position as id. */
    static OutboundSseEvent event(Sse sse, String name, String data, StreamPosition id) {
        OutboundSseEvent.Builder builder = sse.newEventBuilder().name(name).data(String.class, data)
                .mediaType(MediaType.TEXT_PLAIN_TYPE);
        if (id != null) {
            builder.id(id.id());
        }
        return builder.build();
    }

    private record Item(OutboundSseEvent event, long bytes) {
    }
}
