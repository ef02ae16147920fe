package io.jobplane.api.pool;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.run.RunState;
import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Caller;
import io.jobplane.events.failure.Failures;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Sets, shows and deletes a workspace's pools; every change is audited. */
@ApplicationScoped
public class PoolService {

    private static final String VIEW_SQL = """
            select p.name, p.slots, p.description, p.created_at, p.updated_at,
                   coalesce((select sum(r.pool_slots) from api.run r where r.workspace = p.workspace and r.pool = p.name
                               and r.state in %s), 0)::int as in_use
              from api.pool p where p.workspace = $1 %s order by p.name""";
    private static final String LIST_SQL = VIEW_SQL.formatted(RunState.ACTIVE_SQL, "");
    private static final String ONE_SQL = VIEW_SQL.formatted(RunState.ACTIVE_SQL, "and p.name = $2");

    private final Pool db;
    private final Pools pools;
    private final Audit audit;
    private final LaunchPipeline launches;

    public PoolService(Pool db, Pools pools, Audit audit, LaunchPipeline launches) {
        this.db = db;
        this.pools = pools;
        this.audit = audit;
        this.launches = launches;
    }

    /** What a PUT did: the pool now, and whether it is new. */
    public record Put(PoolView pool, boolean created) {
    }

    /**
     * Creates or changes the pool. A pool cannot shrink below the slots a job of it takes (409
     * {@code POOL_TOO_SMALL}); runs already holding slots keep them. Once committed, waiting runs that
     * now fit are admitted.
     */
    public Uni<Put> put(Caller caller, String name, PoolRequest request) {
        Pools.requireName(name);
        // Two first PUTs of one pool at once: the one that lost the insert changes the pool the other made.
        return write(caller, name, request).onFailure(Failures::isDuplicate).recoverWithUni(() -> write(caller, name, request));
    }

    private Uni<Put> write(Caller caller, String name, PoolRequest request) {
        String workspace = caller.workspace();
        Instant now = Instant.now();
        return Panache.withTransaction(() -> PoolEntity.<PoolEntity>findById(new PoolEntity.Key(workspace, name),
                        LockModeType.PESSIMISTIC_WRITE)
                .call(existing -> existing == null || request.slots() >= existing.slots ? Uni.createFrom().voidItem()
                        : pools.jobsNaming(workspace, name, request.slots() + 1).invoke(jobs -> {
                            if (!jobs.isEmpty()) {
                                throw ApiException.conflict("POOL_TOO_SMALL", "Pool '" + name + "' cannot have "
                                        + request.slots() + " slots: job(s) " + String.join(", ", jobs) + " take more of it",
                                        "Lower those jobs' execution.pool_slots first, or keep more slots.");
                            }
                        }))
                .chain(existing -> {
                    PoolEntity e = existing == null ? new PoolEntity() : existing;
                    e.workspace = workspace;
                    e.name = name;
                    e.slots = request.slots();
                    e.description = request.description();
                    e.updatedAt = now;
                    if (existing == null) {
                        e.createdAt = now;
                        return e.<PoolEntity>persist().map(saved -> true);
                    }
                    return Uni.createFrom().item(false);
                })
                .call(created -> {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("slots", request.slots());
                    if (request.description() != null) {
                        details.put("description", request.description());
                    }
                    return audit.record(caller, created ? "pool.created" : "pool.updated", "pool", name, details);
                }))
                .call(() -> Panache.withTransaction(() -> launches.admitWaiting(workspace)))
                .chain(created -> one(workspace, name).map(view -> new Put(view, created)));
    }

    public Uni<List<PoolView>> list(Caller caller) {
        return db.preparedQuery(LIST_SQL).execute(Tuple.of(caller.workspace())).map(rows -> {
            List<PoolView> out = new ArrayList<>();
            rows.forEach(r -> out.add(view(r)));
            return out;
        });
    }

    public Uni<PoolView> get(Caller caller, String name) {
        return one(caller.workspace(), Pools.requireName(name));
    }

    /** Deletes the pool; refused (409 {@code POOL_IN_USE}) while a job names it. */
    public Uni<Void> delete(Caller caller, String name) {
        String workspace = caller.workspace();
        Pools.requireName(name);
        return Panache.withTransaction(() -> PoolEntity.<PoolEntity>findById(new PoolEntity.Key(workspace, name),
                        LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> Pools.notFound(workspace, name))
                .call(e -> pools.jobsNaming(workspace, name, 0).invoke(jobs -> {
                    if (!jobs.isEmpty()) {
                        throw ApiException.conflict("POOL_IN_USE", "Pool '" + name + "' is named by job(s) "
                                + String.join(", ", jobs), "Change those jobs' execution.pool (or remove it) first.");
                    }
                }))
                .call(e -> audit.record(caller, "pool.deleted", "pool", name, Map.of("slots", e.slots)))
                .call(e -> e.delete()))
                .replaceWithVoid();
    }

    private Uni<PoolView> one(String workspace, String name) {
        return db.preparedQuery(ONE_SQL).execute(Tuple.of(workspace, name)).map(rows -> {
            if (rows.size() == 0) {
                throw Pools.notFound(workspace, name);
            }
            return view(rows.iterator().next());
        });
    }

    private static PoolView view(Row r) {
        return new PoolView(r.getString("name"), r.getInteger("slots"), r.getString("description"), r.getInteger("in_use"),
                instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("updated_at")));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
