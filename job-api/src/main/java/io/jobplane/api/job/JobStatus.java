package io.jobplane.api.job;

/** A job's configuration status (Tailer): only ACTIVE jobs launch; ARCHIVED ones are read-only and hidden from lists. */
public enum JobStatus {
    ACTIVE, DISABLED, ARCHIVED
}
