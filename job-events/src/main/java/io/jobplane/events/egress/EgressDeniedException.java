package io.jobplane.events.egress;

import java.io.IOException;

/**
 * A connection to an address the egress policy refuses. An {@link IOException} so drivers and HTTP
 * clients pass it on as a failure to connect; {@code Failures} reads it as permanent: trying again
 * reaches the same address.
 */
public final class EgressDeniedException extends IOException {

    /** The code users see. */
    public static final String CODE = "EGRESS_DENIED";

    private final EgressPolicy.Reason reason;

    public EgressDeniedException(String message, EgressPolicy.Reason reason) {
        super(message);
        this.reason = reason;
    }

    public EgressPolicy.Reason reason() {
        return reason;
    }

    /** The denial anywhere in the cause chain, or null. */
    public static EgressDeniedException in(Throwable failure) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof EgressDeniedException denied) {
                return denied;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof EgressDeniedException denied) {
                    return denied;
                }
            }
        }
        return null;
    }
}
