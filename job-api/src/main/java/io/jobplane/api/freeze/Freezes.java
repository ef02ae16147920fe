package io.jobplane.api.freeze;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A workspace's freeze window, for launches and admission to consult. Read on the pool, by key: the
 * launch path runs without an ORM session.
 */
@ApplicationScoped
public class Freezes {

    private static final String BY_WORKSPACE = "select starts_at, ends_at, mode, reason from api.workspace_freeze where workspace = $1";

    private final Pool pool;

    public Freezes(Pool pool) {
        this.pool = pool;
    }

    /** The workspace's freeze window (past, current or to come); null when it has none. */
    public Uni<FreezeWindow> of(String workspace) {
        return pool.preparedQuery(BY_WORKSPACE).execute(Tuple.of(workspace)).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                return null;
            }
            Row r = it.next();
            return new FreezeWindow(instant(r.getOffsetDateTime("starts_at")), instant(r.getOffsetDateTime("ends_at")),
                    FreezeWindow.Mode.valueOf(r.getString("mode")), r.getString("reason"));
        });
    }

    private static java.time.Instant instant(OffsetDateTime at) {
        return at.toInstant();
    }
}
