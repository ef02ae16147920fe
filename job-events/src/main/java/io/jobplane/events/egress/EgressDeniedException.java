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

    /** The reason's name; read by name when the denial comes from another class loader's copy of this class. */
    public String reasonName() {
        return reason.name();
    }

    /**
     * The denial anywhere in the cause chain, or null. One thrown by another class loader's copy of
     * this class (a driver's, see {@link Egress}) is recognised by name and given back as this copy's.
     */
    public static EgressDeniedException in(Throwable failure) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            EgressDeniedException denied = asOwn(t);
            for (int i = 0; denied == null && i < t.getSuppressed().length; i++) {
                denied = asOwn(t.getSuppressed()[i]);
            }
            if (denied != null) {
                return denied;
            }
        }
        return null;
    }

    private static EgressDeniedException asOwn(Throwable t) {
        if (t instanceof EgressDeniedException denied) {
            return denied;
        }
        if (t.getClass().getName().equals(EgressDeniedException.class.getName())) {
            try {
                String reason = (String) t.getClass().getMethod("reasonName").invoke(t);
                return new EgressDeniedException(t.getMessage(), EgressPolicy.Reason.valueOf(reason));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new EgressDeniedException(t.getMessage(), EgressPolicy.Reason.RESERVED);
            }
        }
        return null;
    }
}
