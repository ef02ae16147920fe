package io.jobplane.worker.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jobplane.events.consume.EventConsumer;
import io.jobplane.events.consume.KafkaDeadLetters;
import io.jobplane.worker.listener.Commands.Announcement;
import io.jobplane.worker.listener.Commands.Command;
import io.jobplane.worker.service.RunDispatcher;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Reads {@code jobplane.commands} a poll at a time, through job-events' {@link EventConsumer}: a
 * record that is not a command goes to the dead-letter topic and the rest of the batch carries on.
 * Every launch in the batch is handed to the dispatcher, which announces it with an {@code ACCEPTED}
 * heartbeat; the batch is acknowledged (its offsets committed) only once all those heartbeats are
 * on record, so a command is either visibly held by a worker or delivered again. Runs execute
 * elsewhere; a launch is handed over only into a free run slot (the dispatcher waits for one), so while
 * every slot is busy this consumer reads nothing more and the commands wait in Kafka, uncommitted: a
 * crash loses none of them. A record that cannot even be dead-lettered is logged and passed over, never
 * stopping the consumer.
 */
@ApplicationScoped
public class CommandListener {

    private static final Logger LOG = Logger.getLogger(CommandListener.class);

    private final RunDispatcher dispatcher;
    private final EventConsumer<Command> commands;

    public CommandListener(RunDispatcher dispatcher, @Channel("dead-letter") MutinyEmitter<String> deadLetters) {
        this.dispatcher = dispatcher;
        this.commands = EventConsumer.deadLettering("commands", Commands.ROUTES, new KafkaDeadLetters(deadLetters));
    }

    // Blocking: a cancel opens a connection to the database to stop the statement.
    @Incoming("commands")
    @Blocking
    public void onCommands(ConsumerRecords<String, String> records) throws InterruptedException {
        List<Announcement> announced = new ArrayList<>();
        commands.consume(records, batch -> {
            Commands.carryOut(batch, dispatcher, announced::add);
            return Uni.createFrom().voidItem();
        }).await().indefinitely();
        for (Announcement a : announced) {
            awaitAnnounced(a);
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
