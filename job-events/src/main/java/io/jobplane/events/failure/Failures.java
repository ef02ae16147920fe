package io.jobplane.events.failure;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JacksonException;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

import io.jobplane.events.MalformedEventException;
import io.jobplane.events.egress.EgressDeniedException;

/**
 * The one reading of failures, after Debezium's {@code ErrorHandler}: walks the cause chain from the
 * outside in and returns the first {@link FailureKind} it recognises. Rules, in order, for each link:
 * <ul>
 * <li>an egress denial ({@link EgressDeniedException}) anywhere in the chain: PERMANENT, whatever wraps it;</li>
 * <li>{@link MalformedEventException}: POISON (consumers turn what a payload reader throws into one);</li>
 * <li>a SQLSTATE (JDBC's {@link SQLException}; Vert.x's {@code DatabaseException}, PgException
 *     included, where the reactive SQL client is on the class path): 23505 DUPLICATE; class 08,
 *     57P01–57P03, 53300, 40001, 40P01 and 57014 (a statement timeout) RETRIABLE; other 22 and 23
 *     POISON; 42, 28, 3D and 3F PERMANENT;</li>
 * <li>a record Kafka refuses whatever the retry (larger than the producer's {@code max.request.size} or the
 *     topic's {@code max.message.bytes}, an invalid record): POISON;</li>
 * <li>a connection failure or a timeout (an {@link IOException} that is not about a file or a
 *     payload — socket errors, refused connections, unknown hosts, HTTP timeouts —, a closed channel
 *     or connection, {@link SQLTransientConnectionException}, {@link SQLTimeoutException},
 *     {@link TimeoutException}, a retriable Kafka error): RETRIABLE.</li>
 * </ul>
 * Anything else is UNKNOWN and the caller decides. HTTP answers are read by {@link #byHttpStatus}:
 * 408, 425, 429, 502, 503 and 504 RETRIABLE, any other 4xx PERMANENT. New rules (more SQLSTATEs,
 * a driver's own exceptions) go into {@link #classifyLink}.
 * <p>
 * Tasks read the same kinds as two: {@linkplain #isTransient transient} (RETRIABLE: tried again
 * with the job's retry policy on a fresh session) and {@linkplain #isPermanent permanent}
 * (POISON, DUPLICATE, PERMANENT: the task fails at once with the database's own text).
 */
public final class Failures {

    /** SQLSTATE of a unique violation: the row is there already. */
    public static final String UNIQUE_VIOLATION = "23505";
    /** SQLSTATE of "relation does not exist". */
    public static final String UNDEFINED_TABLE = "42P01";
    /** Server shutting down or crashed (57P01–57P03), too many connections, serialisation failure, deadlock. */
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "53300", "40001", "40P01", "57014");
    /** The server went away or is going: the sessions it had are gone. */
    private static final Set<String> SERVER_GONE_STATES = Set.of("57P01", "57P02", "57P03");
    /** HTTP answers another try may change: request timeout, too early, too many requests, bad gateway, unavailable, gateway timeout. */
    private static final Set<Integer> TRANSIENT_HTTP = Set.of(408, 425, 429, 502, 503, 504);
    /** Deeper chains are cut off (and cycles cannot loop). */
    private static final int MAX_DEPTH = 32;
    private static final boolean VERTX_SQL = present("io.vertx.sqlclient.DatabaseException");

    private Failures() {
    }

    /** The first kind recognised along the cause chain, UNKNOWN when none is. */
    public static FailureKind classify(Throwable failure) {
        if (EgressDeniedException.in(failure) != null) {
            // Drivers wrap it as a connection failure (08001); trying again reaches the same refused address.
            return FailureKind.PERMANENT;
        }
        for (Throwable link : chain(failure)) {
            FailureKind kind = classifyLink(link);
            if (kind != FailureKind.UNKNOWN) {
                return kind;
            }
        }
        return FailureKind.UNKNOWN;
    }

    /**
     * Another try may succeed (RETRIABLE): a lost or refused connection, a server restarting, out
     * of connections, a serialisation failure or deadlock, a timeout.
     */
    public static boolean isTransient(Throwable failure) {
        return classify(failure) == FailureKind.RETRIABLE;
    }

    /** No retry cures it (POISON, DUPLICATE or PERMANENT): the statement, its data or the setup is wrong. */
    public static boolean isPermanent(Throwable failure) {
        FailureKind kind = classify(failure);
        return kind == FailureKind.POISON || kind == FailureKind.DUPLICATE || kind == FailureKind.PERMANENT;
    }

    /**
     * The session that failed is lost, and any other session to the same server may be too: a
     * connection failure (SQLSTATE class 08, a socket error, a closed connection) or the server
     * shutting down or crashed (57P01–57P03). Pooled sessions to that server should be dropped.
     */
    public static boolean isConnectionLoss(Throwable failure) {
        for (Throwable link : chain(failure)) {
            String state = sqlStateOf(link);
            if (state != null) {
                if (state.startsWith("08") || SERVER_GONE_STATES.contains(state)) {
                    return true;
                }
            } else if (isConnectionFailure(link) && !isTimeout(link)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What an HTTP status means to a retry: 2xx and 3xx UNKNOWN (not failures the classifier reads),
     * 408, 425, 429, 502, 503 and 504 RETRIABLE, any other 4xx PERMANENT, any other 5xx UNKNOWN
     * (the caller decides).
     */
    public static FailureKind byHttpStatus(int status) {
        if (TRANSIENT_HTTP.contains(status)) {
            return FailureKind.RETRIABLE;
        }
        if (status >= 400 && status < 500) {
            return FailureKind.PERMANENT;
        }
        return FailureKind.UNKNOWN;
    }

    /** The work was done before: a unique violation. */
    public static boolean isDuplicate(Throwable failure) {
        return classify(failure) == FailureKind.DUPLICATE;
    }

    /** The data is at fault and no retry cures it. */
    public static boolean isPoison(Throwable failure) {
        return classify(failure) == FailureKind.POISON;
    }

    /** PostgreSQL "relation does not exist" (42P01) anywhere in the chain: a schema not created yet. */
    public static boolean isUndefinedTable(Throwable failure) {
        return hasSqlState(failure, UNDEFINED_TABLE::equals);
    }

    /** SQLSTATE class 22 (data exception) anywhere in the chain: the database refused a value. */
    public static boolean isDataException(Throwable failure) {
        return hasSqlState(failure, state -> state.startsWith("22"));
    }

    /** The SQLSTATE of the outermost link that has one, or null. */
    public static String sqlState(Throwable failure) {
        for (Throwable link : chain(failure)) {
            String state = sqlStateOf(link);
            if (state != null) {
                return state;
            }
        }
        return null;
    }

    private static FailureKind classifyLink(Throwable link) {
        if (link instanceof MalformedEventException || isRefusedRecord(link)) {
            return FailureKind.POISON;
        }
        String state = sqlStateOf(link);
        if (state != null) {
            return bySqlState(state);
        }
        return isConnectionFailure(link) ? FailureKind.RETRIABLE : FailureKind.UNKNOWN;
    }

    static FailureKind bySqlState(String state) {
        if (UNIQUE_VIOLATION.equals(state)) {
            return FailureKind.DUPLICATE;
        }
        if (state.startsWith("08") || TRANSIENT_STATES.contains(state)) {
            return FailureKind.RETRIABLE;
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            return FailureKind.POISON;
        }
        if (state.startsWith("42") || state.startsWith("28") || state.startsWith("3D") || state.startsWith("3F")) {
            return FailureKind.PERMANENT;
        }
        return FailureKind.UNKNOWN;
    }

    /** Kafka refuses this record, and will refuse it on every try. */
    private static boolean isRefusedRecord(Throwable link) {
        return link instanceof RecordTooLargeException || link instanceof RecordBatchTooLargeException
                || link instanceof InvalidRecordException;
    }

    private static boolean isConnectionFailure(Throwable link) {
        return link instanceof SocketException || link instanceof UnknownHostException
                || link instanceof ClosedChannelException || isTimeout(link) || isNetworkIo(link)
                || link instanceof SQLTransientConnectionException || link instanceof SQLRecoverableException
                || link instanceof RetriableException
                || VERTX_SQL && VertxSqlErrors.connectionClosed(link);
    }

    private static boolean isTimeout(Throwable link) {
        return link instanceof SocketTimeoutException || link instanceof SQLTimeoutException
                || link instanceof TimeoutException || link instanceof java.net.http.HttpTimeoutException;
    }

    /** An I/O failure on the way to a server; not one about a file or a payload's bytes. */
    private static boolean isNetworkIo(Throwable link) {
        return link instanceof IOException && !(link instanceof FileSystemException || link instanceof FileNotFoundException
                || link instanceof CharacterCodingException || link instanceof JacksonException);
    }

    private static String sqlStateOf(Throwable link) {
        if (link instanceof SQLException sql && sql.getSQLState() != null) {
            return sql.getSQLState();
        }
        return VERTX_SQL ? VertxSqlErrors.sqlState(link) : null;
    }

    private static boolean hasSqlState(Throwable failure, Predicate<String> test) {
        for (Throwable link : chain(failure)) {
            String state = sqlStateOf(link);
            if (state != null && test.test(state)) {
                return true;
            }
        }
        return false;
    }

    /** The failure and its causes, outermost first. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> links = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && links.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
            links.add(t);
        }
        return links;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Failures.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
