package io.jobplane.api.grant;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.grant.GrantViews.CheckResult;
import io.jobplane.api.grant.GrantViews.GrantPage;
import io.jobplane.api.grant.GrantViews.GrantView;
import io.jobplane.api.grant.GrantViews.PermissionReport;
import io.jobplane.api.grant.GrantViews.PrincipalPage;
import io.jobplane.api.grant.GrantViews.PrincipalRef;
import io.jobplane.api.grant.GrantViews.PrincipalView;
import io.jobplane.api.grant.GrantViews.ProvenanceView;
import io.jobplane.api.grant.GrantViews.ReportEntryView;
import io.jobplane.api.grant.GrantViews.ResourceView;
import io.jobplane.api.run.RunActivity;
import io.jobplane.api.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Answers grant queries from the grants read model that policy-migrator builds from
 * {@code jobplane.policy-changes} (schema {@code policy}, documented in policy-migrator/README.md),
 * read-only and always within the caller's workspace. Catalog names compare ignoring case; pattern
 * grants match with Ranger's wildcards ({@code *}, {@code ?}). Before policy-migrator has created the
 * read model, there are no grants: listings answer nothing and lookups answer 404.
 */
@ApplicationScoped
public class GrantQueryService {

    /** Grants a check answers at most. */
    static final int MAX_CHECK_GRANTS = 100;
    private static final String[] LEVELS = { "res_catalog", "res_database", "res_table", "res_column" };
    private static final String GRANT_COLUMNS = """
            select g.origin, g.grant_key, g.principal_type, g.principal_source, g.principal_name, g.res_catalog, g.res_database,
                   g.res_table, g.res_column, g.res_location, g.res_pattern, g.privilege, g.grant_option, g.prov_file,
                   g.prov_policy_id, g.prov_policy_name, g.prov_item, g.granted_at, g.last_run_id
              from policy.grants g where g.workspace = $1""";

    private final Pool pool;

    public GrantQueryService(Pool pool) {
        this.pool = pool;
    }

    /** The workspace's grants, filtered by principal, privilege and resource (the object and everything in it). */
    public Uni<GrantPage> grants(Caller caller, String principal, String principalType, String privilege,
            GrantParams.Resource resource, int limit, String cursor) {
        List<String> after = GrantParams.after("grants", cursor, 2);
        List<Object> params = new ArrayList<>(List.of(caller.workspace()));
        StringBuilder sql = new StringBuilder(GRANT_COLUMNS);
        principal(sql, params, principal, principalType);
        if (privilege != null) {
            params.add(privilege);
            sql.append(" and g.privilege = $").append(params.size());
        }
        if (resource != null) {
            within(sql, params, resource);
        }
        return grantPage(sql, params, after, limit, "grants");
    }

    /** The workspace's principals by name, type and source, with how many grants name each. */
    public Uni<PrincipalPage> principals(Caller caller, String type, int limit, String cursor) {
        List<String> after = GrantParams.after("principals", cursor, 3);
        List<Object> params = new ArrayList<>(List.of(caller.workspace()));
        StringBuilder sql = new StringBuilder("""
                select p.type, p.source, p.name, p.first_seen_at,
                       (select count(*) from policy.grants g where g.workspace = p.workspace and g.principal_name = p.name
                           and g.principal_type = p.type and g.principal_source = p.source) as grants
                  from policy.principal p where p.workspace = $1""");
        if (type != null) {
            params.add(type);
            sql.append(" and p.type = $").append(params.size());
        }
        if (after != null) {
            params.addAll(after);
            int n = params.size();
            sql.append(" and (p.name, p.type, p.source) > ($").append(n - 2).append(", $").append(n - 1).append(", $").append(n)
                    .append(")");
        }
        params.add(limit + 1);
        sql.append(" order by p.name, p.type, p.source limit $").append(params.size());
        return query(sql.toString(), Tuple.from(params)).map(rows -> {
            List<PrincipalView> items = new ArrayList<>();
            String next = null;
            for (Row r : rows) {
                if (items.size() == limit) {
                    PrincipalView last = items.get(items.size() - 1);
                    next = GrantParams.cursor("principals", List.of(last.name(), last.type(), last.source()));
                    break;
                }
                items.add(new PrincipalView(r.getString("type"), r.getString("source"), r.getString("name"), r.getLong("grants"),
                        instant(r, "first_seen_at")));
            }
            return new PrincipalPage(items, next);
        }).onFailure(RunActivity::readModelMissing).recoverWithItem(new PrincipalPage(List.of(), null));
    }

    /** One principal's grants (of any type and source unless {@code type} names one); 404 for a principal no grant names. */
    public Uni<GrantPage> principalGrants(Caller caller, String principal, String type, int limit, String cursor) {
        List<Object> params = new ArrayList<>(List.of(caller.workspace(), principal));
        String exists = "select 1 from policy.principal where workspace = $1 and name = $2";
        if (type != null) {
            params.add(type);
            exists += " and type = $3";
        }
        return query(exists + " limit 1", Tuple.from(params))
                .map(rows -> rows.size() > 0)
                .onFailure(RunActivity::readModelMissing).recoverWithItem(false)
                .chain(found -> {
                    if (!found) {
                        throw ApiException.notFound("principal", principal);
                    }
                    return grants(caller, principal, type, null, null, limit, cursor);
                });
    }

    /**
     * The grants that reach a table: on the table and its columns, on its database and its catalog, and
     * pattern grants whose names match it.
     */
    public Uni<GrantPage> tableGrants(Caller caller, String catalog, String database, String table, int limit, String cursor) {
        List<String> after = GrantParams.after("table-grants", cursor, 2);
        List<Object> params = new ArrayList<>(List.of(caller.workspace()));
        StringBuilder sql = new StringBuilder(GRANT_COLUMNS);
        covers(sql, params, new GrantParams.Resource(lower(catalog), lower(database), lower(table), null, null), true);
        return grantPage(sql, params, after, limit, "table-grants");
    }

    /**
     * Whether {@code principal} holds {@code privilege} on {@code resource}: a grant of that privilege or of
     * {@code ALL}, on the object or on one that holds it (a database's grant covers its tables and columns,
     * a location's the paths under it), named or matched by a pattern. Answers the grants that allow it.
     */
    public Uni<CheckResult> check(Caller caller, String principal, String principalType, String privilege,
            GrantParams.Resource resource) {
        List<Object> params = new ArrayList<>(List.of(caller.workspace()));
        StringBuilder sql = new StringBuilder(GRANT_COLUMNS);
        principal(sql, params, principal, principalType);
        params.add(privilege);
        sql.append(" and (g.privilege = $").append(params.size()).append(" or g.privilege = 'ALL')");
        covers(sql, params, resource, false);
        params.add(MAX_CHECK_GRANTS);
        sql.append(" order by g.grant_key, g.origin limit $").append(params.size());
        ResourceView asked = new ResourceView(resource.catalog(), resource.database(), resource.table(), resource.column(),
                resource.location(), false);
        PrincipalRef who = new PrincipalRef(principalType, null, principal);
        return query(sql.toString(), Tuple.from(params)).map(rows -> {
            List<GrantView> grants = new ArrayList<>();
            rows.forEach(r -> grants.add(grant(r)));
            return new CheckResult(!grants.isEmpty(), who, privilege, asked, grants);
        }).onFailure(RunActivity::readModelMissing).recoverWithItem(new CheckResult(false, who, privilege, asked, List.of()));
    }

    /** A permission migration run's report (its latest attempt), with the items it left out paged by arrival. */
    public Uni<PermissionReport> report(Caller caller, UUID runId, int limit, String cursor) {
        List<String> after = GrantParams.after("report-entries", cursor, 1);
        long afterId;
        try {
            afterId = after == null ? 0 : Long.parseLong(after.get(0));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this listing gave out",
                    "Pass next_cursor from the previous page of the same listing unchanged, or leave it out to start over.");
        }
        Tuple run = Tuple.of(caller.workspace(), runId.toString());
        return query("""
                select r.attempt, r.origin, r.grants_added, r.grants_revoked, r.grants_unchanged, r.reported_grants,
                       r.reported_left_out, r.completed_at is not null and not exists (
                           select 1 from policy.grant_generation g where g.workspace = r.workspace and g.run_id = r.run_id
                              and g.attempt = r.attempt and g.applied_at is null) as complete
                  from policy.run_report r where r.workspace = $1 and r.run_id = $2 order by r.attempt desc limit 1""", run)
                .onFailure(RunActivity::readModelMissing).recoverWithItem((RowSet<Row>) null)
                .chain(rows -> {
                    if (rows == null || rows.size() == 0) {
                        return emptyReport(caller, runId);
                    }
                    Row r = rows.iterator().next();
                    int attempt = r.getInteger("attempt");
                    Tuple key = Tuple.of(caller.workspace(), runId.toString(), attempt);
                    Uni<Map<String, Long>> byKind = query("""
                            select kind, count(*) as n from policy.run_report_entry
                             where workspace = $1 and run_id = $2 and attempt = $3 group by kind""", key).map(k -> {
                        Map<String, Long> out = new TreeMap<>();
                        k.forEach(x -> out.put(x.getString("kind"), x.getLong("n")));
                        return out;
                    });
                    Uni<RowSet<Row>> entries = query("""
                            select id, file, policy_id, policy_name, item, kind, reason from policy.run_report_entry
                             where workspace = $1 and run_id = $2 and attempt = $3 and id > $4 order by id limit $5""",
                            Tuple.of(caller.workspace(), runId.toString(), attempt, afterId, limit + 1));
                    return Uni.combine().all().unis(byKind, entries).asTuple().map(t -> {
                        List<ReportEntryView> items = new ArrayList<>();
                        String next = null;
                        long lastId = 0;
                        for (Row e : t.getItem2()) {
                            if (items.size() == limit) {
                                next = GrantParams.cursor("report-entries", List.of(Long.toString(lastId)));
                                break;
                            }
                            items.add(new ReportEntryView(new ProvenanceView(e.getString("file"), e.getString("policy_id"),
                                    e.getString("policy_name"), e.getString("item")), e.getString("kind"), e.getString("reason")));
                            lastId = e.getLong("id");
                        }
                        return new PermissionReport(runId.toString(), attempt, r.getString("origin"), r.getBoolean("complete"),
                                r.getLong("grants_added"), r.getLong("grants_revoked"), r.getLong("grants_unchanged"),
                                r.getLong("reported_grants"), r.getLong("reported_left_out"), t.getItem1(), items, next);
                    });
                });
    }

    private Uni<PermissionReport> emptyReport(Caller caller, UUID runId) {
        return pool.preparedQuery("select 1 from api.run where id = $1 and workspace = $2").execute(Tuple.of(runId, caller.workspace()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("run", runId);
                    }
                    return new PermissionReport(runId.toString(), null, null, false, 0, 0, 0, null, null, Map.of(), List.of(), null);
                });
    }

    // ---- SQL -----------------------------------------------------------------------------------------

    private static void principal(StringBuilder sql, List<Object> params, String principal, String type) {
        if (principal != null) {
            params.add(principal);
            sql.append(" and g.principal_name = $").append(params.size());
        }
        if (type != null) {
            params.add(type);
            sql.append(" and g.principal_type = $").append(params.size());
        }
    }

    /** Grants on the resource or inside it: its names compared as written (ignoring case), or the location and paths under it. */
    private static void within(StringBuilder sql, List<Object> params, GrantParams.Resource r) {
        if (r.location() != null) {
            params.add(trimSlash(r.location()));
            int n = params.size();
            sql.append(" and (rtrim(g.res_location, '/') = $").append(n).append("::text or starts_with(g.res_location, $").append(n)
                    .append("::text || '/'))");
            return;
        }
        String[] names = { r.catalog(), r.database(), r.table(), r.column() };
        for (int i = 0; i < r.depth(); i++) {
            params.add(names[i]);
            sql.append(" and lower(g.").append(LEVELS[i]).append(") = $").append(params.size()).append("::text");
        }
    }

    /**
     * Grants that reach the resource: for a catalog object, each level it names is matched by the grant's
     * (named: equal ignoring case; pattern: Ranger wildcards) or the grant stops above it; levels below
     * the resource must be absent from the grant unless {@code below} (then grants on its parts count too).
     * For a location: the grant's location is it or a directory above it, or a pattern matching it.
     */
    private static void covers(StringBuilder sql, List<Object> params, GrantParams.Resource r, boolean below) {
        if (r.location() != null) {
            params.add(r.location());
            int n = params.size();
            sql.append(" and g.res_location is not null and ((not g.res_pattern and (rtrim(g.res_location, '/') = rtrim($").append(n)
                    .append("::text, '/') or starts_with($").append(n).append("::text, rtrim(g.res_location, '/') || '/')))")
                    .append(" or (g.res_pattern and lower($").append(n).append("::text) like ").append(GrantParams.likeOf("g.res_location"))
                    .append("))");
            return;
        }
        sql.append(" and g.res_location is null");
        String[] names = { r.catalog(), r.database(), r.table(), r.column() };
        for (int i = 0; i < 4; i++) {
            String column = "g." + LEVELS[i];
            if (i < r.depth()) {
                params.add(names[i]);
                int n = params.size();
                sql.append(" and (").append(i == 0 ? "" : column + " is null or ").append("(not g.res_pattern and lower(").append(column)
                        .append(") = $").append(n).append("::text) or (g.res_pattern and $").append(n).append("::text like ")
                        .append(GrantParams.likeOf(column)).append("))");
            } else if (!below) {
                sql.append(" and ").append(column).append(" is null");
            }
        }
    }

    private Uni<GrantPage> grantPage(StringBuilder sql, List<Object> params, List<String> after, int limit, String listing) {
        if (after != null) {
            params.addAll(after);
            int n = params.size();
            sql.append(" and (g.grant_key, g.origin) > ($").append(n - 1).append(", $").append(n).append(")");
        }
        params.add(limit + 1);
        sql.append(" order by g.grant_key, g.origin limit $").append(params.size());
        return query(sql.toString(), Tuple.from(params)).map(rows -> {
            List<GrantView> items = new ArrayList<>();
            List<String> lastKey = null;
            String next = null;
            for (Row r : rows) {
                if (items.size() == limit) {
                    next = GrantParams.cursor(listing, lastKey);
                    break;
                }
                items.add(grant(r));
                lastKey = List.of(r.getString("grant_key"), r.getString("origin"));
            }
            return new GrantPage(items, next);
        }).onFailure(RunActivity::readModelMissing).recoverWithItem(new GrantPage(List.of(), null));
    }

    private static GrantView grant(Row r) {
        return new GrantView(r.getString("origin"),
                new PrincipalRef(r.getString("principal_type"), r.getString("principal_source"), r.getString("principal_name")),
                new ResourceView(r.getString("res_catalog"), r.getString("res_database"), r.getString("res_table"),
                        r.getString("res_column"), r.getString("res_location"), r.getBoolean("res_pattern")),
                r.getString("privilege"), r.getBoolean("grant_option"),
                new ProvenanceView(r.getString("prov_file"), r.getString("prov_policy_id"), r.getString("prov_policy_name"),
                        r.getString("prov_item")),
                instant(r, "granted_at"), r.getString("last_run_id"));
    }

    private Uni<RowSet<Row>> query(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params);
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private static String trimSlash(String location) {
        String s = location;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static Instant instant(Row row, String column) {
        Object value = row.getValue(column);
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC);
        }
        return null;
    }
}
