package io.jobplane.events.payload.catalog;

/**
 * Where a discovery, migration or ingest run puts the catalog changes it finds: the worker's sink sends
 * them to {@code jobplane.catalog-changes}; a unit test may collect them in memory. A sink is used by
 * one run at a time, from one thread.
 */
public interface CatalogSink {

    void database(CatalogChange.Database database);

    void table(CatalogChange.Table table);

    /** A batch of at most {@link CatalogChange#MAX_PARTITIONS_PER_EVENT} partitions of one table, after the table. */
    void partitions(CatalogChange.Partitions partitions);

    void function(CatalogChange.Function function);

    /** At most {@link CatalogChange#MAX_PLATFORM_RECORDS_PER_EVENT} records of one kind. */
    void platformRecords(CatalogChange.PlatformRecords records);

    void platformCommitted(CatalogChange.PlatformCommitted committed);

    /**
     * Ends the run's changes: returns once every change sent so far is acknowledged, then sends (and
     * awaits) the run's {@link CatalogChange.RunCompleted}. A change that could not be sent fails the
     * run with an exception here, never silently.
     */
    void complete(CatalogChange.Origin origin);
}
