package io.jobplane.events.failure;

/** What a failure means to whoever decides between trying again, giving up and moving on (see {@link Failures}). */
public enum FailureKind {
    /** Another try may succeed: a connection lost or refused, a server going away or out of connections, a deadlock. */
    RETRIABLE,
    /** The data is at fault (a malformed event, SQLSTATE class 22 or 23): no retry cures it. */
    POISON,
    /** The work was done before (SQLSTATE 23505, unique violation): it counts as done. */
    DUPLICATE,
    /** The environment is at fault until someone changes it: an undefined object (class 42), a refused login (28). */
    PERMANENT,
    /** Nothing the classifier knows; the caller decides. */
    UNKNOWN
}
