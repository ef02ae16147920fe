package io.jobplane.events.payload;

/** Run states. QUEUED → RUNNING → SUCCESS | FAILED | STOPPED, with CANCELLING before STOPPED. */
public enum RunStatus {
    QUEUED(0), RUNNING(1), CANCELLING(2), SUCCESS(3), FAILED(3), STOPPED(3);

    private final int rank;

    RunStatus(int rank) {
        this.rank = rank;
    }

    /** Its precedence: a status only ever gives way to one of a higher rank (see {@link StatusPrecedence}). */
    public int rank() {
        return rank;
    }

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == STOPPED;
    }
}
