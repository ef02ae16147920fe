package io.jobplane.api.run;

import java.util.UUID;

/**
 * What made a run: its {@code trigger} as runs and events show it, the backfill it belongs to, if any,
 * and the run it reruns, if any.
 */
public record RunOrigin(String trigger, UUID backfillId, UUID rerunOf) {

    public static final RunOrigin MANUAL = new RunOrigin("manual", null);
    public static final RunOrigin SCHEDULE = new RunOrigin("schedule", null);
    public static final RunOrigin WORKFLOW = new RunOrigin("workflow", null);

    public RunOrigin(String trigger, UUID backfillId) {
        this(trigger, backfillId, null);
    }

    public static RunOrigin backfill(UUID backfillId) {
        return new RunOrigin("backfill", backfillId);
    }

    /** A rerun of an ended run (docs/operating-runs.md): a caller asked for it, like a manual launch. */
    public static RunOrigin rerun(UUID original) {
        return new RunOrigin("rerun", null, original);
    }

    /** A caller asked for the run, so it takes one of the workspace's launch rate. */
    public boolean askedByCaller() {
        return this == MANUAL || rerunOf != null;
    }
}
