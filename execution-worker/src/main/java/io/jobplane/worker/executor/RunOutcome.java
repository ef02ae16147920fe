package io.jobplane.worker.executor;

import io.jobplane.events.payload.RunStatus;

/** How a run ended, with the reason when it did not succeed. */
public record RunOutcome(RunStatus status, String errorMessage) {

    public static RunOutcome success() {
        return new RunOutcome(RunStatus.SUCCESS, null);
    }

    public static RunOutcome failed(String why) {
        return new RunOutcome(RunStatus.FAILED, why);
    }

    public static RunOutcome stopped() {
        return new RunOutcome(RunStatus.STOPPED, "cancelled on request");
    }
}
