package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.events.egress.JdbcUrls;

/**
 * Keeps idle PostgreSQL sessions per destination (URL, user, password) so a run does not open — and
 * the database does not fork — a new session each time. A session goes back only after a task
 * ended normally; one that was cancelled, timed out or failed is closed, so no run inherits another
 * run's half-done state. Returned sessions are reset ({@code DISCARD ALL}, which also sets their
 * application name back to the {@code jobplane} they were opened with) and idle ones close after a
 * minute. A session idle for less than a second is handed out without a validity round trip: it was
 * in use then.
 */
@ApplicationScoped
public class SessionPool {

    private static final Logger LOG = Logger.getLogger(SessionPool.class);
    private static final int IDLE_PER_DESTINATION = 16;
    private static final long IDLE_MILLIS = 60_000;
    private static final long TRUSTED_IDLE_MILLIS = 1_000;
    private static final String IDLE_NAME = "jobplane";

    private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "session-reaper");
        t.setDaemon(true);
        return t;
    });

    public SessionPool() {
        reaper.scheduleWithFixedDelay(this::closeIdle, 10, 10, TimeUnit.SECONDS);
    }

    /** A session to the destination, labelled with the run so operators can find it in pg_stat_activity. */
    public Connection borrow(String url, String user, String password, String applicationName) throws SQLException {
        if (!isPostgres(url)) {
            return connectOther(url, user, password);
        }
        Key key = new Key(url, user, password);
        Deque<Idle> sessions = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (true) {
            Idle candidate;
            synchronized (sessions) {
                candidate = sessions.pollFirst();
            }
            if (candidate == null) {
                break;
            }
            try {
                boolean recent = System.currentTimeMillis() - candidate.since() < TRUSTED_IDLE_MILLIS;
                if (recent || candidate.connection().isValid(2)) {
                    candidate.connection().setClientInfo("ApplicationName", applicationName);
                    return candidate.connection();
                }
            } catch (SQLException e) {
                LOG.debugf("dropping a stale session: %s", e.getMessage());
            }
            closeQuietly(candidate.connection());
        }
        Properties props = egressProperties(url);
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", IDLE_NAME);
        props.setProperty("connectTimeout", "10");
        Connection connection = DriverManager.getConnection(url, props);
        connection.setClientInfo("ApplicationName", applicationName);
        return connection;
    }

    /**
     * A session to a database other than PostgreSQL (MySQL): not pooled, since only PostgreSQL's
     * {@code DISCARD ALL} resets everything a run may have left behind.
     */
    private static Connection connectOther(String url, String user, String password) throws SQLException {
        Properties props = egressProperties(url);
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10000");
        return DriverManager.getConnection(url, props);
    }

    /**
     * The platform's egress socket factory (every address checked as it is connected to), after the
     * URL's parameters are checked against the driver's allowlist once more.
     */
    private static Properties egressProperties(String url) throws SQLException {
        try {
            return JdbcUrls.connectProperties(url);
        } catch (JdbcUrls.Refused e) {
            throw new SQLException(e.getMessage(), "08004", e);
        } catch (java.io.UncheckedIOException e) {
            throw new SQLException(e.getCause().getMessage(), "08004", e.getCause());
        }
    }

    private static boolean isPostgres(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    /** Gives a session back for reuse, or closes it when it must not be reused. */
    public void release(String url, String user, String password, Connection connection, boolean reusable) {
        if (!reusable || !isPostgres(url)) {
            closeQuietly(connection);
            return;
        }
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            try (var st = connection.createStatement()) {
                st.execute("DISCARD ALL");
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            return;
        }
        Deque<Idle> sessions = idle.computeIfAbsent(new Key(url, user, password), k -> new ArrayDeque<>());
        synchronized (sessions) {
            if (sessions.size() < IDLE_PER_DESTINATION) {
                sessions.addFirst(new Idle(connection, System.currentTimeMillis()));
                return;
            }
        }
        closeQuietly(connection);
    }

    private void closeIdle() {
        long cutoff = System.currentTimeMillis() - IDLE_MILLIS;
        for (Deque<Idle> sessions : idle.values()) {
            synchronized (sessions) {
                for (Iterator<Idle> it = sessions.iterator(); it.hasNext();) {
                    Idle s = it.next();
                    if (s.since() < cutoff) {
                        it.remove();
                        closeQuietly(s.connection());
                    }
                }
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("closing a session failed: %s", e.getMessage());
        }
    }

    @PreDestroy
    void closeAll() {
        reaper.shutdownNow();
        idle.values().forEach(sessions -> {
            synchronized (sessions) {
                sessions.forEach(s -> closeQuietly(s.connection()));
                sessions.clear();
            }
        });
    }

    private record Key(String url, String user, String password) {
        @Override
        public String toString() {
            return "Key[" + url + ", " + user + "]";
        }
    }

    private record Idle(Connection connection, long since) {
    }
}
