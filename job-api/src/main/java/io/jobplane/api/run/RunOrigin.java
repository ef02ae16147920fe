package io.jobplane.api.run;

import java.util.UUID;

/** What made a run: its {@code trigger} as runs and events show it, and the backfill it belongs to, if any. */
public record RunOrigin(String trigger, UUID backfillId) {

    public static final RunOrigin MANUAL = new RunOrigin("manual", null);
    public static final RunOrigin SCHEDULE = new RunOrigin("schedule", null);
    public static final RunOrigin WORKFLOW = new RunOrigin("workflow", null);

    public static RunOrigin backfill(UUID backfillId) {
        return new RunOrigin("backfill", backfillId);
    }
}
