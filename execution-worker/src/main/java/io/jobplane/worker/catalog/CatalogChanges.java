package io.jobplane.worker.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.jobplane.events.EventCodec;
import io.jobplane.events.EventRecords;
import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;
import io.jobplane.worker.config.WorkerConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Sends a run's catalog changes to {@code jobplane.catalog-changes} (docs/events.md, "Catalog changes"),
 * each keyed by {@link CatalogChange#key} so one table's changes and its partitions stay in order. A run
 * thread waits only when {@value #OUTSTANDING} of its changes are unacknowledged, so a slow broker slows
 * the run down rather than growing memory. A change the broker does not take fails the run at
 * {@link CatalogSink#complete}: a catalog run never ends SUCCESS with a change lost. A change larger than
 * the topic takes ({@code jobplane.worker.max-event-bytes}) fails the run at once, naming what it was.
 */
@ApplicationScoped
public class CatalogChanges {

    static final int OUTSTANDING = 1024;

    private final MutinyEmitter<String> emitter;
    private final String source;
    private final long maxEventBytes;

    public CatalogChanges(@Channel("catalog-changes") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<String> emitter, WorkerConfig config) {
        this.emitter = emitter;
        this.source = "/jobplane/execution-worker/" + config.workerId();
        this.maxEventBytes = config.maxEventBytes();
    }

    /** A sink for one run's changes, used from the run's thread. */
    public CatalogSink sink() {
        return new KafkaSink();
    }

    /** A change too large for the topic. */
    public static final class TooLargeException extends RuntimeException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** A change the broker did not take. */
    public static final class NotSentException extends RuntimeException {
        NotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final class KafkaSink implements CatalogSink {

        private final Semaphore outstanding = new Semaphore(OUTSTANDING);
        private final Map<String, Long> emitted = new TreeMap<>();
        private final List<CompletableFuture<Void>> pending = new ArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        public void database(CatalogChange.Database d) {
            send(EventTypes.CATALOG_DATABASE, CatalogChange.key(d.origin().workspace(), d.catalog(), d.database(), null), d,
                    "database " + d.database());
        }

        @Override
        public void table(CatalogChange.Table t) {
            send(EventTypes.CATALOG_TABLE, CatalogChange.key(t.origin().workspace(), t.catalog(), t.database(), t.table()), t,
                    "table " + t.database() + "." + t.table());
        }

        @Override
        public void partitions(CatalogChange.Partitions p) {
            if (p.partitions().size() > CatalogChange.MAX_PARTITIONS_PER_EVENT) {
                throw new IllegalArgumentException("at most " + CatalogChange.MAX_PARTITIONS_PER_EVENT + " partitions per event");
            }
            send(EventTypes.CATALOG_PARTITIONS, CatalogChange.key(p.origin().workspace(), p.catalog(), p.database(), p.table()), p,
                    p.partitions().size() + " partitions of " + p.database() + "." + p.table());
        }

        @Override
        public void function(CatalogChange.Function f) {
            send(EventTypes.CATALOG_FUNCTION, CatalogChange.key(f.origin().workspace(), f.catalog(), f.database(), null), f,
                    "function " + f.database() + "." + f.function());
        }

        @Override
        public void platformRecords(CatalogChange.PlatformRecords r) {
            if (r.records().size() > CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT) {
                throw new IllegalArgumentException("at most " + CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT + " records per event");
            }
            send(EventTypes.CATALOG_PLATFORM_RECORDS, CatalogChange.key(r.origin().workspace(), "platform:" + r.source(), r.kind(), null),
                    r, r.records().size() + " " + r.kind() + " records");
        }

        @Override
        public void platformCommitted(CatalogChange.PlatformCommitted c) {
            send(EventTypes.CATALOG_PLATFORM_COMMITTED, CatalogChange.key(c.origin().workspace(), "platform:" + c.source(), c.kind(), null),
                    c, "the replace of " + c.kind());
        }

        @Override
        public void complete(CatalogChange.Origin origin) {
            awaitPending();
            CatalogChange.RunCompleted completed = new CatalogChange.RunCompleted(
                    new CatalogChange.Origin(origin.workspace(), origin.jobId(), origin.runId(), origin.attempt(), Instant.now()),
                    Map.copyOf(emitted));
            send(EventTypes.CATALOG_RUN_COMPLETED, origin.workspace() + "/run/" + origin.runId(), completed, "the run's completion");
            awaitPending();
        }

        private void awaitPending() {
            try {
                for (CompletableFuture<Void> f : pending) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotSentException("interrupted while the catalog changes were being sent", e);
            } catch (ExecutionException e) {
                // Recorded by the future's own handler below.
            }
            pending.clear();
            Throwable failed = failure.get();
            if (failed != null) {
                throw new NotSentException("a catalog change was not taken by the broker: " + failed.getMessage(), failed);
            }
        }

        private void send(String type, String key, Object payload, String what) {
            Throwable failed = failure.get();
            if (failed != null) {
                throw new NotSentException("a catalog change was not taken by the broker: " + failed.getMessage(), failed);
            }
            String json = EventCodec.encode(source, type, key, payload);
            if (json.length() > maxEventBytes / 4 && json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxEventBytes) {
                throw new TooLargeException("the change for " + what + " is larger than a catalog event may be ("
                        + maxEventBytes + " bytes): too many columns, parameters or values");
            }
            try {
                outstanding.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotSentException("interrupted while sending the catalog changes", e);
            }
            CompletableFuture<Void> sent;
            try {
                sent = emitter.sendMessage(Message.of(json).addMetadata(EventRecords.cloudEvent(key))).subscribeAsCompletionStage();
            } catch (RuntimeException e) {
                outstanding.release();
                throw new NotSentException("a catalog change could not be sent: " + e.getMessage(), e);
            }
            pending.add(sent.whenComplete((ok, error) -> {
                outstanding.release();
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            }));
            emitted.merge(type, 1L, Long::sum);
            if (pending.size() >= OUTSTANDING * 4) {
                pending.removeIf(CompletableFuture::isDone);
            }
        }
    }
}
