package io.jobplane.api.job.settings;

/** What replication does with rows deleted at the source (CData {@code Deletion_Behavior}). */
public enum DeletionBehavior {
    /** Delete the row at the destination too. */
    HARD_DELETE,
    /** Keep the row and mark it deleted. */
    SOFT_DELETE,
    /** Leave the destination row alone. */
    SKIP_DELETE
}
