package io.jobplane.worker.catalog.hive;

/**
 * The kinds of metastore objects a migration emits: LakeFormation's {@code sync_objects} (the same
 * names as job-api's {@code MetadataMigrationParameter.SyncObject}). {@link #PARTITION} needs
 * {@link #TABLE}: a table's partitions always follow its table event.
 */
public enum SyncObject {
    DATABASE, FUNCTION, TABLE, PARTITION
}
