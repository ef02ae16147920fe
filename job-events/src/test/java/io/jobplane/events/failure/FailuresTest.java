package io.jobplane.events.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonParseException;

import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jobplane.events.MalformedEventException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

class FailuresTest {

    @ParameterizedTest
    @CsvSource({
            "23505, DUPLICATE",
            "23503, POISON", "23502, POISON", "22P02, POISON", "22001, POISON", "22021, POISON",
            "08006, RETRIABLE", "08001, RETRIABLE", "57P01, RETRIABLE", "57P02, RETRIABLE", "57P03, RETRIABLE",
            "53300, RETRIABLE", "40001, RETRIABLE", "40P01, RETRIABLE",
            "08003, RETRIABLE", "08S01, RETRIABLE", "57014, RETRIABLE",
            "42P01, PERMANENT", "42703, PERMANENT", "42601, PERMANENT", "42501, PERMANENT", "28P01, PERMANENT", "28000, PERMANENT",
            "3D000, PERMANENT", "3F000, PERMANENT", "22012, POISON",
            "P0001, UNKNOWN", "XX000, UNKNOWN", "53100, UNKNOWN", "55P03, UNKNOWN" })
    void aSqlStateIsClassifiedTheSameFromJdbcAndFromTheReactiveClient(String state, FailureKind kind) {
        assertEquals(kind, Failures.classify(new SQLException("refused", state)), "SQLException " + state);
        assertEquals(kind, Failures.classify(pg(state)), "PgException " + state);
    }

    @Test
    void aMalformedEventIsPoison() {
        assertEquals(FailureKind.POISON, Failures.classify(new MalformedEventException("not a CloudEvent")));
        assertTrue(Failures.isPoison(new CompletionException(new MalformedEventException("no data"))));
    }

    @Test
    void aRecordKafkaRefusesOnEveryTryIsPoisonButABrokerAwayIsNot() {
        assertTrue(Failures.isPoison(new CompletionException(new org.apache.kafka.common.errors.RecordTooLargeException(
                "The message is 17000000 bytes when serialized which is larger than 16777216"))));
        assertTrue(Failures.isPoison(new org.apache.kafka.common.errors.RecordBatchTooLargeException("batch")));
        assertTrue(Failures.isPoison(new org.apache.kafka.common.InvalidRecordException("invalid")));
        assertFalse(Failures.isPoison(new org.apache.kafka.common.errors.TimeoutException("expired")));
        assertEquals(FailureKind.RETRIABLE, Failures.classify(new org.apache.kafka.common.errors.TimeoutException("expired")));
    }

    @Test
    void theCauseChainIsWalkedToTheFirstFailureItKnows() {
        RuntimeException wrapped = new RuntimeException("insert failed",
                new IllegalStateException("in transaction", pg("23505")));
        assertEquals(FailureKind.DUPLICATE, Failures.classify(wrapped));
        assertTrue(Failures.isDuplicate(wrapped));
        assertEquals("23505", Failures.sqlState(wrapped));
        // The outermost link it recognises decides: a lost connection reported around a data error.
        assertEquals(FailureKind.RETRIABLE, Failures.classify(new SQLException("connection lost", "08006", pg("22P02"))));
    }

    @Test
    void connectionFailuresAreRetriable() {
        assertEquals(FailureKind.RETRIABLE, Failures.classify(new ConnectException("Connection refused")));
        assertEquals(FailureKind.RETRIABLE, Failures.classify(new RuntimeException(new SocketTimeoutException("read timed out"))));
        assertEquals(FailureKind.RETRIABLE, Failures.classify(new SQLTransientConnectionException("pool exhausted")));
        assertEquals(FailureKind.RETRIABLE, Failures.classify(ClosedConnectionException.INSTANCE));
        assertEquals(FailureKind.RETRIABLE, Failures.classify(new NotEnoughReplicasException("broker away")));
    }

    @Test
    void whatItDoesNotKnowIsUnknown() {
        assertEquals(FailureKind.UNKNOWN, Failures.classify(new IllegalStateException("bug")));
        assertEquals(FailureKind.UNKNOWN, Failures.classify(new SQLException("no state")));
        assertNull(Failures.sqlState(new IllegalStateException("bug")));
        assertFalse(Failures.isDuplicate(new IllegalStateException("bug")));
        assertFalse(Failures.isPoison(new IllegalStateException("bug")));
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertEquals(FailureKind.UNKNOWN, Failures.classify(a));
    }

    @Test
    void aMissingRelationIsFoundAnywhereInTheChain() {
        assertTrue(Failures.isUndefinedTable(pg("42P01")));
        assertTrue(Failures.isUndefinedTable(new CompletionException(new SQLException("relation \"runs.run\" does not exist", "42P01"))));
        assertFalse(Failures.isUndefinedTable(pg("42703")));
        assertFalse(Failures.isUndefinedTable(new IllegalStateException("42P01")));
    }

    @Test
    void aDataExceptionIsSqlStateClass22AnywhereInTheChain() {
        assertTrue(Failures.isDataException(new RuntimeException(pg("22021"))));
        assertTrue(Failures.isDataException(new SQLException("value too long", "22001")));
        assertFalse(Failures.isDataException(pg("23505")));
    }

    @ParameterizedTest
    @CsvSource({
            "408, RETRIABLE", "425, RETRIABLE", "429, RETRIABLE", "502, RETRIABLE", "503, RETRIABLE", "504, RETRIABLE",
            "400, PERMANENT", "401, PERMANENT", "403, PERMANENT", "404, PERMANENT", "409, PERMANENT", "413, PERMANENT",
            "422, PERMANENT", "499, PERMANENT",
            "500, UNKNOWN", "501, UNKNOWN", "200, UNKNOWN", "302, UNKNOWN" })
    void anHttpStatusIsTransientOrPermanent(int status, FailureKind kind) {
        assertEquals(kind, Failures.byHttpStatus(status), "HTTP " + status);
    }

    @Test
    void transientAndPermanentAreTheTwoFacesTasksSee() {
        // Transient: tried again with the job's retry policy.
        for (Throwable t : new Throwable[] { new SQLException("terminating connection due to administrator command", "57P01"),
                new SQLException("An I/O error occurred while sending to the backend.", "08006", new EOFException()),
                new SQLException("Connection refused", "08001", new ConnectException("Connection refused")),
                new SQLException("too many clients", "53300"), new SQLException("could not serialize", "40001"),
                new SQLException("deadlock detected", "40P01"), new SQLTransientConnectionException("no session"),
                new ConnectException("Connection refused"), new SocketException("Connection reset"),
                new NoRouteToHostException("no route"), new UnknownHostException("db.example"), new IOException("stream closed"),
                new EOFException(), new SQLTimeoutException("query timed out"), new TimeoutException(),
                new HttpTimeoutException("request timed out"), new HttpConnectTimeoutException("connect timed out"),
                new RuntimeException("wrapped", new SocketTimeoutException("read timed out")) }) {
            assertTrue(Failures.isTransient(t), t.toString());
            assertFalse(Failures.isPermanent(t), t.toString());
        }
        // Permanent: the task fails at once.
        for (Throwable t : new Throwable[] { new SQLException("relation \"x\" does not exist", "42P01"),
                new SQLException("syntax error", "42601"), new SQLException("permission denied", "42501"),
                new SQLException("password authentication failed", "28P01"), new SQLException("division by zero", "22012"),
                new SQLException("null value violates not-null constraint", "23502"),
                new SQLException("duplicate key", "23505"), new SQLException("database \"x\" does not exist", "3D000"), pg("42P01") }) {
            assertTrue(Failures.isPermanent(t), t.toString());
            assertFalse(Failures.isTransient(t), t.toString());
        }
        // Neither: the caller decides.
        for (Throwable t : new Throwable[] { new SQLException("raised by a function", "P0001"), new IllegalStateException("bug"),
                new NoSuchFileException("/data/x.csv"), new JsonParseException(null, "not JSON") }) {
            assertFalse(Failures.isTransient(t), t.toString());
            assertFalse(Failures.isPermanent(t), t.toString());
        }
    }

    @Test
    void aConnectionLossIsToldFromOtherTransientFaults() {
        assertTrue(Failures.isConnectionLoss(new SQLException("I/O error", "08006", new EOFException())));
        assertTrue(Failures.isConnectionLoss(new SQLException("Connection refused", "08001")));
        assertTrue(Failures.isConnectionLoss(new RuntimeException(pg("57P01"))));
        assertTrue(Failures.isConnectionLoss(new SQLException("the database system is starting up", "57P03")));
        assertTrue(Failures.isConnectionLoss(new ConnectException("Connection refused")));
        assertTrue(Failures.isConnectionLoss(ClosedConnectionException.INSTANCE));
        // The session is fine after these: only the statement failed.
        assertFalse(Failures.isConnectionLoss(new SQLException("deadlock detected", "40P01")));
        assertFalse(Failures.isConnectionLoss(new SQLException("too many clients", "53300")));
        assertFalse(Failures.isConnectionLoss(new SQLException("canceling statement due to statement timeout", "57014")));
        assertFalse(Failures.isConnectionLoss(new SQLTimeoutException("query timed out")));
        assertFalse(Failures.isConnectionLoss(new SQLException("relation does not exist", "42P01")));
    }

    private static PgException pg(String state) {
        return new PgException("refused", "ERROR", state, null);
    }
}
