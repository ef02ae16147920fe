package io.jobplane.events.payload;

/** Task states within a run; SKIPPED marks tasks never started because the run ended first. */
public enum TaskStatus {
    // A state inferred from the run's end (SKIPPED, STOPPED) yields to the task's own outcome.
    PENDING(0), RUNNING(1), SUCCESS(4), FAILED(4), STOPPED(3), SKIPPED(2);

    private final int rank;

    TaskStatus(int rank) {
        this.rank = rank;
    }

    /** Its precedence: a status only ever gives way to one of a higher rank (see {@link StatusPrecedence}). */
    public int rank() {
        return rank;
    }

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == STOPPED || this == SKIPPED;
    }
}
