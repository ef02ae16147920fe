package io.jobplane.worker.catalog.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.catalog.CatalogChange;

class MigrationOptionsTest {

    @Test
    void partitionsWithoutTablesAreRefused() {
        HiveMigrationException e = assertThrows(HiveMigrationException.class, () -> new MigrationOptions("hive", "lake",
                Set.of(SyncObject.PARTITION), List.of(), null, CatalogChange.Conflict.UPSERT, null));
        assertEquals(HiveMigrationException.Code.INVALID_OPTIONS, e.code());
        new MigrationOptions("hive", "lake", Set.of(SyncObject.PARTITION, SyncObject.TABLE), List.of(), null,
                CatalogChange.Conflict.UPSERT, null);
    }

    @Test
    void catalogsObjectsAndRulesAreChecked() {
        assertThrows(HiveMigrationException.class, () -> new MigrationOptions(" ", "lake", Set.of(SyncObject.TABLE), List.of(), null,
                CatalogChange.Conflict.UPSERT, null));
        assertThrows(HiveMigrationException.class, () -> new MigrationOptions("hive", "x".repeat(256), Set.of(SyncObject.TABLE),
                List.of(), null, CatalogChange.Conflict.UPSERT, null));
        assertThrows(HiveMigrationException.class, () -> new MigrationOptions("hive", "lake", Set.of(), List.of(), null,
                CatalogChange.Conflict.UPSERT, null));
        assertThrows(HiveMigrationException.class, () -> new MigrationOptions("hive", "lake", Set.of(SyncObject.TABLE),
                List.of(new LocationRule("", "s3://x")), null, CatalogChange.Conflict.UPSERT, null));
        assertThrows(HiveMigrationException.class, () -> new MigrationOptions("hive", "lake", Set.of(SyncObject.TABLE), List.of(), null,
                null, null));
    }

    @Test
    void aBlankDefaultOwnerIsNoneAndLimitsDefault() {
        MigrationOptions options = new MigrationOptions("hive", "lake", Set.of(SyncObject.DATABASE), null, "  ",
                CatalogChange.Conflict.UPSERT, null);
        assertNull(options.defaultOwner());
        assertEquals(Limits.defaults(), options.limits());
        assertEquals(List.of(), options.locations());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(HiveMigrationException.class, () -> Limits.defaults().withMaxTables(0));
        assertThrows(HiveMigrationException.class, () -> Limits.defaults().withMaxPartitionChars(Limits.defaults().maxEventChars()));
    }
}
