package io.jobplane.events;

/** CloudEvents {@code type} values. Never repurpose one; add a new type instead. */
public final class EventTypes {
    public static final String LAUNCH = "jobplane.command.launch";
    public static final String CANCEL = "jobplane.command.cancel";
    public static final String RUN_QUEUED = "jobplane.run.queued";
    public static final String RUN_STARTED = "jobplane.run.started";
    public static final String RUN_FINISHED = "jobplane.run.finished";
    public static final String RUN_CANCELLING = "jobplane.run.cancelling";
    /** An operator set an ended run's status ({@link io.jobplane.events.payload.RunMarked}). */
    public static final String RUN_MARKED = "jobplane.run.marked";
    public static final String RUN_HEARTBEAT = "jobplane.run.heartbeat";
    public static final String RUN_LOG = "jobplane.run.log";
    public static final String TASK_STARTED = "jobplane.task.started";
    public static final String TASK_FINISHED = "jobplane.task.finished";
    public static final String TASK_PROGRESS = "jobplane.task.progress";
    /**
     * A workspace's retention policy ({@link io.jobplane.events.payload.WorkspaceRetention}) on
     * jobplane.run-events, key = workspace: the read model purges by it.
     */
    public static final String WORKSPACE_RETENTION = "jobplane.workspace.retention";
    /** Catalog changes ({@link io.jobplane.events.payload.catalog.CatalogChange}) on jobplane.catalog-changes. */
    public static final String CATALOG_DATABASE = "jobplane.catalog.database.upserted";
    public static final String CATALOG_TABLE = "jobplane.catalog.table.upserted";
    public static final String CATALOG_PARTITIONS = "jobplane.catalog.partitions.upserted";
    public static final String CATALOG_FUNCTION = "jobplane.catalog.function.upserted";
    public static final String CATALOG_PLATFORM_RECORDS = "jobplane.catalog.platform.records";
    public static final String CATALOG_PLATFORM_COMMITTED = "jobplane.catalog.platform.committed";
    public static final String CATALOG_RUN_COMPLETED = "jobplane.catalog.run.completed";
    /** Policy changes ({@link io.jobplane.events.payload.policy.PolicyChange}) on jobplane.policy-changes. */
    public static final String POLICY_GRANTS_STAGED = "jobplane.policy.grants.staged";
    public static final String POLICY_GRANTS_COMMITTED = "jobplane.policy.grants.committed";
    public static final String POLICY_REPORT = "jobplane.policy.report";
    public static final String POLICY_RUN_COMPLETED = "jobplane.policy.run.completed";

    private EventTypes() {
    }
}
