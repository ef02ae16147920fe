package io.jobplane.events;

/** Kafka topic names; these are a public interface, see docs/events.md. */
public final class Topics {
    /** Launch and cancel commands for execution workers, key = run id. */
    public static final String COMMANDS = "jobplane.commands";
    /** Commands every worker reads (a cancel must reach whichever worker holds the run), key = run id. */
    public static final String CONTROL = "jobplane.control";
    /** Run and task lifecycle events, key = run id. */
    public static final String RUN_EVENTS = "jobplane.run-events";
    /** Catalog changes from discovery and migration jobs. */
    public static final String CATALOG_CHANGES = "jobplane.catalog-changes";
    /** Permission changes from permission-migration jobs. */
    public static final String POLICY_CHANGES = "jobplane.policy-changes";
    /** Messages a consumer could not read, with the reason in headers. */
    public static final String DEAD_LETTER = "jobplane.dead-letter";

    private Topics() {
    }
}
