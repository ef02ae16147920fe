package io.jobplane.worker.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jobplane.events.payload.TaskStatus;

class TaskResultTest {

    @ParameterizedTest
    @CsvSource({
            "08006, true", "08001, true", "57P01, true", "57P03, true", "53300, true", "40001, true", "40P01, true",
            "P0001, true", "XX000, true",
            "42P01, false", "42601, false", "28P01, false", "22012, false", "23505, false", "23503, false", "3D000, false" })
    void aFailedStatementIsTriedAgainUnlessTheFailureIsPermanent(String state, boolean retryable) {
        TaskResult result = TaskResult.ofSqlFailure(new SQLException("the database's own text", state), "the database's own text",
                false, null);
        assertEquals(TaskStatus.FAILED, result.status());
        assertEquals("the database's own text", result.errorMessage());
        assertEquals(retryable, result.retryable(), state);
    }

    @Test
    void aLostConnectionIsRetriedAndACancelStops() {
        assertTrue(TaskResult.ofSqlFailure(new SQLException("I/O error", null, new EOFException()), "I/O error", false, null).retryable());
        TaskResult cancelled = TaskResult.ofSqlFailure(new SQLException("canceling statement due to user request", "57014"),
                "canceling statement due to user request", true, null);
        assertEquals(TaskStatus.STOPPED, cancelled.status());
        assertFalse(cancelled.retryable());
        TaskResult timedOut = TaskResult.ofSqlFailure(new SQLException("canceling statement due to statement timeout", "57014"),
                "canceling statement due to statement timeout", false, 2);
        assertTrue(timedOut.errorMessage().startsWith("timed out after 2 s"), timedOut.errorMessage());
        assertTrue(timedOut.retryable());
    }

    @Test
    void aRetryWaitsBetweenHalfAndAllOfItsBackoff() {
        Duration backoff = Duration.ofSeconds(4);
        boolean below = false;
        for (int i = 0; i < 200; i++) {
            Duration wait = TaskSequence.jittered(backoff);
            assertTrue(wait.compareTo(Duration.ofSeconds(2)) >= 0 && wait.compareTo(backoff) <= 0, wait.toString());
            below |= wait.compareTo(backoff) < 0;
        }
        assertTrue(below, "the waits are spread, not all the full backoff");
        assertEquals(Duration.ZERO, TaskSequence.jittered(Duration.ZERO));
    }
}
