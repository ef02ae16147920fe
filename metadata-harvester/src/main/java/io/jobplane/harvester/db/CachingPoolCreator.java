package io.jobplane.harvester.db;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * The service's PostgreSQL pool, as Quarkus configures it, with one change: every statement is kept
 * prepared on its connection, however long its text. The client keeps only statements of up to 2,048
 * characters by default, and PostgreSQL parses and plans a statement it is not kept for at every
 * execution: the run read model's upsert (3,490 characters) was planned again at every poll.
 *
 * <p>Quarkus hands a creator the connect options it built from the configuration; a datasource
 * credentials provider ({@code quarkus.datasource.credentials-provider}, which the services do not use)
 * would not be asked again for new connections through this pool.
 */
@Singleton
public class CachingPoolCreator implements PgPoolCreator {

    /** Longer than any statement of the service; statements built at run time stay short. */
    static final int STATEMENT_CACHE_SQL_LIMIT = 16_384;

    @Override
    public Pool create(Input input) {
        List<SqlConnectOptions> servers = new ArrayList<>();
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            servers.add(options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT));
        }
        return PgBuilder.pool().with(input.poolOptions()).connectingTo(servers).using(input.vertx()).build();
    }
}
