package io.jobplane.worker.executor;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;

import io.jobplane.events.failure.Failures;
import io.jobplane.events.payload.TaskStatus;

/**
 * How one try of a task ended. A failure is tried again per the job's retry settings unless it is
 * not {@code retryable}: the task itself is wrong, or the database said no retry can cure it
 * ({@link Failures#isPermanent}: SQLSTATE classes 42, 28, 22, 23, 3D, 3F).
 */
public record TaskResult(TaskStatus status, Long rowsAffected, String errorMessage, boolean retryable) {

    public static TaskResult success(Long rows) {
        return new TaskResult(TaskStatus.SUCCESS, rows, null, false);
    }

    public static TaskResult failed(String why) {
        return new TaskResult(TaskStatus.FAILED, null, why, true);
    }

    /** A failure no retry can mend, e.g. a task whose text is invalid. */
    public static TaskResult invalid(String why) {
        return new TaskResult(TaskStatus.FAILED, null, why, false);
    }

    /** The connection could not be had: tried again unless the database refused for good (a wrong login or database). */
    public static TaskResult unavailable(Endpoint.Unavailable e) {
        return new TaskResult(TaskStatus.FAILED, null, e.getMessage(), e.retryable());
    }

    public static TaskResult stopped(String why) {
        return new TaskResult(TaskStatus.STOPPED, null, why, false);
    }

    /**
     * How a task whose statement threw ended: stopped when the run was cancelled, failed past
     * {@code task_timeout_seconds} when the database cancelled it for time, else failed with the
     * database's message ({@code message}: already scrubbed of secrets), tried again unless the
     * failure is permanent.
     */
    public static TaskResult ofSqlFailure(SQLException e, String message, boolean cancelled, Integer timeoutSeconds) {
        if (cancelled) {
            return stopped("cancelled: " + message);
        }
        if (e instanceof SQLTimeoutException || "57014".equals(e.getSQLState())) {
            return failed("timed out after " + timeoutSeconds + " s (task_timeout_seconds): " + message);
        }
        return new TaskResult(TaskStatus.FAILED, null, message, !Failures.isPermanent(e));
    }
}
