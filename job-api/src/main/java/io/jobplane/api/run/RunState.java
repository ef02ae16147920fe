package io.jobplane.api.run;

import java.util.EnumSet;
import java.util.Set;

/** Where a run is in its life, as job-api supervises it (see V5__run_supervision.sql). */
public enum RunState {
    QUEUED, DISPATCHED, RUNNING, CANCELLING, SUCCESS, FAILED, STOPPED, UNKNOWN;

    /** States that hold a concurrency slot. */
    public static final Set<RunState> ACTIVE = EnumSet.of(DISPATCHED, RUNNING, CANCELLING);

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == STOPPED || this == UNKNOWN;
    }

    /** The status clients see: a dispatched run has not started, so it is still QUEUED to them. */
    public String publicStatus() {
        return this == DISPATCHED ? "QUEUED" : name();
    }
}
