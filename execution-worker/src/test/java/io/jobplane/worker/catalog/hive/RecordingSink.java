package io.jobplane.worker.catalog.hive;

import java.util.List;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.worker.catalog.MemorySink;

/** Every change in the order it was emitted; a Hive migration emits no platform records. */
class RecordingSink extends MemorySink {

    final List<Object> changes = events;

    @Override
    public void platformRecords(CatalogChange.PlatformRecords records) {
        throw new AssertionError("a Hive migration emits no platform records");
    }
}
