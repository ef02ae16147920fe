package io.jobplane.api.job;

import java.util.EnumSet;
import java.util.Set;

/** Every job type of the model; {@link #EXECUTABLE} lists the ones workers can run today. */
public enum JobType {
    STANDARD, SYNC_ALL, LOAD_FOLDER, CHANGE_DATA_CAPTURE, REVERSE_ETL, TABLE_TO_TABLE, STORAGE_TO_STORAGE,
    WORKFLOW, STEPS, METADATA_DISCOVERY, METADATA_MIGRATION, PERMISSION_MIGRATION, METADATA_INGEST;

    public static final Set<JobType> EXECUTABLE = EnumSet.of(TABLE_TO_TABLE);
}
