package io.jobplane.harvester.readmodel;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.jobplane.events.payload.WorkspaceRetention;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps each workspace's retention policy as job-api announced it ({@code jobplane.workspace.retention})
 * in {@code runs.retention_policy}, written with the batch of run events that carried it. An older
 * announcement than the one kept changes nothing.
 */
public final class RetentionPolicies {

    /** The bounds job-api's API enforces; an announcement outside them is refused (dead-lettered). */
    static final int MAX_DAYS = 3650;

    private static final String UPSERT = """
            insert into runs.retention_policy (workspace, logs_days, runs_days, policy, announced_at)
            select * from unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::timestamptz[])
            on conflict (workspace) do update set
                logs_days = excluded.logs_days, runs_days = excluded.runs_days, policy = excluded.policy,
                announced_at = excluded.announced_at
             where runs.retention_policy.announced_at <= excluded.announced_at""";

    private RetentionPolicies() {
    }

    /** Throws when the days are outside 1 ≤ logs ≤ runs ≤ 3650: a purge by them would be wrong. */
    static void check(int logsDays, int runsDays) {
        if (logsDays < 1 || runsDays < logsDays || runsDays > MAX_DAYS) {
            throw new IllegalArgumentException("retention days out of bounds: logs " + logsDays + ", runs " + runsDays);
        }
    }

    /** Writes the batch's policies (one per workspace), in the batch's transaction. */
    public static Uni<Void> save(SqlClient sql, List<WorkspaceRetention> policies) {
        if (policies.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery(UPSERT).execute(Tuple.of(
                policies.stream().map(WorkspaceRetention::workspace).toArray(String[]::new),
                policies.stream().map(WorkspaceRetention::logsDays).toArray(Integer[]::new),
                policies.stream().map(WorkspaceRetention::runsDays).toArray(Integer[]::new),
                policies.stream().map(p -> p.policy() == null ? WorkspaceRetention.WORKSPACE : p.policy()).toArray(String[]::new),
                policies.stream().map(p -> OffsetDateTime.ofInstant(p.announcedAt(), ZoneOffset.UTC)).toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }
}
