package io.jobplane.events.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;

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
            "42P01, PERMANENT", "42703, PERMANENT", "42601, PERMANENT", "28P01, PERMANENT", "28000, PERMANENT",
            "57014, UNKNOWN", "P0001, UNKNOWN", "XX000, UNKNOWN", "53100, UNKNOWN" })
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

    private static PgException pg(String state) {
        return new PgException("refused", "ERROR", state, null);
    }
}
