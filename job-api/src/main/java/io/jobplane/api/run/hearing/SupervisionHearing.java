package io.jobplane.api.run.hearing;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.jobplane.api.config.RunsConfig;
import io.jobplane.events.Topics;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps this replica's {@link Hearing} of the run events and shares it with the other replicas in
 * {@code api.supervision_hearing}, so that whichever replica sweeps judges a worker lost only by a
 * silence every replica could have heard ({@link LostCutoff}). Each sweep interval it looks at the
 * broker from the supervision consumer's own polling thread (the partitions it follows, their log end
 * offsets, committed offsets where needed), notes the look's time from the database's clock (the
 * clock {@code last_seen_at} is written by), and records the result. After a job-api restart, a
 * broker outage or a rebalance, judging resumes only once the replicas have heard for
 * {@code worker-lost-after} again.
 */
@ApplicationScoped
public class SupervisionHearing {

    private static final Logger LOG = Logger.getLogger(SupervisionHearing.class);
    /** The channel of {@code RunSupervisor}'s consumer. */
    public static final String CHANNEL = "supervision";
    /** How long one request to the broker may take during a look. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** A look waits this long for the polling thread before the replica counts itself deaf. */
    private static final Duration LOOK_TIMEOUT = Duration.ofSeconds(8);
    /** Rows of replicas gone this long are deleted. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private static final String NOW = "select clock_timestamp() as now";
    private static final String UPSERT = """
            insert into api.supervision_hearing (replica, partitions, partition_count, heard_up_to, hearing_since, looked_at)
            values ($1, $2, $3, $4, $5, $6)
            on conflict (replica) do update set partitions = excluded.partitions, partition_count = excluded.partition_count,
                   heard_up_to = excluded.heard_up_to, hearing_since = excluded.hearing_since, looked_at = excluded.looked_at""";
    private static final String LIVE = """
            select partitions, partition_count, heard_up_to, hearing_since from api.supervision_hearing
             where looked_at > clock_timestamp() - make_interval(secs => $1)""";
    private static final String FORGET = "delete from api.supervision_hearing where looked_at < clock_timestamp() - make_interval(secs => $1)";

    private final Hearing hearing = new Hearing();
    private final String replica = UUID.randomUUID().toString();
    private final KafkaClientService clients;
    private final Pool pool;
    private final Duration lostAfter;
    /** A replica whose row is older than this is gone: it no longer counts (its partitions go to the others). */
    private final Duration liveFor;
    private final AtomicReference<String> lastWithheld = new AtomicReference<>("");

    public SupervisionHearing(KafkaClientService clients, Pool pool, RunsConfig config) {
        this.clients = clients;
        this.pool = pool;
        this.lostAfter = config.workerLostAfter();
        this.liveFor = config.sweepInterval().multipliedBy(3).plus(LOOK_TIMEOUT);
    }

    /** A batch of run events is recorded: they count as heard. */
    public void recorded(ConsumerRecords<String, String> records) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, String>> batch = records.records(tp);
            if (!batch.isEmpty()) {
                hearing.recorded(tp.partition(), batch.get(batch.size() - 1).offset() + 1);
            }
        }
    }

    @Scheduled(every = "${jobplane.runs.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> look() {
        return pool.query(NOW).execute().map(rows -> rows.iterator().next().getOffsetDateTime("now").toInstant())
                .chain(at -> lookAtBroker().map(look -> hearing.looked(at, look.partitionCount(), look.ends(), look.startsAt()))
                        .onFailure().recoverWithItem(e -> {
                            LOG.debugf("run supervision cannot hear the broker: %s", e.getMessage());
                            return hearing.deaf();
                        })
                        .chain(state -> store(state, at)))
                .onFailure().invoke(e -> LOG.debugf("run supervision could not record its hearing: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Look> lookAtBroker() {
        KafkaConsumer<String, String> consumer = clients.getConsumer(CHANNEL);
        if (consumer == null) {
            return Uni.createFrom().failure(new IllegalStateException("the supervision consumer has not started"));
        }
        java.util.function.Function<Consumer<String, String>, Look> look = this::look;
        return consumer.runOnPollingThread(look).ifNoItem().after(LOOK_TIMEOUT).fail();
    }

    /** On the consumer's polling thread (a Kafka consumer is not thread-safe). */
    private Look look(Consumer<String, String> consumer) {
        int count = consumer.partitionsFor(Topics.RUN_EVENTS, REQUEST_TIMEOUT).size();
        Set<TopicPartition> assigned = consumer.assignment();
        Map<Integer, Long> ends = new HashMap<>();
        consumer.endOffsets(assigned, REQUEST_TIMEOUT).forEach((tp, end) -> ends.put(tp.partition(), end));
        Set<TopicPartition> unknown = new HashSet<>();
        for (Integer p : hearing.unknown(ends.keySet())) {
            unknown.add(new TopicPartition(Topics.RUN_EVENTS, p));
        }
        Map<Integer, Long> startsAt = new HashMap<>();
        if (!unknown.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(unknown, REQUEST_TIMEOUT);
            Set<TopicPartition> never = new HashSet<>();
            for (TopicPartition tp : unknown) {
                OffsetAndMetadata at = committed.get(tp);
                if (at == null) {
                    never.add(tp);
                } else {
                    startsAt.put(tp.partition(), at.offset());
                }
            }
            if (!never.isEmpty()) {
                consumer.beginningOffsets(never, REQUEST_TIMEOUT).forEach((tp, start) -> startsAt.put(tp.partition(), start));
            }
        }
        return new Look(count, ends, startsAt);
    }

    private Uni<Void> store(Hearing.State state, Instant at) {
        return pool.preparedQuery(UPSERT).execute(Tuple.tuple(List.of(replica, state.partitions().toArray(Integer[]::new),
                state.partitionCount())).addOffsetDateTime(utc(state.heardUpTo())).addOffsetDateTime(utc(state.hearingSince()))
                .addOffsetDateTime(utc(at))).replaceWithVoid();
    }

    /**
     * The cutoff before which a silent run's worker is lost, from every live replica's hearing; null
     * (and a log line when that changes) while nobody may be judged. Forgets replicas long gone.
     */
    public Uni<Instant> cutoff() {
        return pool.preparedQuery(FORGET).execute(Tuple.of((double) FORGET_AFTER.toSeconds()))
                .chain(() -> pool.preparedQuery(LIVE).execute(Tuple.of(liveFor.toMillis() / 1000.0)))
                .map(rows -> {
                    List<Hearing.State> live = new ArrayList<>();
                    for (Row r : rows) {
                        live.add(new Hearing.State(Set.of(r.getArrayOfIntegers("partitions")), r.getInteger("partition_count"),
                                instant(r.getOffsetDateTime("heard_up_to")), instant(r.getOffsetDateTime("hearing_since"))));
                    }
                    LostCutoff.Verdict verdict = LostCutoff.of(live, lostAfter);
                    String why = verdict.withheldBecause() == null ? "" : verdict.withheldBecause();
                    String before = lastWithheld.getAndSet(why);
                    if (!why.isEmpty() && before.isEmpty()) {
                        LOG.infof("no run is judged lost for now: %s", why);
                    } else if (why.isEmpty() && !before.isEmpty()) {
                        LOG.infof("runs whose worker went silent are judged lost again");
                    }
                    return verdict.cutoff();
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private record Look(int partitionCount, Map<Integer, Long> ends, Map<Integer, Long> startsAt) {
    }
}
