package io.jobplane.api.catalog;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.api.catalog.CatalogViews.CatalogList;
import io.jobplane.api.catalog.CatalogViews.CatalogReport;
import io.jobplane.api.catalog.CatalogViews.CatalogSummary;
import io.jobplane.api.catalog.CatalogViews.Counts;
import io.jobplane.api.catalog.CatalogViews.DatabasePage;
import io.jobplane.api.catalog.CatalogViews.DatabaseView;
import io.jobplane.api.catalog.CatalogViews.EventCount;
import io.jobplane.api.catalog.CatalogViews.FunctionPage;
import io.jobplane.api.catalog.CatalogViews.FunctionView;
import io.jobplane.api.catalog.CatalogViews.PartitionPage;
import io.jobplane.api.catalog.CatalogViews.PartitionView;
import io.jobplane.api.catalog.CatalogViews.PlatformRecordPage;
import io.jobplane.api.catalog.CatalogViews.PlatformRecordView;
import io.jobplane.api.catalog.CatalogViews.SchemaVersion;
import io.jobplane.api.catalog.CatalogViews.SchemaVersionPage;
import io.jobplane.api.catalog.CatalogViews.Statistics;
import io.jobplane.api.catalog.CatalogViews.TablePage;
import io.jobplane.api.catalog.CatalogViews.TableSummary;
import io.jobplane.api.catalog.CatalogViews.TableView;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.run.RunActivity;
import io.jobplane.api.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Answers catalog queries from the catalog read model that metadata-harvester builds from
 * {@code jobplane.catalog-changes} (schema {@code catalog}, documented in metadata-harvester/README.md),
 * read-only and always within the caller's workspace. Names are looked up by their lower-cased keys,
 * so they compare ignoring case. Before the harvester has created the read model, the catalog is
 * empty: listings answer nothing and lookups answer 404.
 */
@ApplicationScoped
public class CatalogQueryService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CATALOGS = """
            select d.catalog_key, (array_agg(d.catalog_name order by d.updated_at desc, d.database_key))[1] as name,
                   count(*) as databases,
                   (select count(*) from catalog.catalog_table t where t.workspace = $1 and t.catalog_key = d.catalog_key) as tables,
                   (select count(*) from catalog.catalog_function f where f.workspace = $1 and f.catalog_key = d.catalog_key) as functions
              from catalog.catalog_database d where d.workspace = $1
             group by d.catalog_key order by d.catalog_key limit 1000""";
    private static final String EXISTS = """
            select exists (select 1 from catalog.catalog_database where workspace = $1 and catalog_key = $2) as catalog,
                   exists (select 1 from catalog.catalog_database where workspace = $1 and catalog_key = $2
                                                                     and database_key = $3) as database""";
    private static final String TABLE_COLUMNS = """
            t.table_key, t.catalog_name, t.database_name, t.table_name, t.table_type, t.location, t.format, t.input_format,
            t.output_format, t.serde_library, t.serde_parameters::text as serde_parameters, t.columns::text as columns,
            t.partition_keys::text as partition_keys, t.parameters::text as parameters, t.owner, t.stat_files, t.stat_bytes,
            t.stat_rows, t.warnings::text as warnings, t.schema_version, t.created_at, t.updated_at, t.last_run_id""";
    private static final String TABLE = "select " + TABLE_COLUMNS + """
            , (select count(*) from catalog.catalog_partition p where p.workspace = t.workspace and p.catalog_key = t.catalog_key
                  and p.database_key = t.database_key and p.table_key = t.table_key) as partition_count
              from catalog.catalog_table t
             where t.workspace = $1 and t.catalog_key = $2 and t.database_key = $3 and t.table_key = $4""";
    private static final String FUNCTION_COLUMNS = """
            function_key, catalog_name, database_name, function_name, class_name, owner, function_type,
            resources::text as resources, created_at, updated_at, last_run_id""";
    private static final String VERSION_COLUMNS = "version, columns::text as columns, partition_keys::text as partition_keys, created_at, run_id";

    private final Pool pool;

    public CatalogQueryService(Pool pool) {
        this.pool = pool;
    }

    // ---- catalogs and databases ---------------------------------------------------------------------

    public Uni<CatalogList> catalogs(Caller caller) {
        return query(CATALOGS, Tuple.of(caller.workspace()))
                .map(rows -> {
                    List<CatalogSummary> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new CatalogSummary(r.getString("name"), r.getLong("databases"), r.getLong("tables"),
                            r.getLong("functions"))));
                    return new CatalogList(out);
                })
                .onFailure(RunActivity::readModelMissing).recoverWithItem(new CatalogList(List.of()));
    }

    public Uni<DatabasePage> databases(Caller caller, String catalog, String prefix, int limit, String cursor) {
        String c = key(catalog);
        List<String> after = CatalogPaging.after("databases", cursor, 1);
        String[] range = prefixRange(prefix);
        return requireCatalog(caller, catalog).chain(() -> {
            List<Object> params = new ArrayList<>(List.of(caller.workspace(), c));
            StringBuilder sql = new StringBuilder("""
                    select d.database_key, d.catalog_name, d.database_name, d.description, d.location, d.owner,
                           d.parameters::text as parameters, d.created_at, d.updated_at, d.last_run_id,
                           (select count(*) from catalog.catalog_table t where t.workspace = d.workspace
                               and t.catalog_key = d.catalog_key and t.database_key = d.database_key) as tables
                      from catalog.catalog_database d where d.workspace = $1 and d.catalog_key = $2""");
            where(sql, params, "d.database_key", range, after == null ? null : after.get(0));
            return page(sql, params, "d.database_key", limit, r -> new DatabaseView(r.getString("catalog_name"),
                    r.getString("database_name"), r.getString("description"), r.getString("location"), r.getString("owner"),
                    json(r, "parameters"), r.getLong("tables"), instant(r, "created_at"), instant(r, "updated_at"),
                    r.getString("last_run_id")), r -> List.of(r.getString("database_key")), "databases")
                    .map(p -> new DatabasePage(p.items(), p.next()));
        });
    }

    // ---- tables --------------------------------------------------------------------------------------

    public Uni<TablePage> tables(Caller caller, String catalog, String database, String prefix, int limit, String cursor) {
        List<String> after = CatalogPaging.after("tables", cursor, 1);
        String[] range = prefixRange(prefix);
        return requireDatabase(caller, catalog, database).chain(() -> {
            List<Object> params = new ArrayList<>(List.of(caller.workspace(), key(catalog), key(database)));
            StringBuilder sql = new StringBuilder("""
                    select t.table_key, t.table_name, t.table_type, t.format, t.location, t.schema_version, t.updated_at
                      from catalog.catalog_table t where t.workspace = $1 and t.catalog_key = $2 and t.database_key = $3""");
            where(sql, params, "t.table_key", range, after == null ? null : after.get(0));
            return page(sql, params, "t.table_key", limit, r -> new TableSummary(r.getString("table_name"),
                    r.getString("table_type"), r.getString("format"), r.getString("location"), r.getInteger("schema_version"),
                    instant(r, "updated_at")), r -> List.of(r.getString("table_key")), "tables")
                    .map(p -> new TablePage(p.items(), p.next()));
        });
    }

    /** One table with its schema and every schema version it has had (at most the latest 100; the rest by schema-versions). */
    public Uni<TableView> table(Caller caller, String catalog, String database, String table) {
        return tableRow(caller, catalog, database, table).chain(r -> versions(caller, catalog, database, table, 100, null)
                .map(versions -> tableView(r, versions.schemaVersions())));
    }

    public Uni<SchemaVersionPage> schemaVersions(Caller caller, String catalog, String database, String table, int limit,
            String cursor) {
        List<String> after = CatalogPaging.after("versions", cursor, 1);
        Integer before;
        try {
            before = after == null ? null : Integer.valueOf(after.get(0));
        } catch (NumberFormatException e) {
            throw CatalogPaging.badCursor();
        }
        return tableRow(caller, catalog, database, table).chain(r -> versions(caller, catalog, database, table, limit, before));
    }

    /** Newest first. */
    private Uni<SchemaVersionPage> versions(Caller caller, String catalog, String database, String table, int limit,
            Integer before) {
        List<Object> params = new ArrayList<>(List.of(caller.workspace(), key(catalog), key(database), key(table)));
        StringBuilder sql = new StringBuilder("select " + VERSION_COLUMNS + """
                 from catalog.table_schema_version
                where workspace = $1 and catalog_key = $2 and database_key = $3 and table_key = $4""");
        if (before != null) {
            params.add(before);
            sql.append(" and version < $").append(params.size());
        }
        params.add(limit + 1);
        sql.append(" order by version desc limit $").append(params.size());
        return query(sql.toString(), Tuple.from(params)).map(rows -> {
            List<SchemaVersion> out = new ArrayList<>();
            rows.forEach(v -> out.add(new SchemaVersion(v.getInteger("version"), json(v, "columns"), json(v, "partition_keys"),
                    instant(v, "created_at"), v.getString("run_id"))));
            String next = null;
            if (out.size() > limit) {
                out.remove(out.size() - 1);
                next = CatalogPaging.cursor("versions", List.of(Integer.toString(out.get(out.size() - 1).version())));
            }
            return new SchemaVersionPage(out, next);
        });
    }

    public Uni<PartitionPage> partitions(Caller caller, String catalog, String database, String table, int limit, String cursor) {
        List<String> after = CatalogPaging.after("partitions", cursor, 0);
        return tableRow(caller, catalog, database, table).chain(t -> {
            List<String> keys = new ArrayList<>();
            json(t, "partition_keys").forEach(k -> keys.add(k.path("name").asText()));
            List<Object> params = new ArrayList<>(List.of(caller.workspace(), key(catalog), key(database), key(table)));
            StringBuilder sql = new StringBuilder("""
                    select p.partition_values, p.location, p.parameters::text as parameters, p.stat_files, p.stat_bytes,
                           p.stat_rows, p.created_at, p.updated_at
                      from catalog.catalog_partition p
                     where p.workspace = $1 and p.catalog_key = $2 and p.database_key = $3 and p.table_key = $4""");
            if (after != null) {
                params.add(after.toArray(String[]::new));
                sql.append(" and p.partition_values > $").append(params.size()).append("::text[]");
            }
            return page(sql, params, "p.partition_values", limit, r -> {
                List<String> values = List.of(r.getArrayOfStrings("partition_values"));
                Map<String, String> spec = new LinkedHashMap<>();
                for (int i = 0; i < values.size() && i < keys.size(); i++) {
                    spec.put(keys.get(i), values.get(i));
                }
                return new PartitionView(values, spec, r.getString("location"), json(r, "parameters"), statistics(r),
                        instant(r, "created_at"), instant(r, "updated_at"));
            }, r -> List.of(r.getArrayOfStrings("partition_values")), "partitions")
                    .map(p -> new PartitionPage(p.items(), p.next()));
        });
    }

    private Uni<Row> tableRow(Caller caller, String catalog, String database, String table) {
        return query(TABLE, Tuple.of(caller.workspace(), key(catalog), key(database), key(table)))
                .onFailure(RunActivity::readModelMissing).recoverWithItem((RowSet<Row>) null)
                .chain(rows -> {
                    if (rows != null && rows.size() > 0) {
                        return Uni.createFrom().item(rows.iterator().next());
                    }
                    return requireDatabase(caller, catalog, database).map(ok -> {
                        throw ApiException.notFound("table", table);
                    });
                });
    }

    private static TableView tableView(Row r, List<SchemaVersion> versions) {
        return new TableView(r.getString("catalog_name"), r.getString("database_name"), r.getString("table_name"),
                r.getString("table_type"), r.getString("location"), r.getString("format"), r.getString("input_format"),
                r.getString("output_format"), new CatalogViews.Serde(r.getString("serde_library"), json(r, "serde_parameters")),
                json(r, "columns"), json(r, "partition_keys"), json(r, "parameters"), r.getString("owner"), statistics(r),
                json(r, "warnings"), r.getInteger("schema_version"), r.getLong("partition_count"), versions,
                instant(r, "created_at"), instant(r, "updated_at"), r.getString("last_run_id"));
    }

    // ---- functions -----------------------------------------------------------------------------------

    public Uni<FunctionPage> functions(Caller caller, String catalog, String database, String prefix, int limit, String cursor) {
        List<String> after = CatalogPaging.after("functions", cursor, 1);
        String[] range = prefixRange(prefix);
        return requireDatabase(caller, catalog, database).chain(() -> {
            List<Object> params = new ArrayList<>(List.of(caller.workspace(), key(catalog), key(database)));
            StringBuilder sql = new StringBuilder("select " + FUNCTION_COLUMNS
                    + " from catalog.catalog_function f where f.workspace = $1 and f.catalog_key = $2 and f.database_key = $3");
            where(sql, params, "f.function_key", range, after == null ? null : after.get(0));
            return page(sql, params, "f.function_key", limit, CatalogQueryService::functionView,
                    r -> List.of(r.getString("function_key")), "functions").map(p -> new FunctionPage(p.items(), p.next()));
        });
    }

    public Uni<FunctionView> function(Caller caller, String catalog, String database, String function) {
        return query("select " + FUNCTION_COLUMNS + """
                 from catalog.catalog_function
                where workspace = $1 and catalog_key = $2 and database_key = $3 and function_key = $4""",
                Tuple.of(caller.workspace(), key(catalog), key(database), key(function)))
                .onFailure(RunActivity::readModelMissing).recoverWithItem((RowSet<Row>) null)
                .chain(rows -> {
                    if (rows != null && rows.size() > 0) {
                        return Uni.createFrom().item(functionView(rows.iterator().next()));
                    }
                    return requireDatabase(caller, catalog, database).map(ok -> {
                        throw ApiException.notFound("function", function);
                    });
                });
    }

    private static FunctionView functionView(Row r) {
        return new FunctionView(r.getString("catalog_name"), r.getString("database_name"), r.getString("function_name"),
                r.getString("class_name"), r.getString("owner"), r.getString("function_type"), json(r, "resources"),
                instant(r, "created_at"), instant(r, "updated_at"), r.getString("last_run_id"));
    }

    // ---- platform records ----------------------------------------------------------------------------

    public Uni<PlatformRecordPage> platformRecords(Caller caller, String kind, String source, int limit, String cursor) {
        String k = CatalogPaging.kind(kind);
        List<String> after = CatalogPaging.after("platform", cursor, 2);
        List<Object> params = new ArrayList<>(List.of(caller.workspace(), k));
        StringBuilder sql = new StringBuilder("""
                select kind, source, record_id, json::text as json, created_at, updated_at, last_run_id
                  from catalog.platform_record where workspace = $1 and kind = $2""");
        if (source != null && !source.isEmpty()) {
            params.add(source);
            sql.append(" and source = $").append(params.size());
        }
        if (after != null) {
            params.add(after.get(0));
            params.add(after.get(1));
            sql.append(" and (source, record_id) > ($").append(params.size() - 1).append(", $").append(params.size()).append(')');
        }
        return page(sql, params, "source, record_id", limit, CatalogQueryService::recordView,
                r -> List.of(r.getString("source"), r.getString("record_id")), "platform")
                .map(p -> new PlatformRecordPage(p.items(), p.next()))
                .onFailure(RunActivity::readModelMissing).recoverWithItem(new PlatformRecordPage(List.of(), null));
    }

    /** One record by id; {@code source} picks it when several sources hold a record of that id. */
    public Uni<PlatformRecordView> platformRecord(Caller caller, String kind, String id, String source) {
        String k = CatalogPaging.kind(kind);
        List<Object> params = new ArrayList<>(List.of(caller.workspace(), k, id));
        String sql = "select kind, source, record_id, json::text as json, created_at, updated_at, last_run_id"
                + " from catalog.platform_record where workspace = $1 and kind = $2 and record_id = $3";
        if (source != null && !source.isEmpty()) {
            params.add(source);
            sql += " and source = $4";
        }
        return query(sql + " order by source limit 2", Tuple.from(params))
                .onFailure(RunActivity::readModelMissing).recoverWithItem((RowSet<Row>) null)
                .map(rows -> {
                    if (rows == null || rows.size() == 0) {
                        throw ApiException.notFound("platform record", id);
                    }
                    if (rows.size() > 1) {
                        throw ApiException.badRequest("AMBIGUOUS_RECORD", "Several sources hold a " + k + " record '" + id + "'",
                                "Name the source (the connection the records were read from) with ?source=….");
                    }
                    return recordView(rows.iterator().next());
                });
    }

    private static PlatformRecordView recordView(Row r) {
        return new PlatformRecordView(r.getString("kind"), r.getString("source"), r.getString("record_id"), json(r, "json"),
                instant(r, "created_at"), instant(r, "updated_at"), r.getString("last_run_id"));
    }

    // ---- run reports ---------------------------------------------------------------------------------

    /** The catalog report of the run's latest attempt that has one; an empty one for a run of the workspace without any. */
    public Uni<CatalogReport> report(Caller caller, UUID runId) {
        Tuple run = Tuple.of(caller.workspace(), runId.toString());
        return query("""
                select max(attempt) from (
                    select attempt from catalog.run_report_event where workspace = $1 and run_id = $2
                    union all select attempt from catalog.run_report where workspace = $1 and run_id = $2
                    union all select attempt from catalog.run_completion where workspace = $1 and run_id = $2) a""", run)
                .map(rows -> rows.iterator().next().getInteger(0))
                .onFailure(RunActivity::readModelMissing).recoverWithNull()
                .chain(attempt -> attempt == null ? emptyReport(caller, runId) : report(caller, runId, attempt));
    }

    private Uni<CatalogReport> emptyReport(Caller caller, UUID runId) {
        return pool.preparedQuery("select 1 from api.run where id = $1 and workspace = $2").execute(Tuple.of(runId, caller.workspace()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("run", runId);
                    }
                    return new CatalogReport(runId.toString(), null, false, Map.of(), Map.of());
                });
    }

    private Uni<CatalogReport> report(Caller caller, UUID runId, int attempt) {
        Tuple key = Tuple.of(caller.workspace(), runId.toString(), attempt);
        Uni<Map<String, Counts>> kinds = query("""
                select kind, added, changed, unchanged, skipped, removed from catalog.run_report
                 where workspace = $1 and run_id = $2 and attempt = $3""", key).map(rows -> {
            Map<String, Counts> out = new TreeMap<>();
            rows.forEach(r -> out.put(r.getString("kind"), new Counts(r.getLong("added"), r.getLong("changed"),
                    r.getLong("unchanged"), r.getLong("skipped"), r.getLong("removed"))));
            return out;
        });
        Uni<Map<String, Long>> applied = query("""
                select event_type, applied from catalog.run_report_event where workspace = $1 and run_id = $2 and attempt = $3""",
                key).map(rows -> {
                    Map<String, Long> out = new TreeMap<>();
                    rows.forEach(r -> out.put(r.getString("event_type"), r.getLong("applied")));
                    return out;
                });
        Uni<JsonNode> emitted = query("""
                select emitted::text as emitted from catalog.run_completion where workspace = $1 and run_id = $2 and attempt = $3""",
                key).map(rows -> rows.size() == 0 ? null : json(rows.iterator().next(), "emitted"));
        return Uni.combine().all().unis(kinds, applied, emitted).asTuple().map(t -> {
            Map<String, EventCount> events = new TreeMap<>();
            t.getItem2().forEach((type, n) -> events.put(type, new EventCount(null, n)));
            boolean complete = t.getItem3() != null;
            if (t.getItem3() != null) {
                var fields = t.getItem3().fields();
                while (fields.hasNext()) {
                    var e = fields.next();
                    long sent = e.getValue().asLong();
                    long done = t.getItem2().getOrDefault(e.getKey(), 0L);
                    events.put(e.getKey(), new EventCount(sent, done));
                    complete &= done >= sent;
                }
            }
            return new CatalogReport(runId.toString(), attempt, complete, t.getItem1(), events);
        });
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Uni<Void> requireCatalog(Caller caller, String catalog) {
        return exists(caller, catalog, "").invoke(e -> {
            if (!e[0]) {
                throw ApiException.notFound("catalog", catalog);
            }
        }).replaceWithVoid();
    }

    private Uni<Void> requireDatabase(Caller caller, String catalog, String database) {
        return exists(caller, catalog, database).invoke(e -> {
            if (!e[0]) {
                throw ApiException.notFound("catalog", catalog);
            }
            if (!e[1]) {
                throw ApiException.notFound("database", database);
            }
        }).replaceWithVoid();
    }

    /** Whether the catalog, and the database in it, exist; neither before the read model does. */
    private Uni<boolean[]> exists(Caller caller, String catalog, String database) {
        return query(EXISTS, Tuple.of(caller.workspace(), key(catalog), key(database)))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new boolean[] { r.getBoolean("catalog"), r.getBoolean("database") };
                })
                .onFailure(RunActivity::readModelMissing).recoverWithItem(new boolean[] { false, false });
    }

    private Uni<RowSet<Row>> query(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params);
    }

    /** A page of items and the cursor after its last one (null on the last page). */
    private record Page<T>(List<T> items, String next) {
    }

    /** Reads one row more than asked for: when it is there, the page's last row gives the cursor. */
    private <T> Uni<Page<T>> page(StringBuilder sql, List<Object> params, String orderBy, int limit, Function<Row, T> view,
            Function<Row, List<String>> sortKey, String listing) {
        params.add(limit + 1);
        sql.append(" order by ").append(orderBy).append(" limit $").append(params.size());
        return query(sql.toString(), Tuple.from(params)).map(rows -> {
            List<T> items = new ArrayList<>();
            List<String> lastKey = null;
            int n = 0;
            for (Row r : rows) {
                if (++n > limit) {
                    return new Page<>(items, CatalogPaging.cursor(listing, lastKey));
                }
                items.add(view.apply(r));
                lastKey = sortKey.apply(r);
            }
            return new Page<>(items, null);
        });
    }

    /** Appends a name-prefix range and a cursor on {@code column}. */
    private static void where(StringBuilder sql, List<Object> params, String column, String[] range, String after) {
        if (range != null) {
            params.add(range[0]);
            sql.append(" and ").append(column).append(" >= $").append(params.size());
            if (range[1] != null) {
                params.add(range[1]);
                sql.append(" and ").append(column).append(" < $").append(params.size());
            }
        }
        if (after != null) {
            params.add(after);
            sql.append(" and ").append(column).append(" > $").append(params.size());
        }
    }

    private static String[] prefixRange(String prefix) {
        return CatalogPaging.prefixRange(prefix);
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static Statistics statistics(Row r) {
        return new Statistics(r.getLong("stat_files"), r.getLong("stat_bytes"), r.getLong("stat_rows"));
    }

    private static JsonNode json(Row r, String column) {
        String text = r.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the catalog read model holds JSON that does not parse", e);
        }
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
