package io.jobplane.worker.catalog;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;
import io.jobplane.worker.config.WorkerConfig;
import io.jobplane.worker.events.AcknowledgedSends;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Sends a run's catalog changes to {@code jobplane.catalog-changes} (docs/events.md, "Catalog changes"),
 * each keyed by {@link CatalogChange#key} so one table's changes and its partitions stay in order, through
 * {@link AcknowledgedSends}: a change the broker does not take fails the run at {@link CatalogSink#complete},
 * and the run's completion goes out only once every change before it is acknowledged.
 */
@ApplicationScoped
public class CatalogChanges {

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
        return new KafkaSink(new AcknowledgedSends(emitter, source, maxEventBytes));
    }

    private record KafkaSink(AcknowledgedSends sends) implements CatalogSink {

        @Override
        public void database(CatalogChange.Database d) {
            sends.send(EventTypes.CATALOG_DATABASE, CatalogChange.key(d.origin().workspace(), d.catalog(), d.database(), null), d,
                    "database " + d.database());
        }

        @Override
        public void table(CatalogChange.Table t) {
            sends.send(EventTypes.CATALOG_TABLE, CatalogChange.key(t.origin().workspace(), t.catalog(), t.database(), t.table()), t,
                    "table " + t.database() + "." + t.table() + " (too many columns, parameters or values)");
        }

        @Override
        public void partitions(CatalogChange.Partitions p) {
            if (p.partitions().size() > CatalogChange.MAX_PARTITIONS_PER_EVENT) {
                throw new IllegalArgumentException("at most " + CatalogChange.MAX_PARTITIONS_PER_EVENT + " partitions per event");
            }
            sends.send(EventTypes.CATALOG_PARTITIONS, CatalogChange.key(p.origin().workspace(), p.catalog(), p.database(), p.table()),
                    p, p.partitions().size() + " partitions of " + p.database() + "." + p.table());
        }

        @Override
        public void function(CatalogChange.Function f) {
            sends.send(EventTypes.CATALOG_FUNCTION, CatalogChange.key(f.origin().workspace(), f.catalog(), f.database(), null), f,
                    "function " + f.database() + "." + f.function());
        }

        @Override
        public void platformRecords(CatalogChange.PlatformRecords r) {
            if (r.records().size() > CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT) {
                throw new IllegalArgumentException("at most " + CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT + " records per event");
            }
            sends.send(EventTypes.CATALOG_PLATFORM_RECORDS, CatalogChange.key(r.origin().workspace(), "platform:" + r.source(), r.kind(),
                    null), r, r.records().size() + " " + r.kind() + " records");
        }

        @Override
        public void platformCommitted(CatalogChange.PlatformCommitted c) {
            sends.send(EventTypes.CATALOG_PLATFORM_COMMITTED, CatalogChange.key(c.origin().workspace(), "platform:" + c.source(),
                    c.kind(), null), c, "the replace of " + c.kind());
        }

        @Override
        public void complete(CatalogChange.Origin origin) {
            sends.flush();
            Map<String, Long> emitted = sends.sent();
            CatalogChange.RunCompleted completed = new CatalogChange.RunCompleted(
                    new CatalogChange.Origin(origin.workspace(), origin.jobId(), origin.runId(), origin.attempt(), Instant.now()),
                    emitted);
            sends.send(EventTypes.CATALOG_RUN_COMPLETED, origin.workspace() + "/run/" + origin.runId(), completed,
                    "the run's completion");
            sends.flush();
        }
    }
}
