package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
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
 * in use then. So that no dead session survives a server restart, a connection failure empties the
 * destination's pool ({@link #evict}): the idle sessions are closed, and sessions borrowed before
 * it are closed when they come back instead of being kept. A retry opens a new session
 * ({@link #open}) rather than taking an idle one.
 */
@ApplicationScoped
public class SessionPool {

    private static final Logger LOG = Logger.getLogger(SessionPool.class);
    private static final int IDLE_PER_DESTINATION = 16;
    private static final long IDLE_MILLIS = 60_000;
    private static final long TRUSTED_IDLE_MILLIS = 1_000;
    private static final String IDLE_NAME = "jobplane";

    private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();
    /** Bumped by each {@link #evict} of a destination. */
    private final Map<Key, Long> generations = new ConcurrentHashMap<>();
    /** The generation of the destination each borrowed PostgreSQL session was opened or lent in. */
    private final Map<Connection, Long> lent = new ConcurrentHashMap<>();
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
        long generation = generation(key);
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
                    lent.put(candidate.connection(), generation);
                    return candidate.connection();
                }
            } catch (SQLException e) {
                LOG.debugf("dropping a stale session: %s", e.getMessage());
            }
            closeQuietly(candidate.connection());
        }
        return connectPostgres(key, generation, applicationName);
    }

    /** A newly opened session to the destination, never an idle one: what a retry gets. */
    public Connection open(String url, String user, String password, String applicationName) throws SQLException {
        if (!isPostgres(url)) {
            return connectOther(url, user, password);
        }
        Key key = new Key(url, user, password);
        return connectPostgres(key, generation(key), applicationName);
    }

    private Connection connectPostgres(Key key, long generation, String applicationName) throws SQLException {
        Properties props = egressProperties(key.url());
        if (key.user() != null) {
            props.setProperty("user", key.user());
        }
        if (key.password() != null) {
            props.setProperty("password", key.password());
        }
        props.setProperty("ApplicationName", IDLE_NAME);
        props.setProperty("connectTimeout", "10");
        Connection connection = DriverManager.getConnection(key.url(), props);
        connection.setClientInfo("ApplicationName", applicationName);
        lent.put(connection, generation);
        return connection;
    }

    /**
     * Empties the destination's pool after a connection failure: its idle sessions are closed, and
     * the sessions lent out before now are closed when they come back.
     */
    public void evict(String url, String user, String password) {
        if (!isPostgres(url)) {
            return;
        }
        Key key = new Key(url, user, password);
        generations.merge(key, 1L, Long::sum);
        Deque<Idle> sessions = idle.get(key);
        if (sessions == null) {
            return;
        }
        List<Idle> dropped;
        synchronized (sessions) {
            dropped = new ArrayList<>(sessions);
            sessions.clear();
        }
        if (!dropped.isEmpty()) {
            LOG.infof("a connection to %s failed: %d idle sessions to it closed", key, dropped.size());
        }
        dropped.forEach(s -> closeQuietly(s.connection()));
    }

    private long generation(Key key) {
        return generations.getOrDefault(key, 0L);
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
        Long lentIn = lent.remove(connection);
        Key key = new Key(url, user, password);
        if (!reusable || !isPostgres(url) || lentIn == null || lentIn != generation(key)) {
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
        Deque<Idle> sessions = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (sessions) {
            if (sessions.size() < IDLE_PER_DESTINATION && generation(key) == lentIn) {
                sessions.addFirst(new Idle(connection, System.currentTimeMillis()));
                return;
            }
        }
        closeQuietly(connection);
    }

    /** Closes a session that failed, never to be reused. */
    public void discard(Connection connection) {
        lent.remove(connection);
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

    /** Idle sessions kept for the destination now (for tests and diagnostics). */
    int idleCount(String url, String user, String password) {
        Deque<Idle> sessions = idle.get(new Key(url, user, password));
        if (sessions == null) {
            return 0;
        }
        synchronized (sessions) {
            return sessions.size();
        }
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
