package io.jobplane.api.job;

import java.util.EnumSet;
import java.util.Set;

import io.jobplane.api.connection.ConnectionType;

/**
 * Every job type of the model, with what it needs: which kinds of source and destination
 * connection, whether it replicates tables (and so takes replication settings), whether it has
 * tasks, and whether it carries a LakeFormation {@code parameter}. {@link #EXECUTABLE} lists the
 * types workers run today; every type can be defined.
 */
public enum JobType {
    STANDARD(Uses.DATABASE, Uses.DATABASE, true, true),
    SYNC_ALL(Uses.DATABASE, Uses.DATABASE, true, true),
    LOAD_FOLDER(Uses.FILESYSTEM, Uses.DATABASE, true, true),
    CHANGE_DATA_CAPTURE(Uses.DATABASE, Uses.DATABASE, true, true),
    REVERSE_ETL(Uses.DATABASE, Uses.HTTP, true, true),
    TABLE_TO_TABLE(Uses.NONE, Uses.DATABASE, false, true),
    STORAGE_TO_STORAGE(Uses.FILESYSTEM, Uses.FILESYSTEM, false, true),
    WORKFLOW(Uses.NONE, Uses.NONE, false, false),
    STEPS(Uses.NONE, Uses.OPTIONAL_DATABASE, false, false),
    METADATA_DISCOVERY(Uses.NONE, Uses.NONE, false, false),
    METADATA_MIGRATION(Uses.NONE, Uses.NONE, false, false),
    PERMISSION_MIGRATION(Uses.NONE, Uses.NONE, false, false),
    /** Imports a Treasure Data account's own metadata into the catalog: a source, no destination. */
    METADATA_INGEST(Uses.TREASURE_DATA, Uses.NONE, false, false);

    public static final Set<JobType> EXECUTABLE = EnumSet.of(TABLE_TO_TABLE, STANDARD, SYNC_ALL, LOAD_FOLDER,
            STORAGE_TO_STORAGE, STEPS, REVERSE_ETL, METADATA_DISCOVERY, METADATA_MIGRATION, METADATA_INGEST, PERMISSION_MIGRATION);
    /** The types of LakeFormation's lf-jobs: they carry a typed {@code parameter}. */
    public static final Set<JobType> LAKEFORMATION = EnumSet.of(METADATA_DISCOVERY, METADATA_MIGRATION, PERMISSION_MIGRATION);
    /** The types whose runs build the catalog or the grants: their launch commands carry a {@code MetadataSpec}. */
    public static final Set<JobType> CATALOG = EnumSet.of(METADATA_DISCOVERY, METADATA_MIGRATION, METADATA_INGEST, PERMISSION_MIGRATION);

    private final Uses source;
    private final Uses destination;
    private final boolean replicates;
    private final boolean takesTasks;

    JobType(Uses source, Uses destination, boolean replicates, boolean takesTasks) {
        this.source = source;
        this.destination = destination;
        this.replicates = replicates;
        this.takesTasks = takesTasks;
    }

    public Uses source() {
        return source;
    }

    public Uses destination() {
        return destination;
    }

    /** Whether jobs of this type copy rows into tables, and so take {@code replication} settings. */
    public boolean replicates() {
        return replicates;
    }

    public boolean takesTasks() {
        return takesTasks;
    }

    /** Which connections a job type takes at one end. */
    public enum Uses {
        NONE(false, EnumSet.noneOf(ConnectionType.class)),
        DATABASE(true, EnumSet.of(ConnectionType.POSTGRESQL, ConnectionType.MYSQL)),
        OPTIONAL_DATABASE(false, EnumSet.of(ConnectionType.POSTGRESQL, ConnectionType.MYSQL)),
        FILESYSTEM(true, EnumSet.of(ConnectionType.FILESYSTEM)),
        HTTP(true, EnumSet.of(ConnectionType.HTTP)),
        /** The platform a {@code METADATA_INGEST} job reads its metadata from. */
        TREASURE_DATA(true, EnumSet.of(ConnectionType.TREASURE_DATA));

        private final boolean required;
        private final Set<ConnectionType> types;

        Uses(boolean required, Set<ConnectionType> types) {
            this.required = required;
            this.types = types;
        }

        public boolean required() {
            return required;
        }

        public boolean allowed() {
            return !types.isEmpty();
        }

        public Set<ConnectionType> types() {
            return types;
        }
    }
}
