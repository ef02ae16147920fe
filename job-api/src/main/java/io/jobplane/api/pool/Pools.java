package io.jobplane.api.pool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.settings.Execution;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A workspace's pools as job definitions and admission consult them, read in the caller's ORM session
 * (job changes and admission run in transactions of their own).
 */
@ApplicationScoped
public class Pools {

    /** A pool's name: letters, digits, {@code _ . -}, starting with a letter or digit, at most 64 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Every pool of the workspace, name to slots. */
    public Uni<Map<String, Integer>> slots(String workspace) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("select p.name, p.slots from PoolEntity p where p.workspace = ?1",
                Object[].class).setParameter(1, workspace).getResultList())
                .map(rows -> {
                    Map<String, Integer> slots = new HashMap<>();
                    rows.forEach(r -> slots.put((String) r[0], ((Number) r[1]).intValue()));
                    return slots;
                });
    }

    /**
     * Refuses (400) a job's execution settings naming a pool the workspace lacks, or more of its slots
     * than it has. The pool's row is share-locked until the transaction ends, so a concurrent delete
     * of the pool waits and then sees the job.
     */
    public Uni<Void> requireFits(String workspace, Execution execution) {
        if (execution == null || execution.pool() == null) {
            return Uni.createFrom().voidItem();
        }
        String name = execution.pool();
        int wanted = execution.poolSlots() == null ? 1 : execution.poolSlots();
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "select slots from api.pool where workspace = ?1 and name = ?2 for share", Integer.class)
                .setParameter(1, workspace).setParameter(2, name).getResultList())
                .invoke(found -> {
                    if (found.isEmpty()) {
                        throw ApiException.badRequest("POOL_NOT_FOUND", "execution.pool '" + name
                                + "' is not a pool of this workspace", "Create it with PUT /api/v1/workspaces/" + workspace
                                + "/pools/" + name + ", or name one GET /api/v1/workspaces/" + workspace + "/pools lists.");
                    }
                    if (wanted > found.get(0)) {
                        throw ApiException.badRequest("INVALID_SETTING", "execution.pool_slots " + wanted
                                + " is more than pool '" + name + "' has (" + found.get(0) + ")",
                                "Take at most " + found.get(0) + " slots, or give the pool more slots.");
                    }
                }).replaceWithVoid();
    }

    /** The names of the workspace's jobs that name the pool, at most a few, for a refusal to show. */
    Uni<List<String>> jobsNaming(String workspace, String name, int minSlots) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                select name from api.job
                 where workspace = ?1 and settings like '%"pool"%' and cast(settings as jsonb) -> 'execution' ->> 'pool' = ?2
                   and coalesce(cast(cast(settings as jsonb) -> 'execution' ->> 'pool_slots' as int), 1) >= ?3
                 order by name limit 5""", String.class)
                .setParameter(1, workspace).setParameter(2, name).setParameter(3, minSlots).getResultList());
    }

    static ApiException notFound(String workspace, String name) {
        return new ApiException(Status.NOT_FOUND, "POOL_NOT_FOUND", "Pool '" + name + "' does not exist in this workspace",
                "List the workspace's pools with GET /api/v1/workspaces/" + workspace + "/pools.");
    }

    static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("INVALID_POOL_NAME", "A pool's name is 1 to 64 letters, digits, '_', '.' or '-',"
                    + " starting with a letter or digit", "Choose a name such as 'warehouse' or 'db-primary'.");
        }
        return name;
    }
}
