package io.jobplane.events.payload;

/** Task states within a run; SKIPPED marks tasks never started because the run ended first. */
public enum TaskStatus {
    PENDING, RUNNING, SUCCESS, FAILED, STOPPED, SKIPPED;

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == STOPPED || this == SKIPPED;
    }
}
