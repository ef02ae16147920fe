package io.jobplane.policy.readmodel;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicyChange.Grant;
import io.jobplane.events.payload.policy.PolicyChange.ReportEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes policy changes into schema {@code policy} (policy-migrator/README.md, "The grants read model"), a
 * batch in the caller's transaction:
 * <ol>
 * <li>the events' ids are recorded per run and attempt; an event recorded before (a redelivery) is left out;</li>
 * <li>the origins the batch stages or commits are locked (advisory transaction locks, in one order);</li>
 * <li>staged grants wait in {@code staged_grant} under their generation; a commit is recorded;</li>
 * <li>every generation the batch touched whose commit and all expected grants are in is applied: in one
 *     statement, the origin's grants no longer in the set are revoked and the new ones inserted; grants that
 *     stay are not written (their {@code granted_at} and run stay). A generation applied after a later one
 *     of the same origin (by the run's observation time) is dropped instead;</li>
 * <li>report entries are appended, completions recorded, and the run's report counts updated.</li>
 * </ol>
 */
@ApplicationScoped
public class PolicyReadModel {

    private static final String RECORD_EVENTS = """
            insert into policy.applied_event (run_id, attempt, event_id, workspace, event_type)
            select * from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[])
            on conflict do nothing
            returning run_id, attempt, event_id""";
    private static final String ENSURE_REPORTS = """
            insert into policy.run_report (workspace, run_id, attempt, origin)
            select * from unnest($1::text[], $2::text[], $3::int[], $4::text[])
            on conflict do nothing""";
    /** Serialises everything done to one origin's grants (staging, commits, applying) across consumers. */
    private static final String LOCK_ORIGIN = "select pg_advisory_xact_lock(hashtextextended('policy/' || $1 || '/' || $2, 11))";
    /** A generation's grants wait for its commit; a generation already applied takes no more. */
    private static final String STAGE_GRANTS = """
            insert into policy.staged_grant (workspace, origin, generation, grant_key, principal_type, principal_source,
                   principal_name, res_catalog, res_database, res_table, res_column, res_location, res_pattern, privilege,
                   grant_option, prov_file, prov_policy_id, prov_policy_name, prov_item)
            select $1, $2, $3, u.* from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[], $12::text[], $13::boolean[], $14::text[], $15::boolean[], $16::text[],
                   $17::text[], $18::text[], $19::text[]) as u
             where not exists (select 1 from policy.grant_generation g
                                where g.workspace = $1 and g.origin = $2 and g.generation = $3 and g.applied_at is not null)
            on conflict do nothing""";
    private static final String COMMIT_GENERATION = """
            insert into policy.grant_generation (workspace, origin, generation, expected_grants, run_id, attempt, observed_at)
            values ($1, $2, $3, $4, $5, $6, $7)
            on conflict do nothing""";
    /** A generation that may be ready: its commit, how many grants are staged, whether a later one was applied first. */
    private static final String GENERATION_STATE = """
            select g.expected_grants, g.run_id, g.attempt, g.applied_at is not null as applied,
                   (select count(*) from policy.staged_grant s
                     where s.workspace = $1 and s.origin = $2 and s.generation = $3) as staged,
                   exists (select 1 from policy.grant_generation n
                            where n.workspace = $1 and n.origin = $2 and n.generation <> $3
                              and n.applied_at is not null and not n.superseded
                              and n.observed_at > g.observed_at) as outdated
              from policy.grant_generation g
             where g.workspace = $1 and g.origin = $2 and g.generation = $3""";
    /**
     * Makes the staged set the origin's grants, applying only the difference, in one statement: readers see
     * the old set or the new one. Answers how many grants the set has, were added and were revoked.
     */
    private static final String APPLY_GENERATION = """
            with staged as (
                select * from policy.staged_grant s where s.workspace = $1 and s.origin = $2 and s.generation = $3),
            revoked as (
                delete from policy.grants g
                 where g.workspace = $1 and g.origin = $2
                   and not exists (select 1 from staged s where s.grant_key = g.grant_key)
                returning 1),
            added as (
                insert into policy.grants (workspace, origin, grant_key, principal_type, principal_source, principal_name,
                       res_catalog, res_database, res_table, res_column, res_location, res_pattern, privilege, grant_option,
                       prov_file, prov_policy_id, prov_policy_name, prov_item, last_run_id)
                select $1, $2, s.grant_key, s.principal_type, s.principal_source, s.principal_name, s.res_catalog,
                       s.res_database, s.res_table, s.res_column, s.res_location, s.res_pattern, s.privilege, s.grant_option,
                       s.prov_file, s.prov_policy_id, s.prov_policy_name, s.prov_item, $4
                  from staged s
                on conflict (workspace, origin, grant_key) do nothing
                returning 1),
            principals as (
                insert into policy.principal (workspace, type, source, name)
                select distinct $1, s.principal_type, s.principal_source, s.principal_name from staged s
                on conflict do nothing)
            select (select count(*) from staged) as total, (select count(*) from added) as added,
                   (select count(*) from revoked) as revoked""";
    /** Principals of the workspace no grant names any more. */
    private static final String DROP_PRINCIPALS = """
            delete from policy.principal p
             where p.workspace = $1
               and not exists (select 1 from policy.grants g
                                where g.workspace = p.workspace and g.principal_name = p.name
                                  and g.principal_type = p.type and g.principal_source = p.source)""";
    private static final String DROP_STAGED = """
            delete from policy.staged_grant where workspace = $1 and origin = $2 and generation = $3""";
    private static final String MARK_APPLIED = """
            update policy.grant_generation set applied_at = now(), superseded = $4
             where workspace = $1 and origin = $2 and generation = $3""";
    private static final String COUNT_APPLIED = """
            update policy.run_report set grants_added = grants_added + $4, grants_revoked = grants_revoked + $5,
                   grants_unchanged = grants_unchanged + $6, generations_applied = generations_applied + 1
             where workspace = $1 and run_id = $2 and attempt = $3""";
    private static final String WRITE_ENTRIES = """
            insert into policy.run_report_entry (workspace, run_id, attempt, origin, file, policy_id, policy_name, item, kind, reason)
            select $1, $2, $3, $4, u.file, u.policy_id, u.policy_name, u.item, u.kind, u.reason from unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
                   with ordinality as u(file, policy_id, policy_name, item, kind, reason, n)
             order by u.n""";
    private static final String WRITE_COMPLETION = """
            update policy.run_report set reported_grants = $4, reported_left_out = $5, completed_at = now()
             where workspace = $1 and run_id = $2 and attempt = $3""";

    /** Applies the events, in their order, in the transaction of {@code sql}. */
    public Uni<Void> apply(SqlClient sql, List<PolicyEvent> events) {
        List<PolicyEvent> known = events.stream().filter(e -> e.change() != null).toList();
        return fresh(sql, known).chain(fresh -> fresh.isEmpty() ? Uni.createFrom().voidItem() : applyFresh(sql, fresh));
    }

    /** The events not applied before, each once, in their order. */
    private Uni<List<PolicyEvent>> fresh(SqlClient sql, List<PolicyEvent> events) {
        Map<String, PolicyEvent> distinct = new LinkedHashMap<>();
        events.forEach(e -> distinct.putIfAbsent(eventKey(e.run().runId(), e.run().attempt(), e.id()), e));
        List<PolicyEvent> all = new ArrayList<>(distinct.values());
        if (all.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple t = Tuple.tuple()
                .addArrayOfString(strings(all, e -> e.run().runId()))
                .addArrayOfInteger(all.stream().map(e -> e.run().attempt()).toArray(Integer[]::new))
                .addArrayOfString(strings(all, PolicyEvent::id))
                .addArrayOfString(strings(all, e -> e.run().workspace()))
                .addArrayOfString(strings(all, PolicyEvent::type));
        return sql.preparedQuery(RECORD_EVENTS).execute(t).map(rows -> {
            Set<String> recorded = new HashSet<>();
            rows.forEach(r -> recorded.add(eventKey(r.getString("run_id"), r.getInteger("attempt"), r.getString("event_id"))));
            return all.stream().filter(e -> recorded.contains(eventKey(e.run().runId(), e.run().attempt(), e.id()))).toList();
        });
    }

    private Uni<Void> applyFresh(SqlClient sql, List<PolicyEvent> fresh) {
        // Every run the batch names has its report row.
        Map<PolicyEvent.RunKey, String> runs = new LinkedHashMap<>();
        fresh.forEach(e -> runs.putIfAbsent(e.runKey(), e.origin()));
        List<Map.Entry<PolicyEvent.RunKey, String>> r = new ArrayList<>(runs.entrySet());
        Uni<Void> chain = sql.preparedQuery(ENSURE_REPORTS).execute(Tuple.tuple()
                .addArrayOfString(strings(r, x -> x.getKey().workspace()))
                .addArrayOfString(strings(r, x -> x.getKey().runId()))
                .addArrayOfInteger(r.stream().map(x -> x.getKey().attempt()).toArray(Integer[]::new))
                .addArrayOfString(strings(r, Map.Entry::getValue))).replaceWithVoid();

        // Origins locked in one order before anything of them is touched; generations tried after all events.
        TreeSet<List<String>> origins = new TreeSet<>(java.util.Comparator.comparing((List<String> l) -> String.join("\n", l)));
        TreeSet<List<String>> generations = new TreeSet<>(java.util.Comparator.comparing((List<String> l) -> String.join("\n", l)));
        for (PolicyEvent e : fresh) {
            if (e.change() instanceof PolicyChange.GrantsStaged s) {
                origins.add(List.of(e.run().workspace(), s.origin()));
                generations.add(List.of(e.run().workspace(), s.origin(), s.generation()));
            } else if (e.change() instanceof PolicyChange.GrantsCommitted c) {
                origins.add(List.of(e.run().workspace(), c.origin()));
                generations.add(List.of(e.run().workspace(), c.origin(), c.generation()));
            }
        }
        for (List<String> o : origins) {
            chain = chain.chain(() -> sql.preparedQuery(LOCK_ORIGIN).execute(Tuple.of(o.get(0), o.get(1))).replaceWithVoid());
        }
        for (PolicyEvent e : fresh) {
            chain = chain.chain(() -> event(sql, e));
        }
        for (List<String> g : generations) {
            chain = chain.chain(() -> tryApply(sql, g.get(0), g.get(1), g.get(2)));
        }
        return chain;
    }

    private Uni<Void> event(SqlClient sql, PolicyEvent e) {
        PolicyChange.Run run = e.run();
        if (e.change() instanceof PolicyChange.GrantsStaged s) {
            return stage(sql, s);
        } else if (e.change() instanceof PolicyChange.GrantsCommitted c) {
            Tuple t = Tuple.of(run.workspace(), c.origin(), c.generation(), c.expectedGrants(), run.runId())
                    .addInteger(run.attempt())
                    .addOffsetDateTime(run.observedAt() == null ? null : run.observedAt().atOffset(ZoneOffset.UTC));
            return sql.preparedQuery(COMMIT_GENERATION).execute(t).replaceWithVoid();
        } else if (e.change() instanceof PolicyChange.Report r) {
            List<ReportEntry> entries = r.entries();
            if (entries.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Tuple t = Tuple.of(run.workspace(), run.runId(), run.attempt(), r.origin())
                    .addArrayOfString(strings(entries, x -> x.provenance().file()))
                    .addArrayOfString(strings(entries, x -> x.provenance().policyId()))
                    .addArrayOfString(strings(entries, x -> x.provenance().policyName()))
                    .addArrayOfString(strings(entries, x -> x.provenance().item()))
                    .addArrayOfString(strings(entries, ReportEntry::kind))
                    .addArrayOfString(strings(entries, ReportEntry::reason));
            return sql.preparedQuery(WRITE_ENTRIES).execute(t).replaceWithVoid();
        }
        PolicyChange.RunCompleted c = (PolicyChange.RunCompleted) e.change();
        return sql.preparedQuery(WRITE_COMPLETION)
                .execute(Tuple.of(run.workspace(), run.runId(), run.attempt(), c.grants(), c.leftOut())).replaceWithVoid();
    }

    private Uni<Void> stage(SqlClient sql, PolicyChange.GrantsStaged s) {
        List<Grant> g = s.grants();
        if (g.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple t = Tuple.of(s.run().workspace(), s.origin(), s.generation())
                .addArrayOfString(strings(g, PolicyEvent::key))
                .addArrayOfString(strings(g, x -> x.principal().type()))
                .addArrayOfString(strings(g, x -> x.principal().source()))
                .addArrayOfString(strings(g, x -> x.principal().name()))
                .addArrayOfString(strings(g, x -> x.resource().catalog()))
                .addArrayOfString(strings(g, x -> x.resource().database()))
                .addArrayOfString(strings(g, x -> x.resource().table()))
                .addArrayOfString(strings(g, x -> x.resource().column()))
                .addArrayOfString(strings(g, x -> x.resource().location()))
                .addArrayOfBoolean(g.stream().map(x -> x.resource().pattern()).toArray(Boolean[]::new))
                .addArrayOfString(strings(g, Grant::privilege))
                .addArrayOfBoolean(g.stream().map(Grant::grantOption).toArray(Boolean[]::new))
                .addArrayOfString(strings(g, x -> x.provenance().file()))
                .addArrayOfString(strings(g, x -> x.provenance().policyId()))
                .addArrayOfString(strings(g, x -> x.provenance().policyName()))
                .addArrayOfString(strings(g, x -> x.provenance().item()));
        return sql.preparedQuery(STAGE_GRANTS).execute(t).replaceWithVoid();
    }

    /** Applies the generation when its commit and all its grants are in; one overtaken by a later generation is dropped. */
    private Uni<Void> tryApply(SqlClient sql, String ws, String origin, String generation) {
        Tuple key = Tuple.of(ws, origin, generation);
        return sql.preparedQuery(GENERATION_STATE).execute(key).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().voidItem();
            }
            Row g = rows.iterator().next();
            if (g.getBoolean("applied") || g.getLong("staged") < g.getLong("expected_grants")) {
                return Uni.createFrom().voidItem();
            }
            String runId = g.getString("run_id");
            int attempt = g.getInteger("attempt");
            boolean outdated = g.getBoolean("outdated");
            Uni<Void> apply = outdated ? Uni.createFrom().voidItem()
                    : sql.preparedQuery(APPLY_GENERATION).execute(Tuple.of(ws, origin, generation, runId)).chain(result -> {
                        Row c = result.iterator().next();
                        long total = c.getLong("total");
                        long added = c.getLong("added");
                        long revoked = c.getLong("revoked");
                        Uni<Void> principals = revoked == 0 ? Uni.createFrom().voidItem()
                                : sql.preparedQuery(DROP_PRINCIPALS).execute(Tuple.of(ws)).replaceWithVoid();
                        return principals.chain(() -> sql.preparedQuery(COUNT_APPLIED)
                                .execute(Tuple.of(ws, runId, attempt, added).addLong(revoked).addLong(total - added)))
                                .replaceWithVoid();
                    });
            return apply.chain(() -> sql.preparedQuery(DROP_STAGED).execute(key))
                    .chain(() -> sql.preparedQuery(MARK_APPLIED).execute(Tuple.of(ws, origin, generation, outdated)))
                    .replaceWithVoid();
        });
    }

    private static String eventKey(String runId, int attempt, String id) {
        return runId + "\n" + attempt + "\n" + id;
    }

    private static <T> String[] strings(List<T> rows, Function<T, String> field) {
        return rows.stream().map(field).toArray(String[]::new);
    }
}
