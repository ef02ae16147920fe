package io.jobplane.worker.catalog.discovery;

import java.util.ArrayList;
import java.util.List;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;

/** A sink that keeps a run's changes in order, for unit tests of what a discovery emits. */
final class CollectingSink implements CatalogSink {

    final List<Object> events = new ArrayList<>();

    @Override
    public void database(CatalogChange.Database database) {
        events.add(database);
    }

    @Override
    public void table(CatalogChange.Table table) {
        events.add(table);
    }

    @Override
    public void partitions(CatalogChange.Partitions partitions) {
        events.add(partitions);
    }

    @Override
    public void function(CatalogChange.Function function) {
        throw new AssertionError("a discovery emits no functions");
    }

    @Override
    public void platformRecords(CatalogChange.PlatformRecords records) {
        throw new AssertionError("a discovery emits no platform records");
    }

    @Override
    public void platformCommitted(CatalogChange.PlatformCommitted committed) {
        throw new AssertionError("a discovery emits no platform commits");
    }

    @Override
    public void complete(CatalogChange.Origin origin) {
        throw new AssertionError("the discovery's caller completes the run, not the discovery");
    }

    List<CatalogChange.Table> tables() {
        return events.stream().filter(CatalogChange.Table.class::isInstance).map(CatalogChange.Table.class::cast).toList();
    }

    CatalogChange.Table tableNamed(String name) {
        return tables().stream().filter(t -> t.table().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no table '" + name + "' in " + tables().stream().map(CatalogChange.Table::table).toList()));
    }

    /** The partitions of a table, over all its batches, in order. */
    List<CatalogChange.Partition> partitionsOf(String table) {
        List<CatalogChange.Partition> all = new ArrayList<>();
        for (Object event : events) {
            if (event instanceof CatalogChange.Partitions p && p.table().equals(table)) {
                all.addAll(p.partitions());
            }
        }
        return all;
    }

    List<List<String>> partitionValues(String table) {
        return partitionsOf(table).stream().map(CatalogChange.Partition::values).toList();
    }
}
