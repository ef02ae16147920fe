package io.jobplane.api.schedule;

import java.util.Collection;

import io.jobplane.api.job.settings.Schedule.OverlapPolicy;
import io.jobplane.api.run.RunState;

/** What a schedule's tick does, by its overlap policy, while the job has runs that have not ended. */
enum Overlap {
    /** Launch the tick's run. */
    LAUNCH,
    /** Launch nothing for the tick; it counts as fired. */
    SKIP,
    /** Cancel the job's unfinished runs, then launch the tick's run. */
    CANCEL_AND_LAUNCH;

    /**
     * The decision for one tick. {@code tickLaunched}: the tick's run exists already (a claim that
     * launched it did not commit), so the launch only gives it back. {@code others}: the states of the
     * job's other unfinished runs.
     */
    static Overlap decide(OverlapPolicy policy, boolean tickLaunched, Collection<RunState> others) {
        if (tickLaunched || others.isEmpty()) {
            return LAUNCH;
        }
        return switch (policy) {
            case ALLOW -> LAUNCH;
            case SKIP -> SKIP;
            case BUFFER_ONE -> others.contains(RunState.QUEUED) ? SKIP : LAUNCH;
            case CANCEL_OTHER -> CANCEL_AND_LAUNCH;
        };
    }
}
