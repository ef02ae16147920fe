package io.jobplane.worker.catalog.discovery;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import io.jobplane.events.payload.catalog.CatalogChange;

/**
 * What a discovery run looks for and how it reports it (docs/catalog/discovery.md).
 *
 * @param formats the formats read ({@code file_discovery_type}; {@link FileFormat#of})
 * @param csv how CSV files are split
 * @param sampleRatePercent {@code file_sample_rate}: 0 reads one file per folder, 100 every file, in between that
 *        share of each folder's files (at least one)
 * @param tableDepth the folder level that names tables: 0 the data location itself is the table, 1 each folder
 *        directly under it, and so on
 * @param changedSince null for a FULL discovery; else INCREMENTAL: only files modified after it are read
 * @param catalog the target catalog
 * @param database the target database
 * @param owner owner of the database and tables, or null
 * @param conflict how the changes meet what the catalog holds
 * @param limits the run's bounds
 */
public record DiscoveryOptions(Set<FileFormat> formats, CsvOptions csv, int sampleRatePercent, int tableDepth, Instant changedSince,
        String catalog, String database, String owner, CatalogChange.Conflict conflict, Limits limits) {

    public DiscoveryOptions {
        if (formats == null || formats.isEmpty()) {
            throw new IllegalArgumentException("a discovery needs at least one file format");
        }
        formats = Set.copyOf(EnumSet.copyOf(formats));
        csv = csv == null ? CsvOptions.DEFAULTS : csv;
        if (sampleRatePercent < 0 || sampleRatePercent > 100) {
            throw new IllegalArgumentException("file_sample_rate must be 0 to 100, not " + sampleRatePercent);
        }
        if (tableDepth < 0) {
            throw new IllegalArgumentException("table_depth must be 0 or more, not " + tableDepth);
        }
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(database, "database");
        conflict = conflict == null ? CatalogChange.Conflict.UPSERT : conflict;
        limits = limits == null ? Limits.DEFAULTS : limits;
        if (tableDepth > limits.maxDepth()) {
            throw new IllegalArgumentException("table_depth " + tableDepth + " is deeper than the " + limits.maxDepth()
                    + " folder levels a discovery walks");
        }
    }

    /** Whether only files changed since {@link #changedSince()} are read. */
    public boolean incremental() {
        return changedSince != null;
    }
}
