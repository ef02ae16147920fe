package io.jobplane.worker.executor;

import java.sql.Connection;

/**
 * The session one thread of a run works on with one {@link Endpoint}: borrowed when a try first
 * needs it, kept for the next tasks while they succeed, closed when a try fails. The try after a
 * failure opens a new session instead of taking an idle one, and a lost connection empties the
 * endpoint's pool (see {@link Endpoint#discard}), so a retry never reuses a dead session. Not
 * shared between threads.
 */
public final class Lease {

    private final Endpoint endpoint;
    private final SessionPool sessions;
    private final String label;
    private Connection connection;
    private boolean fresh;

    public Lease(Endpoint endpoint, SessionPool sessions, String label) {
        this.endpoint = endpoint;
        this.sessions = sessions;
        this.label = label;
    }

    /** The session, borrowed (or, after a failure, newly opened) now if the lease holds none. */
    public Connection get() throws Endpoint.Unavailable {
        if (connection == null) {
            connection = fresh ? endpoint.open(sessions, label) : endpoint.borrow(sessions, label);
            fresh = false;
        }
        return connection;
    }

    /** The try failed ({@code failure}: why, when known): its session is closed; the next try opens a new one. */
    public void failed(Throwable failure) {
        if (connection != null) {
            endpoint.discard(sessions, connection, failure);
            connection = null;
        }
        fresh = true;
    }

    /** Gives the session back at the end; only one whose work ended normally ({@code reusable}) serves again. */
    public void release(boolean reusable) {
        if (connection != null) {
            endpoint.release(sessions, connection, reusable);
            connection = null;
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }
}
