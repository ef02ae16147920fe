package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.SQLException;

import io.jobplane.events.egress.Egress;
import io.jobplane.events.egress.EgressDeniedException;
import io.jobplane.events.egress.EgressPolicy;
import io.jobplane.events.egress.JdbcUrls;
import io.jobplane.events.failure.Failures;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;

/**
 * One end of a run (its destination, or a replication's source) with its password opened: sessions
 * are borrowed from and given back to the worker's {@link SessionPool}. Messages that leave it are
 * scrubbed of the password, in case a driver ever echoes it.
 */
public final class Endpoint {

    private final String role;
    private final ConnectionSpec spec;
    private final String password;

    private Endpoint(String role, ConnectionSpec spec, String password) {
        this.role = role;
        this.spec = spec;
        this.password = password;
    }

    /**
     * Opens the connection's sealed password, which must be sealed to this connection of the run's
     * {@code workspace}; {@code role} ("destination", "source") names it in errors.
     */
    public static Endpoint open(String role, ConnectionSpec spec, String workspace, SecretKeyring keyring) throws Unavailable {
        if (spec == null || spec.jdbcUrl() == null) {
            throw new Unavailable("the job has no " + role + " connection");
        }
        try {
            JdbcUrls.check(spec.jdbcUrl());
        } catch (JdbcUrls.Refused e) {
            throw new Unavailable("the " + role + "'s jdbc_url is refused: " + e.getMessage() + ". " + e.fix());
        }
        try {
            return new Endpoint(role, spec, spec.password() == null ? null
                    : keyring.open(spec.password(), SecretOwner.connection(workspace, spec.connectionId()), "password"));
        } catch (RuntimeException e) {
            throw new Unavailable("cannot open the " + role + " password: " + e.getMessage());
        }
    }

    /**
     * An end whose password the caller opened (a metadata migration's data source, sealed with the job's
     * parameter); its URL is checked like a connection's.
     */
    public static Endpoint withPassword(String role, ConnectionSpec spec, String password) throws Unavailable {
        try {
            JdbcUrls.check(spec.jdbcUrl());
        } catch (JdbcUrls.Refused e) {
            throw new Unavailable("the " + role + "'s jdbc_url is refused: " + e.getMessage() + ". " + e.fix());
        }
        return new Endpoint(role, spec, password);
    }

    /** A session labelled (in pg_stat_activity) with what it is for: an idle one of the pool, or a new one. */
    public Connection borrow(SessionPool sessions, String label) throws Unavailable {
        try {
            return sessions.borrow(spec.jdbcUrl(), spec.username(), password, label);
        } catch (SQLException e) {
            throw unavailable(sessions, e);
        }
    }

    /** A newly opened session, never an idle one of the pool: what a retry after a failure gets. */
    public Connection open(SessionPool sessions, String label) throws Unavailable {
        try {
            return sessions.open(spec.jdbcUrl(), spec.username(), password, label);
        } catch (SQLException e) {
            throw unavailable(sessions, e);
        }
    }

    private Unavailable unavailable(SessionPool sessions, SQLException e) {
        EgressDeniedException denied = EgressDeniedException.in(e);
        if (denied != null) {
            return new Unavailable("cannot connect to the " + role + ": " + denied.getMessage());
        }
        if (Failures.isConnectionLoss(e)) {
            sessions.evict(spec.jdbcUrl(), spec.username(), password);
        }
        return new Unavailable("cannot connect to the " + role + ": " + scrub(e.getMessage()), !Failures.isPermanent(e));
    }

    /**
     * Closes a session whose work failed; when the failure was a lost connection, every idle
     * session to the same database goes too (the server may have restarted).
     */
    public void discard(SessionPool sessions, Connection connection, Throwable failure) {
        sessions.discard(connection);
        if (failure != null && Failures.isConnectionLoss(failure)) {
            sessions.evict(spec.jdbcUrl(), spec.username(), password);
        }
    }

    /**
     * Checks now every address the URL's hosts resolve to, for a process that connects by itself (a
     * step's libpq) and so not through the platform's checking sockets. Weaker than the check at
     * connect time (the name may resolve differently when the process connects): the step sandbox's
     * network policy is what holds there.
     */
    public void checkReachable() throws Unavailable {
        for (EgressPolicy.Endpoint host : JdbcUrls.check(spec.jdbcUrl()).hosts()) {
            try {
                Egress.policy().resolveAndCheck(host.host(), host.port());
            } catch (EgressDeniedException e) {
                throw new Unavailable("the " + role + " is refused: " + e.getMessage());
            } catch (java.net.UnknownHostException e) {
                throw new Unavailable("the " + role + "'s host " + host.host() + " does not resolve");
            }
        }
    }

    /** Gives the session back; only one whose work ended normally ({@code reusable}) serves again. */
    public void release(SessionPool sessions, Connection connection, boolean reusable) {
        sessions.release(spec.jdbcUrl(), spec.username(), password, connection, reusable);
    }

    /** Bounds each statement of the session by the job's {@code task_timeout_seconds}, when it sets one. */
    static void limitStatements(Connection connection, Integer timeoutSeconds) throws SQLException {
        if (timeoutSeconds != null) {
            try (java.sql.Statement st = connection.createStatement()) {
                st.execute("set statement_timeout = " + (timeoutSeconds * 1000L));
            }
        }
    }

    /** The opened password, for a process that connects by itself (libpq's PGPASSWORD); null when none. */
    public String password() {
        return password;
    }

    /** The message without the password in it. */
    public String scrub(String message) {
        if (message == null || password == null || password.isEmpty()) {
            return message;
        }
        return message.replace(password, "***");
    }

    /**
     * The run cannot reach one of its connections; the message is safe to publish. {@code retryable}
     * when another try may succeed (the server refused or lost the connection, is starting up, has
     * no free slot), not when the login or the database name is wrong.
     */
    public static final class Unavailable extends Exception {
        private final boolean retryable;

        Unavailable(String message) {
            this(message, false);
        }

        Unavailable(String message, boolean retryable) {
            super(message, null, false, false);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
