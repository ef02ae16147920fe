package io.jobplane.worker.catalog.hive;

import java.util.List;
import java.util.Set;

import io.jobplane.events.payload.catalog.CatalogChange;

/**
 * What a Hive metastore migration copies and how: LakeFormation's METADATA_MIGRATION parameter, as the
 * worker receives it.
 *
 * @param sourceCatalog the metastore catalog read ({@code hive} unless the metastore has others); compared ignoring case
 * @param targetCatalog the catalog name the emitted changes carry instead
 * @param syncObjects the kinds emitted; {@link SyncObject#PARTITION} needs {@link SyncObject#TABLE}
 * @param locations location rewrite rules, at most {@value LocationRewriter#MAX_RULES} (see {@link LocationRewriter})
 * @param defaultOwner the owner of a database, table or function whose owner is empty; null keeps it empty
 * @param conflict how the changes meet what the target catalog holds
 * @param limits the bounds of the run
 */
public record MigrationOptions(String sourceCatalog, String targetCatalog, Set<SyncObject> syncObjects, List<LocationRule> locations,
        String defaultOwner, CatalogChange.Conflict conflict, Limits limits) {

    /** Longest catalog and owner names. */
    public static final int MAX_NAME_LENGTH = 255;

    public MigrationOptions {
        sourceCatalog = name("source catalog", sourceCatalog);
        targetCatalog = name("target catalog", targetCatalog);
        if (syncObjects == null || syncObjects.isEmpty()) {
            throw invalid("choose at least one kind of object to migrate (DATABASE, TABLE, PARTITION, FUNCTION)");
        }
        syncObjects = Set.copyOf(syncObjects);
        if (syncObjects.contains(SyncObject.PARTITION) && !syncObjects.contains(SyncObject.TABLE)) {
            throw invalid("PARTITION needs TABLE: a table's partitions are migrated after its table");
        }
        locations = locations == null ? List.of() : List.copyOf(locations);
        LocationRewriter.of(locations);
        if (defaultOwner != null) {
            defaultOwner = defaultOwner.strip();
            if (defaultOwner.isEmpty()) {
                defaultOwner = null;
            } else if (defaultOwner.length() > MAX_NAME_LENGTH) {
                throw invalid("the default owner is longer than " + MAX_NAME_LENGTH + " characters");
            }
        }
        if (conflict == null) {
            throw invalid("a conflict strategy is needed");
        }
        if (limits == null) {
            limits = Limits.defaults();
        }
    }

    /** Whether this kind is emitted. */
    public boolean syncs(SyncObject kind) {
        return syncObjects.contains(kind);
    }

    private static String name(String what, String value) {
        if (value == null || value.isBlank()) {
            throw invalid("the " + what + " is needed");
        }
        value = value.strip();
        if (value.length() > MAX_NAME_LENGTH) {
            throw invalid("the " + what + " is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return value;
    }

    private static HiveMigrationException invalid(String message) {
        return new HiveMigrationException(HiveMigrationException.Code.INVALID_OPTIONS, message);
    }
}
