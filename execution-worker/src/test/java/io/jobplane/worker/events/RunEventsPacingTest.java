package io.jobplane.worker.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.worker.config.WorkerConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * RunEvents alone, in front of a broker that acknowledges nothing until told to (a stand-in
 * emitter): run threads go on without waiting until {@link RunEvents#OUTSTANDING} events are
 * unacknowledged, then wait, and go on again as acknowledgements come; heartbeats never wait.
 */
class RunEventsPacingTest {

    @Test
    void aRunThreadWaitsOnlyWhileTheBrokerOwesTooManyAcknowledgements() throws Exception {
        StalledBroker broker = new StalledBroker();
        RunEvents events = new RunEvents(broker, config(), io.opentelemetry.api.OpenTelemetry.noop().getTracer("test"));
        LaunchCommand run = LaunchCommand.builder().run("run-1", 1, "ws").job("job-1", "job", "TABLE_TO_TABLE", false)
                .launch("manual", Instant.now(), Instant.now(), Map.of()).settings(RunSettings.DEFAULT).build();
        for (int i = 0; i < RunEvents.OUTSTANDING; i++) {
            events.runStarted(run);
        }
        assertEquals(RunEvents.OUTSTANDING, broker.pending.size(), "none of them waited");

        AtomicInteger sentAfter = new AtomicInteger();
        Thread runThread = new Thread(() -> {
            events.runFinished(run, io.jobplane.events.payload.RunStatus.SUCCESS, null, null);
            sentAfter.incrementAndGet();
        });
        runThread.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runThread.getState() == Thread.State.WAITING);
        assertEquals(0, sentAfter.get(), "the next event waits for an acknowledgement");

        events.heartbeat(run, "RUNNING");
        assertEquals(RunEvents.OUTSTANDING + 1, broker.pending.size(), "a heartbeat never waits");

        broker.acknowledgeOne();
        await().atMost(Duration.ofSeconds(5)).until(() -> sentAfter.get() == 1);
        runThread.join(5000);
        assertEquals(RunEvents.OUTSTANDING + 1, broker.pending.size(),
                "one acknowledged, the waiting event sent: as many owed as before, plus the heartbeat");
    }

    private static WorkerConfig config() {
        return new WorkerConfig() {
            @Override
            public Optional<String> id() {
                return Optional.of("w1");
            }

            @Override
            public int maxConcurrentRuns() {
                return 1;
            }

            @Override
            public Duration heartbeatInterval() {
                return Duration.ofSeconds(5);
            }

            @Override
            public int logLinesPerTask() {
                return 10;
            }

            @Override
            public int maxEventBytes() {
                return 983040;
            }

            @Override
            public String apiUrl() {
                return "http://127.0.0.1:8080";
            }
        };
    }

    /** Accepts every message and acknowledges none until {@link #acknowledgeOne()}. */
    private static final class StalledBroker implements MutinyEmitter<String> {
        final ConcurrentLinkedQueue<CompletableFuture<Void>> pending = new ConcurrentLinkedQueue<>();

        void acknowledgeOne() {
            pending.poll().complete(null);
        }

        @Override
        public <M extends Message<? extends String>> Uni<Void> sendMessage(M message) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            return Uni.createFrom().deferred(() -> {
                pending.add(ack);
                return Uni.createFrom().completionStage(ack);
            });
        }

        @Override
        public Uni<Void> send(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendAndAwait(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cancellable sendAndForget(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> void send(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> void sendMessageAndAwait(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> Cancellable sendMessageAndForget(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
