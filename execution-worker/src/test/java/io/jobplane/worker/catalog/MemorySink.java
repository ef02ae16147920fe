package io.jobplane.worker.catalog;

import java.util.ArrayList;
import java.util.List;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;

/**
 * Keeps a run's catalog changes in the order they were emitted, for unit tests of an engine (what it
 * emits, not how the changes travel: the Kafka sink is proven by the system tests). Completing the run is
 * the caller's part, never the engine's: {@link #complete} fails the test.
 */
public class MemorySink implements CatalogSink {

    public final List<Object> events = new ArrayList<>();

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
        events.add(function);
    }

    @Override
    public void platformRecords(CatalogChange.PlatformRecords records) {
        events.add(records);
    }

    @Override
    public void platformCommitted(CatalogChange.PlatformCommitted committed) {
        events.add(committed);
    }

    @Override
    public void complete(CatalogChange.Origin origin) {
        throw new AssertionError("the engine's caller completes the run, not the engine");
    }

    /** The changes of one kind, in order. */
    public <T> List<T> of(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    public List<CatalogChange.Table> tables() {
        return of(CatalogChange.Table.class);
    }

    public CatalogChange.Table tableNamed(String name) {
        return tables().stream().filter(t -> t.table().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no table '" + name + "' in " + tables().stream().map(CatalogChange.Table::table).toList()));
    }

    /** The partitions of a table (of any database), over all its batches, in order. */
    public List<CatalogChange.Partition> partitionsOf(String table) {
        return of(CatalogChange.Partitions.class).stream().filter(p -> p.table().equals(table))
                .flatMap(p -> p.partitions().stream()).toList();
    }

    /** The partitions of a database's table, over all its batches, in order. */
    public List<CatalogChange.Partition> partitionsOf(String database, String table) {
        return of(CatalogChange.Partitions.class).stream().filter(p -> p.database().equals(database) && p.table().equals(table))
                .flatMap(p -> p.partitions().stream()).toList();
    }

    public List<List<String>> partitionValues(String table) {
        return partitionsOf(table).stream().map(CatalogChange.Partition::values).toList();
    }
}
