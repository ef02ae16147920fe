package io.jobplane.worker.listener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.DeadLetterHeaders;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.worker.service.RunDispatcher;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Reads {@code jobplane.commands} a poll at a time. Every launch in the batch is handed to the
 * dispatcher, which announces it with an {@code ACCEPTED} heartbeat; the batch is acknowledged
 * (its offsets committed) only once all those heartbeats are on record, so a command is either
 * visibly held by a worker or delivered again. Runs execute elsewhere, so a long run never holds
 * back a partition. A record that is not a command goes to the dead-letter topic and the rest of
 * the batch carries on.
 */
@ApplicationScoped
public class CommandListener {

    private static final Logger LOG = Logger.getLogger(CommandListener.class);

    private final RunDispatcher dispatcher;
    private final MutinyEmitter<String> deadLetters;

    public CommandListener(RunDispatcher dispatcher, @Channel("dead-letter") MutinyEmitter<String> deadLetters) {
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
    }

    // Blocking: a cancel opens a connection to the database to stop the statement.
    @Incoming("commands")
    @Blocking
    public void onCommands(ConsumerRecords<String, String> records) throws InterruptedException {
        List<Announcement> announced = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                CloudEvent event = EventCodec.decode(record.value());
                CompletableFuture<Void> held = handle(event, dispatcher);
                if (held != null) {
                    announced.add(new Announcement(event.subject(), held));
                }
            } catch (MalformedEventException | IllegalArgumentException e) {
                deadLetter(record, e);
            }
        }
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

    private record Announcement(String runId, CompletableFuture<Void> future) {
    }

    /** Hands one command to the dispatcher; returns what to wait for before acknowledging, if anything. */
    static CompletableFuture<Void> handle(CloudEvent event, RunDispatcher dispatcher) {
        switch (event.type()) {
            case EventTypes.LAUNCH -> {
                return dispatcher.accept(validLaunch(event.dataAs(LaunchCommand.class)));
            }
            case EventTypes.CANCEL -> {
                CancelCommand cancel = event.dataAs(CancelCommand.class);
                if (cancel.runId() == null) {
                    throw new MalformedEventException("cancel command lacks run_id");
                }
                if (!dispatcher.cancel(cancel)) {
                    LOG.debugf("run %s: cancel noted, this worker does not hold the run", cancel.runId());
                }
                return null;
            }
            default -> throw new MalformedEventException("unknown command type " + event.type());
        }
    }

    private void deadLetter(ConsumerRecord<String, String> record, Exception why) {
        LOG.warnf("%s-%d@%d is not a command (%s); sent to the dead-letter topic", record.topic(), record.partition(),
                record.offset(), why.getMessage());
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.of(record.topic(), record.partition(), record.offset(), why)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        deadLetters.sendMessageAndAwait(Message.of(record.value() == null ? "" : record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build()));
    }

    private static LaunchCommand validLaunch(LaunchCommand launch) {
        if (launch.runId() == null || launch.tasks() == null || launch.jobType() == null || launch.attempt() < 1) {
            throw new MalformedEventException("launch command lacks run_id, job_type, tasks or a valid attempt");
        }
        if (launch.tasks().stream().anyMatch(t -> t == null || t.taskId() == null)) {
            throw new MalformedEventException("launch command for run " + launch.runId() + " has a task without task_id");
        }
        return launch;
    }
}
