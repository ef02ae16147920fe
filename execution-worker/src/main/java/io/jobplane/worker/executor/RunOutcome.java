package io.jobplane.worker.executor;

import io.jobplane.events.payload.RunStatus;

/** How a run ended, with the reason and a machine-readable code when it did not succeed. */
public record RunOutcome(RunStatus status, String errorMessage, String errorCode) {

    public static RunOutcome success() {
        return new RunOutcome(RunStatus.SUCCESS, null, null);
    }

    public static RunOutcome failed(String code, String why) {
        return new RunOutcome(RunStatus.FAILED, why, code);
    }

    public static RunOutcome stopped() {
        return new RunOutcome(RunStatus.STOPPED, "cancelled on request", "CANCELLED");
    }
}
