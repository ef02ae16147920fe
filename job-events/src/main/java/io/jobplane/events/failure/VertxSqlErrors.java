package io.jobplane.events.failure;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

/**
 * Vert.x's reactive SQL client errors (PgException is a DatabaseException). Kept apart so that only
 * services with that client on the class path ever load it: {@link Failures} checks first.
 */
final class VertxSqlErrors {

    private VertxSqlErrors() {
    }

    static String sqlState(Throwable failure) {
        return failure instanceof DatabaseException db ? db.getSqlState() : null;
    }

    static boolean connectionClosed(Throwable failure) {
        return failure instanceof ClosedConnectionException;
    }
}
