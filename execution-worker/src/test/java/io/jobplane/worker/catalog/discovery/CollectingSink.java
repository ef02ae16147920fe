package io.jobplane.worker.catalog.discovery;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.worker.catalog.MemorySink;

/** A run's changes in order; a discovery emits databases, tables and partitions only. */
final class CollectingSink extends MemorySink {

    @Override
    public void function(CatalogChange.Function function) {
        throw new AssertionError("a discovery emits no functions");
    }

    @Override
    public void platformRecords(CatalogChange.PlatformRecords records) {
        throw new AssertionError("a discovery emits no platform records");
    }
}
