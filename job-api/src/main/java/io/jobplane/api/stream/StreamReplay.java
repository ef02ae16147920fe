package io.jobplane.api.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.jobplane.api.config.RunStreamConfig;
import io.jobplane.events.Topics;

/**
 * What a client that reconnects with {@code Last-Event-ID} missed: the workspace's run and task events
 * between its position and where the live stream begins, read again from Kafka by a short-lived reader
 * (manual assignment, no group) that seeks to the client's offsets. Bounded in every direction — how
 * many resumes run at once, how many records one reads, how many events it keeps, how long it takes —
 * and past a bound, or where retention already deleted what the client missed, the client gets a
 * {@code stream.gap} event: reload what the dashboard shows from the REST API, then carry on live.
 */
@ApplicationScoped
public class StreamReplay {

    private static final Logger LOG = Logger.getLogger(StreamReplay.class);
    /** The SSE event that tells a client its view is incomplete. */
    public static final String GAP = "stream.gap";

    private final RunEventFeed feed;
    private final RunStreamConfig config;
    private final Semaphore running;

    public StreamReplay(RunEventFeed feed, RunStreamConfig config) {
        this.feed = feed;
        this.config = config;
        this.running = new Semaphore(Math.max(1, config.maxConcurrentReplays()));
    }

    /** The events to send, in order, and the position after them. */
    public record Result(List<OutboundSseEvent> events, StreamPosition position) {
    }

    /**
     * Reads the records of {@code from} up to (not including) {@code until} for every partition where
     * {@code from} is behind, on the calling (worker) thread. Partitions {@code from} does not name are
     * not replayed. The position returned is {@code from.max(until)}: where live events take over.
     */
    Result replay(String workspace, StreamSubscriber stream, StreamPosition from, StreamPosition until, Sse sse) {
        StreamPosition end = from.max(until);
        List<OutboundSseEvent> out = new ArrayList<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        Map<TopicPartition, Long> starts = new HashMap<>();
        for (int p = 0; p < until.partitions(); p++) {
            long start = from.next(p);
            if (start >= 0 && start < until.next(p)) {
                TopicPartition tp = new TopicPartition(Topics.RUN_EVENTS, p);
                starts.put(tp, start);
                ends.put(tp, until.next(p));
            }
        }
        if (ends.isEmpty()) {
            return new Result(out, end);
        }
        boolean acquired;
        try {
            acquired = running.tryAcquire(config.replayTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            out.add(gap(sse, "busy", "this service is replaying for other clients", end));
            return new Result(out, end);
        }
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(feed.consumerConfig("run-stream-replay"))) {
            reader.assign(ends.keySet());
            Map<TopicPartition, Long> earliest = reader.beginningOffsets(ends.keySet(), config.replayTimeout());
            List<Integer> lost = new ArrayList<>();
            StreamPosition cursor = from;
            for (Map.Entry<TopicPartition, Long> e : starts.entrySet()) {
                long first = Math.max(e.getValue(), earliest.getOrDefault(e.getKey(), 0L));
                if (first > e.getValue()) {
                    lost.add(e.getKey().partition());
                }
                reader.seek(e.getKey(), first);
            }
            if (!lost.isEmpty()) {
                out.add(gap(sse, "retention", "events of partitions " + lost + " were deleted by the topic's retention", null));
            }
            long deadline = System.nanoTime() + config.replayTimeout().toNanos();
            int read = 0;
            int kept = 0;
            Map<TopicPartition, Long> remaining = new HashMap<>(ends);
            for (TopicPartition tp : ends.keySet()) {
                if (reader.position(tp, config.replayTimeout()) >= ends.get(tp)) {
                    remaining.remove(tp);
                }
            }
            reader.pause(ends.keySet().stream().filter(tp -> !remaining.containsKey(tp)).toList());
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline || read >= config.maxReplayRecords() || kept >= config.maxReplayEvents()) {
                    String why = System.nanoTime() > deadline ? "timeout" : "limit";
                    out.add(gap(sse, why, "the client missed more than one resume replays", end));
                    LOG.infof("Run stream replay for workspace %s stopped early (%s) after %d records", workspace, why, read);
                    return new Result(out, end);
                }
                for (ConsumerRecord<String, String> record : reader.poll(java.time.Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    Long stop = remaining.get(tp);
                    if (stop == null || record.offset() >= stop) {
                        continue;
                    }
                    read++;
                    cursor = cursor.after(record.partition(), record.offset());
                    StreamEvent event = StreamEvent.read(record);
                    if (event != null && workspace.equals(event.workspace()) && stream.wants(event.type())) {
                        out.add(StreamSubscriber.event(sse, event.type(), event.cloudEvent(), cursor.max(fill(from, until))));
                        kept++;
                    }
                    if (record.offset() + 1 >= stop) {
                        remaining.remove(tp);
                        reader.pause(List.of(tp));
                    }
                }
                for (TopicPartition tp : List.copyOf(remaining.keySet())) {
                    if (reader.position(tp, config.replayTimeout()) >= remaining.get(tp)) {
                        remaining.remove(tp);
                    }
                }
            }
            return new Result(out, end);
        } catch (RuntimeException e) {
            LOG.warnf("Run stream replay for workspace %s failed: %s", workspace, e.toString());
            out.add(gap(sse, "error", "the events could not be read again", end));
            return new Result(out, end);
        } finally {
            running.release();
        }
    }

    /**
     * The id of a replayed event names, for the partitions the client's id did not, where the live
     * stream begins: they are not replayed.
     */
    private static StreamPosition fill(StreamPosition from, StreamPosition until) {
        long[] out = new long[until.partitions()];
        for (int p = 0; p < out.length; p++) {
            out[p] = from.next(p) >= 0 ? -1 : until.next(p);
        }
        return StreamPosition.of(out);
    }

    static OutboundSseEvent gap(Sse sse, String reason, String message, StreamPosition id) {
        String data = "{\"reason\":\"" + reason + "\",\"message\":\"" + message
                + "; reload the current state from the REST API\"}";
        return StreamSubscriber.event(sse, GAP, data, id);
    }
}
