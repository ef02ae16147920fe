package io.jobplane.worker.catalog.hive;

import java.util.ArrayList;
import java.util.List;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;

/** Keeps every change in the order it was emitted (the engine under test is the migration, not the Kafka sink). */
class RecordingSink implements CatalogSink {

    final List<Object> changes = new ArrayList<>();

    @Override
    public void database(CatalogChange.Database database) {
        changes.add(database);
    }

    @Override
    public void table(CatalogChange.Table table) {
        changes.add(table);
    }

    @Override
    public void partitions(CatalogChange.Partitions partitions) {
        changes.add(partitions);
    }

    @Override
    public void function(CatalogChange.Function function) {
        changes.add(function);
    }

    @Override
    public void platformRecords(CatalogChange.PlatformRecords records) {
        throw new AssertionError("a Hive migration emits no platform records");
    }

    @Override
    public void platformCommitted(CatalogChange.PlatformCommitted committed) {
        throw new AssertionError("a Hive migration emits no platform records");
    }

    @Override
    public void complete(CatalogChange.Origin origin) {
        throw new AssertionError("the caller completes the sink, not the migration");
    }

    <T> List<T> of(Class<T> kind) {
        return changes.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    List<CatalogChange.Partition> partitionsOf(String database, String table) {
        return of(CatalogChange.Partitions.class).stream()
                .filter(p -> p.database().equals(database) && p.table().equals(table))
                .flatMap(p -> p.partitions().stream()).toList();
    }
}
