package io.jobplane.api.run;

import java.util.EnumSet;
import java.util.Set;

/** Where a run is in its life, as job-api supervises it (see V5__run_supervision.sql). */
public enum RunState {
    QUEUED, DISPATCHED, RUNNING, CANCELLING, SUCCESS, FAILED, STOPPED, UNKNOWN;

    /** States that hold a concurrency slot. */
    public static final Set<RunState> ACTIVE = EnumSet.of(DISPATCHED, RUNNING, CANCELLING);
    /** States of a run that has not ended: waiting, or holding a slot. */
    public static final Set<RunState> UNFINISHED = EnumSet.of(QUEUED, DISPATCHED, RUNNING, CANCELLING);
    /** The same two sets as SQL lists, for native queries: {@code state in ...}. */
    public static final String ACTIVE_SQL = sql(ACTIVE);
    static final String UNFINISHED_SQL = sql(UNFINISHED);

    private static String sql(Set<RunState> states) {
        return states.stream().map(s -> "'" + s.name() + "'").collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == STOPPED || this == UNKNOWN;
    }

    /** The status clients see: a dispatched run has not started, so it is still QUEUED to them. */
    public String publicStatus() {
        return this == DISPATCHED ? "QUEUED" : name();
    }
}
