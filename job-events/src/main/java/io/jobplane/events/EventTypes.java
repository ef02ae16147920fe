package io.jobplane.events;

/** CloudEvents {@code type} values. Never repurpose one; add a new type instead. */
public final class EventTypes {
    public static final String LAUNCH = "jobplane.command.launch";
    public static final String CANCEL = "jobplane.command.cancel";
    public static final String RUN_QUEUED = "jobplane.run.queued";
    public static final String RUN_STARTED = "jobplane.run.started";
    public static final String RUN_FINISHED = "jobplane.run.finished";
    public static final String RUN_CANCELLING = "jobplane.run.cancelling";
    public static final String RUN_HEARTBEAT = "jobplane.run.heartbeat";
    public static final String RUN_LOG = "jobplane.run.log";
    public static final String TASK_STARTED = "jobplane.task.started";
    public static final String TASK_FINISHED = "jobplane.task.finished";
    public static final String TASK_PROGRESS = "jobplane.task.progress";

    private EventTypes() {
    }
}
