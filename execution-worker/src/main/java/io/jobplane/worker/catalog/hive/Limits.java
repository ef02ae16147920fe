package io.jobplane.worker.catalog.hive;

/**
 * What a migration reads at most, so that a hostile or broken metastore cannot exhaust the worker
 * (docs/catalog/hive-migration.md, "Bounds"). Every value must be positive.
 *
 * @param maxDatabases databases per run; the run stops (incomplete) when the next would pass it
 * @param maxTables tables (and views) per run, likewise
 * @param maxPartitions partitions per run, likewise
 * @param maxFunctions functions per run, likewise
 * @param maxColumnsPerTable columns, and partition keys apart, of one table; a table with more is skipped with a warning
 * @param maxParametersPerObject parameters of one database, table, SerDe or partition; the ones past it (in key order) are dropped with a warning
 * @param maxValueLength characters of a parameter value, a view text or a column type; a longer parameter or view text is
 *        dropped with a warning, a table with a longer column type is skipped
 * @param maxTextLength characters of a name, location, owner, description, comment, class name or resource URI; an object
 *        with a longer name or location is skipped, a longer comment or description dropped, with a warning
 * @param maxPartitionChars characters of one partition's parameters; the parameters past it are dropped with a warning
 * @param maxEventChars characters of one event: a table bigger than this is skipped with a warning, and a batch of partitions
 *        is cut before it grows past it (so events stay well below the broker's record bound)
 * @param maxResourcesPerFunction resources of one function; a function with more is skipped
 * @param maxWarnings warnings kept in the report and written to the run log (all are counted)
 * @param queryTimeoutSeconds how long one query of the metastore may run
 */
public record Limits(int maxDatabases, int maxTables, long maxPartitions, int maxFunctions, int maxColumnsPerTable,
        int maxParametersPerObject, int maxValueLength, int maxTextLength, int maxPartitionChars, int maxEventChars,
        int maxResourcesPerFunction, int maxWarnings, int queryTimeoutSeconds) {

    public Limits {
        long[] values = { maxDatabases, maxTables, maxPartitions, maxFunctions, maxColumnsPerTable, maxParametersPerObject,
                maxValueLength, maxTextLength, maxPartitionChars, maxEventChars, maxResourcesPerFunction, maxWarnings,
                queryTimeoutSeconds };
        for (long value : values) {
            if (value <= 0) {
                throw new HiveMigrationException(HiveMigrationException.Code.INVALID_OPTIONS, "every migration limit must be positive");
            }
        }
        if (maxPartitionChars >= maxEventChars) {
            throw new HiveMigrationException(HiveMigrationException.Code.INVALID_OPTIONS,
                    "a partition's bound must be below an event's bound");
        }
    }

    /** The bounds a migration runs with unless told otherwise. */
    public static Limits defaults() {
        return new Limits(10_000, 500_000, 20_000_000L, 100_000, 10_000, 1_000, 65_536, 4_096, 65_536, 900_000, 100, 1_000, 300);
    }

    public Limits withMaxDatabases(int value) {
        return new Limits(value, maxTables, maxPartitions, maxFunctions, maxColumnsPerTable, maxParametersPerObject, maxValueLength,
                maxTextLength, maxPartitionChars, maxEventChars, maxResourcesPerFunction, maxWarnings, queryTimeoutSeconds);
    }

    public Limits withMaxTables(int value) {
        return new Limits(maxDatabases, value, maxPartitions, maxFunctions, maxColumnsPerTable, maxParametersPerObject, maxValueLength,
                maxTextLength, maxPartitionChars, maxEventChars, maxResourcesPerFunction, maxWarnings, queryTimeoutSeconds);
    }

    public Limits withMaxPartitions(long value) {
        return new Limits(maxDatabases, maxTables, value, maxFunctions, maxColumnsPerTable, maxParametersPerObject, maxValueLength,
                maxTextLength, maxPartitionChars, maxEventChars, maxResourcesPerFunction, maxWarnings, queryTimeoutSeconds);
    }

    public Limits withMaxColumnsPerTable(int value) {
        return new Limits(maxDatabases, maxTables, maxPartitions, maxFunctions, value, maxParametersPerObject, maxValueLength,
                maxTextLength, maxPartitionChars, maxEventChars, maxResourcesPerFunction, maxWarnings, queryTimeoutSeconds);
    }

    public Limits withMaxParametersPerObject(int value) {
        return new Limits(maxDatabases, maxTables, maxPartitions, maxFunctions, maxColumnsPerTable, value, maxValueLength,
                maxTextLength, maxPartitionChars, maxEventChars, maxResourcesPerFunction, maxWarnings, queryTimeoutSeconds);
    }

    public Limits withMaxValueLength(int value) {
        return new Limits(maxDatabases, maxTables, maxPartitions, maxFunctions, maxColumnsPerTable, maxParametersPerObject, value,
                maxTextLength, maxPartitionChars, maxEventChars, maxResourcesPerFunction, maxWarnings, queryTimeoutSeconds);
    }

    public Limits withMaxEventChars(int value) {
        return new Limits(maxDatabases, maxTables, maxPartitions, maxFunctions, maxColumnsPerTable, maxParametersPerObject,
                maxValueLength, maxTextLength, maxPartitionChars, value, maxResourcesPerFunction, maxWarnings, queryTimeoutSeconds);
    }

    public Limits withMaxPartitionChars(int value) {
        return new Limits(maxDatabases, maxTables, maxPartitions, maxFunctions, maxColumnsPerTable, maxParametersPerObject,
                maxValueLength, maxTextLength, value, maxEventChars, maxResourcesPerFunction, maxWarnings, queryTimeoutSeconds);
    }
}
