package io.jobplane.worker.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jobplane.events.consume.EventConsumer;
import io.jobplane.events.consume.KafkaDeadLetters;
import io.jobplane.events.trace.Traces;
import io.jobplane.worker.listener.Commands.Announcement;
import io.jobplane.worker.listener.Commands.Command;
import io.jobplane.worker.service.RunDispatcher;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Reads {@code jobplane.commands} a poll at a time, through job-events' {@link EventConsumer}: a
 * record that is not a command goes to the dead-letter topic and the rest of the batch carries on.
 * Every launch is handed to the dispatcher, which takes it into a run slot and announces it with an
 * {@code ACCEPTED} heartbeat. A launch starts only once that heartbeat is on record <em>and</em> its
 * command's offset is committed: a command is either visibly held by a worker or delivered again, and
 * a worker killed after running an attempt never has its command delivered to another worker, which
 * would run the work a second time (a worker killed between the commit and the start leaves a held
 * attempt whose heartbeats lapse: job-api retries it). Before waiting for a run slot, the launches
 * taken so far are committed and started, so none waits on another's slot. A launch is handed over
 * only into a free run slot (the dispatcher waits for one), so while every slot is busy this consumer
 * reads nothing more and the commands wait in Kafka, uncommitted: a crash loses none of them. A record
 * that cannot even be dead-lettered is logged and passed over, never stopping the consumer.
 */
@ApplicationScoped
public class CommandListener {

    private static final Logger LOG = Logger.getLogger(CommandListener.class);
    private static final String CHANNEL = "commands";
    /** How long a commit is tried before the launches start anyway (delivered at least once, as without it). */
    private static final Duration COMMIT_PATIENCE = Duration.ofSeconds(30);

    private final RunDispatcher dispatcher;
    private final EventConsumer<Command> commands;
    private final KafkaClientService clients;

    public CommandListener(RunDispatcher dispatcher, @Channel("dead-letter") MutinyEmitter<String> deadLetters,
            KafkaClientService clients, Tracer tracer) {
        this.dispatcher = dispatcher;
        this.clients = clients;
        this.commands = EventConsumer.deadLettering(CHANNEL, Commands.ROUTES, new KafkaDeadLetters(deadLetters))
                .within(Traces.consumerSpans(tracer, Commands.SPAN));
    }

    // Blocking: a cancel opens a connection to the database to stop the statement.
    @Incoming(CHANNEL)
    @Blocking
    public void onCommands(ConsumerRecords<String, String> records) throws InterruptedException {
        List<Announcement> taken = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> read = new HashMap<>();
        try {
            for (ConsumerRecord<String, String> record : records) {
                if (!taken.isEmpty() && !dispatcher.hasFreeSlot()) {
                    // The next launch may wait for a slot: what was taken so far goes first.
                    startCommitted(taken, read);
                }
                commands.consume(record, batch -> {
                    Commands.carryOut(batch, dispatcher, taken::add);
                    return Uni.createFrom().voidItem();
                }).await().indefinitely();
                read.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
            startCommitted(taken, read);
        } finally {
            // Whatever happened above, a launch taken into a slot runs: a slot is never held by nothing.
            taken.forEach(a -> a.start().run());
        }
    }

    /** Awaits the launches' announcements, commits the offsets read, and starts the launches. */
    private void startCommitted(List<Announcement> taken, Map<TopicPartition, OffsetAndMetadata> read)
            throws InterruptedException {
        for (Announcement a : taken) {
            awaitAnnounced(a);
        }
        if (!taken.isEmpty()) {
            commit(Map.copyOf(read));
        }
        taken.forEach(a -> a.start().run());
        taken.clear();
    }

    /** Commits on the consumer's polling thread; after {@link #COMMIT_PATIENCE} of failures, goes on without. */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) throws InterruptedException {
        long deadline = System.nanoTime() + COMMIT_PATIENCE.toNanos();
        while (true) {
            try {
                clients.getConsumer(CHANNEL).commit(offsets).await().atMost(Duration.ofSeconds(10));
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || e instanceof org.apache.kafka.clients.consumer.CommitFailedException) {
                    LOG.warnf("commands %s not committed (%s); starting their runs anyway: a crash now may deliver them again",
                            offsets.keySet(), e.getMessage());
                    return;
                }
                LOG.debugf("commit of %s failed (%s); trying again", offsets.keySet(), e.getMessage());
                Thread.sleep(500);
            }
        }
    }

    /** Waits for the ACCEPTED heartbeat; while the broker refuses it, sends it again for up to five minutes. */
    private void awaitAnnounced(Announcement a) throws InterruptedException {
        CompletableFuture<Void> pending = a.future();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            try {
                pending.get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker has not taken run " + a.runId()
                            + "'s heartbeat for five minutes; giving up the batch", e);
                }
                LOG.warnf("run %s: heartbeat not on record yet (%s); sending it again", a.runId(), e.getMessage());
                Thread.sleep(1000);
                pending = dispatcher.announceAgain(a.runId());
            }
        }
    }
}
