package io.jobplane.events.payload;

/** Run states. QUEUED → RUNNING → SUCCESS | FAILED | STOPPED, with CANCELLING before STOPPED. */
public enum RunStatus {
    QUEUED, RUNNING, CANCELLING, SUCCESS, FAILED, STOPPED;

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == STOPPED;
    }
}
