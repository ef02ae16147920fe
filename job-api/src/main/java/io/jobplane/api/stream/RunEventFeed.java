package io.jobplane.api.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response.Status;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.jobplane.api.config.RunStreamConfig;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Caller;
import io.jobplane.events.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * This replica's one reader of {@code jobplane.run-events} for live streams, fanned out in memory to
 * every open stream of the event's workspace. It reads by <em>manual assignment</em> — every partition,
 * from the end, with no consumer group and no committed offsets — so every job-api replica sees every
 * event (a shared group would split the partitions between replicas, and a client would only get the
 * events of the partitions its replica holds), needs no group ACL, and leaves nothing behind when the
 * replica stops. It keeps, per partition, the offset of the next record it has not looked at: that
 * position is the SSE id of what it sends ({@link StreamPosition}).
 *
 * <p>Its thread never waits for a client: each stream has a bounded queue ({@link StreamSubscriber}),
 * and a client that falls behind is disconnected. Streams are capped per workspace and per token
 * subject; one more answers {@code 429 TOO_MANY_STREAMS}.
 */
@ApplicationScoped
public class RunEventFeed {

    private static final Logger LOG = Logger.getLogger(RunEventFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(5);

    private final RunStreamConfig config;
    private final Map<String, Object> kafka;
    private final Object lock = new Object();
    /** Next offset per partition, once assigned; guarded by {@link #lock}. */
    private long[] positions;
    /** Open streams by workspace; guarded by {@link #lock}. */
    private final Map<String, List<StreamSubscriber>> subscribers = new HashMap<>();
    private final Map<String, Integer> perWorkspace = new HashMap<>();
    private final Map<String, Integer> perSubject = new HashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public RunEventFeed(RunStreamConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent start) {
        if (!config.enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "run-stream-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        List<StreamSubscriber> all = new ArrayList<>();
        synchronized (lock) {
            subscribers.values().forEach(all::addAll);
            subscribers.clear();
        }
        all.forEach(StreamSubscriber::complete);
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The client configuration of a reader without a group: nothing is committed, nothing is shared. */
    Map<String, Object> consumerConfig(String purpose) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "jobplane-api-" + purpose + "-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        return props;
    }

    private void run() {
        long backoff = 200;
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerConfig("run-stream"))) {
                consumer = c;
                assign(c);
                backoff = 200;
                boolean paused = false;
                while (running) {
                    boolean idle = open.get() == 0;
                    if (idle) {
                        // Nobody is listening: fetch nothing, only follow where each partition ends,
                        // so a stream that opens starts from there without a gap.
                        if (!paused) {
                            c.pause(c.assignment());
                            paused = true;
                        }
                        followEnds(c);
                    } else if (paused) {
                        c.resume(c.assignment());
                        paused = false;
                    }
                    for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                        dispatch(record);
                    }
                    tick();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("Run stream reader of %s failed (%s); trying again in %d ms", Topics.RUN_EVENTS, e.toString(), backoff);
                tick();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    /**
     * Takes every partition; a first start begins at their ends, a restart of the reader (after a
     * broker failure) where it stood, so open streams miss nothing.
     */
    private void assign(KafkaConsumer<String, String> c) {
        List<PartitionInfo> infos = c.partitionsFor(Topics.RUN_EVENTS, BROKER_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.RUN_EVENTS + " has no partitions yet");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        int count = 0;
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
            count = Math.max(count, info.partition() + 1);
        }
        c.assign(partitions);
        long[] known;
        synchronized (lock) {
            known = positions;
        }
        long[] start = new long[count];
        for (TopicPartition tp : partitions) {
            if (known != null && tp.partition() < known.length) {
                c.seek(tp, known[tp.partition()]);
                start[tp.partition()] = known[tp.partition()];
            } else {
                c.seekToEnd(List.of(tp));
                start[tp.partition()] = c.position(tp, BROKER_TIMEOUT);
            }
        }
        synchronized (lock) {
            positions = start;
        }
        LOG.debugf("Run stream reads %d partitions of %s", count, Topics.RUN_EVENTS);
    }

    /**
     * While no stream is open the reader skips the topic instead of fetching every record (at full load
     * that was a tenth of the replica's CPU): it moves to each partition's end, once a poll. A stream
     * admitted before the move starts where the reader stands ({@link #register}), so it misses nothing.
     */
    private void followEnds(KafkaConsumer<String, String> c) {
        Map<TopicPartition, Long> ends = c.endOffsets(c.assignment(), BROKER_TIMEOUT);
        synchronized (lock) {
            if (open.get() > 0) {
                // A stream was admitted meanwhile and may have started at the positions as they are:
                // the reader must go on from there, not from further on.
                return;
            }
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                int partition = end.getKey().partition();
                if (partition >= positions.length) {
                    positions = java.util.Arrays.copyOf(positions, partition + 1);
                }
                if (end.getValue() > positions[partition]) {
                    positions[partition] = end.getValue();
                    c.seek(end.getKey(), end.getValue());
                }
            }
        }
    }

    private void dispatch(ConsumerRecord<String, String> record) {
        StreamEvent event = open.get() > 0 ? StreamEvent.read(record) : null;
        synchronized (lock) {
            if (record.partition() >= positions.length) {
                positions = java.util.Arrays.copyOf(positions, record.partition() + 1);
            }
            positions[record.partition()] = record.offset() + 1;
            List<StreamSubscriber> streams = event == null ? null : subscribers.get(event.workspace());
            if (streams == null || streams.isEmpty()) {
                return;
            }
            StreamPosition now = StreamPosition.of(positions);
            // A copy: a stream that ends while it is handed an event leaves the list meanwhile.
            for (StreamSubscriber s : List.copyOf(streams)) {
                s.live(event, now);
            }
        }
    }

    private void tick() {
        long now = System.nanoTime();
        List<StreamSubscriber> all = new ArrayList<>();
        synchronized (lock) {
            subscribers.values().forEach(all::addAll);
        }
        for (StreamSubscriber s : all) {
            s.tick(now);
            if (s.closed()) {
                unregister(s);
            }
        }
    }

    /** Partitions of the topic as this replica knows them; 503 before the reader has started. */
    int partitions() {
        synchronized (lock) {
            if (positions == null) {
                throw new ApiException(Status.SERVICE_UNAVAILABLE, "RUN_STREAM_UNAVAILABLE",
                        "The run stream is not reading " + Topics.RUN_EVENTS + " yet",
                        "Try again in a few seconds; the service waits for the Kafka broker.");
            }
            return positions.length;
        }
    }

    /**
     * Reserves a stream for the caller within the caps, or answers 429. The reservation is given back
     * with {@link Admission#release()} when the stream ends.
     */
    Admission admit(Caller caller) {
        String subject = caller.subject() == null ? "" : caller.subject();
        synchronized (lock) {
            int ws = perWorkspace.getOrDefault(caller.workspace(), 0);
            int sub = perSubject.getOrDefault(subject, 0);
            if (ws >= config.maxStreamsPerWorkspace() || sub >= config.maxStreamsPerToken()) {
                boolean workspaceFull = ws >= config.maxStreamsPerWorkspace();
                throw new ApiException(Status.TOO_MANY_REQUESTS, "TOO_MANY_STREAMS",
                        workspaceFull
                                ? "Workspace '" + caller.workspace() + "' already has " + ws + " open run streams (at most "
                                        + config.maxStreamsPerWorkspace() + ")"
                                : "Your token already has " + sub + " open run streams (at most " + config.maxStreamsPerToken() + ")",
                        "Close a stream you no longer read (another tab or dashboard) and connect again; one stream "
                                + "per dashboard is enough.");
            }
            perWorkspace.merge(caller.workspace(), 1, Integer::sum);
            perSubject.merge(subject, 1, Integer::sum);
        }
        open.incrementAndGet();
        return new Admission(caller.workspace(), subject);
    }

    /**
     * Adds a stream: live events reach it from now on. Returns where the shared reader stands, and
     * starts the stream at that position, or at {@code resume} where the client already is further.
     */
    StreamPosition register(StreamSubscriber s, StreamPosition resume) {
        synchronized (lock) {
            StreamPosition now = StreamPosition.of(positions);
            s.start(resume == null ? now : resume.max(now));
            subscribers.computeIfAbsent(s.workspace(), w -> new ArrayList<>()).add(s);
            return now;
        }
    }

    void unregister(StreamSubscriber s) {
        synchronized (lock) {
            List<StreamSubscriber> list = subscribers.get(s.workspace());
            if (list != null && list.remove(s) && list.isEmpty()) {
                subscribers.remove(s.workspace());
            }
        }
    }

    /** A stream's place within the caps, given back once. */
    final class Admission {
        private final String workspace;
        private final String subject;
        private boolean released;

        private Admission(String workspace, String subject) {
            this.workspace = workspace;
            this.subject = subject;
        }

        void release() {
            synchronized (lock) {
                if (released) {
                    return;
                }
                released = true;
                perWorkspace.computeIfPresent(workspace, (k, v) -> v <= 1 ? null : v - 1);
                perSubject.computeIfPresent(subject, (k, v) -> v <= 1 ? null : v - 1);
            }
            open.decrementAndGet();
        }
    }
}
