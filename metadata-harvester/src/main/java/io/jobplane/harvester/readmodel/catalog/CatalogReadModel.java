package io.jobplane.harvester.readmodel.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogChange.Partition;
import io.jobplane.events.payload.catalog.CatalogChange.PlatformRecord;
import io.jobplane.harvester.readmodel.catalog.CatalogCounts.Counts;
import io.jobplane.harvester.readmodel.catalog.CatalogFold.Outcome;
import io.jobplane.harvester.readmodel.catalog.CatalogRows.DatabaseRow;
import io.jobplane.harvester.readmodel.catalog.CatalogRows.FunctionRow;
import io.jobplane.harvester.readmodel.catalog.CatalogRows.Key;
import io.jobplane.harvester.readmodel.catalog.CatalogRows.TableRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes catalog changes into schema {@code catalog} (metadata-harvester/README.md, "The catalog read
 * model"), a batch in the caller's transaction:
 * <ol>
 * <li>the events' ids are recorded per run and attempt; an event recorded before (a redelivery) is left out;</li>
 * <li>databases, tables and functions: the stored rows the batch names are read (locked), each change is
 *     folded into them in event order ({@link CatalogFold}), and every row that ends different is written
 *     once, in one multi-row statement per table; a table whose columns or partition keys changed gets a
 *     new schema version; the database of a table or function is created (empty) when the catalog does
 *     not hold it yet;</li>
 * <li>partitions: one set-based statement per event (up to 500 rows), which writes only the partitions
 *     that differ and says how many were there, written and skipped;</li>
 * <li>platform records: upserted (no generation) or staged; a generation whose commit and records are
 *     all in replaces the kind's rows for the source in this transaction;</li>
 * <li>run completions, then the report counters of every run the batch touched.</li>
 * </ol>
 */
@ApplicationScoped
public class CatalogReadModel {

    private static final String RECORD_EVENTS = """
            insert into catalog.applied_event (run_id, attempt, event_id, workspace, event_type)
            select * from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[])
            on conflict do nothing
            returning run_id, attempt, event_id""";

    private static final String LOAD_DATABASES = """
            select workspace, catalog_key, database_key, catalog_name, database_name, description, location, owner,
                   parameters::text as parameters
              from catalog.catalog_database
             where (workspace, catalog_key, database_key) in (select * from unnest($1::text[], $2::text[], $3::text[]))
             for update""";
    private static final String WRITE_DATABASES = """
            insert into catalog.catalog_database as d (workspace, catalog_key, database_key, catalog_name, database_name,
                                                      description, location, owner, parameters, last_run_id)
            select u.w, u.c, u.d, u.cn, u.dn, u.descr, u.loc, u.owner, u.params::jsonb, u.run
              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[]) as u(w, c, d, cn, dn, descr, loc, owner, params, run)
            on conflict (workspace, catalog_key, database_key) do update set
                catalog_name = excluded.catalog_name, database_name = excluded.database_name,
                description = excluded.description, location = excluded.location, owner = excluded.owner,
                parameters = excluded.parameters, last_run_id = excluded.last_run_id, updated_at = now()""";
    /** The database of a table or function, when the catalog does not hold it: names only. */
    private static final String ENSURE_DATABASES = """
            insert into catalog.catalog_database (workspace, catalog_key, database_key, catalog_name, database_name, last_run_id)
            select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
            on conflict do nothing""";

    private static final String LOAD_TABLES = """
            select workspace, catalog_key, database_key, table_key, catalog_name, database_name, table_name, table_type,
                   location, format, input_format, output_format, serde_library, serde_parameters::text as serde_parameters,
                   columns::text as columns, partition_keys::text as partition_keys, parameters::text as parameters, owner,
                   stat_files, stat_bytes, stat_rows, warnings::text as warnings, schema_version
              from catalog.catalog_table
             where (workspace, catalog_key, database_key, table_key) in
                   (select * from unnest($1::text[], $2::text[], $3::text[], $4::text[]))
             for update""";
    private static final String WRITE_TABLES = """
            insert into catalog.catalog_table as t (workspace, catalog_key, database_key, table_key, catalog_name,
                   database_name, table_name, table_type, location, format, input_format, output_format, serde_library,
                   serde_parameters, columns, partition_keys, parameters, owner, stat_files, stat_bytes, stat_rows, warnings,
                   schema_version, last_run_id)
            select u.w, u.c, u.d, u.t, u.cn, u.dn, u.tn, u.tt, u.loc, u.fmt, u.inf, u.outf, u.serde, u.sp::jsonb,
                   u.cols::jsonb, u.pk::jsonb, u.params::jsonb, u.owner, u.files, u.bytes, u.nrows, u.warn::jsonb, u.ver, u.run
              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                          $16::text[], $17::text[], $18::text[], $19::bigint[], $20::bigint[], $21::bigint[], $22::text[],
                          $23::int[], $24::text[])
                   as u(w, c, d, t, cn, dn, tn, tt, loc, fmt, inf, outf, serde, sp, cols, pk, params, owner, files, bytes,
                        nrows, warn, ver, run)
            on conflict (workspace, catalog_key, database_key, table_key) do update set
                catalog_name = excluded.catalog_name, database_name = excluded.database_name, table_name = excluded.table_name,
                table_type = excluded.table_type, location = excluded.location, format = excluded.format,
                input_format = excluded.input_format, output_format = excluded.output_format,
                serde_library = excluded.serde_library, serde_parameters = excluded.serde_parameters,
                columns = excluded.columns, partition_keys = excluded.partition_keys, parameters = excluded.parameters,
                owner = excluded.owner, stat_files = excluded.stat_files, stat_bytes = excluded.stat_bytes,
                stat_rows = excluded.stat_rows, warnings = excluded.warnings, schema_version = excluded.schema_version,
                last_run_id = excluded.last_run_id, updated_at = now()""";
    private static final String WRITE_SCHEMA_VERSIONS = """
            insert into catalog.table_schema_version (workspace, catalog_key, database_key, table_key, version, columns,
                                                      partition_keys, run_id)
            select u.w, u.c, u.d, u.t, u.v, u.cols::jsonb, u.pk::jsonb, u.run
              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[])
                   as u(w, c, d, t, v, cols, pk, run)
            on conflict do nothing""";

    private static final String LOAD_FUNCTIONS = """
            select workspace, catalog_key, database_key, function_key, catalog_name, database_name, function_name,
                   class_name, owner, function_type, resources::text as resources
              from catalog.catalog_function
             where (workspace, catalog_key, database_key, function_key) in
                   (select * from unnest($1::text[], $2::text[], $3::text[], $4::text[]))
             for update""";
    private static final String WRITE_FUNCTIONS = """
            insert into catalog.catalog_function as f (workspace, catalog_key, database_key, function_key, catalog_name,
                   database_name, function_name, class_name, owner, function_type, resources, last_run_id)
            select u.w, u.c, u.d, u.f, u.cn, u.dn, u.fn, u.cls, u.owner, u.ft, u.res::jsonb, u.run
              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::text[]) as u(w, c, d, f, cn, dn, fn, cls, owner, ft, res, run)
            on conflict (workspace, catalog_key, database_key, function_key) do update set
                catalog_name = excluded.catalog_name, database_name = excluded.database_name,
                function_name = excluded.function_name, class_name = excluded.class_name, owner = excluded.owner,
                function_type = excluded.function_type, resources = excluded.resources,
                last_run_id = excluded.last_run_id, updated_at = now()""";

    /**
     * One event's partitions of one table, set-based: only partitions of a table the catalog holds, with as
     * many values as it has partition keys, are taken ({@code valid}); {@code INSERT} never updates,
     * {@code UPDATE} never inserts, and a partition equal to the stored one is not written. Answers how
     * many were valid, already there, and written.
     */
    private static final String WRITE_PARTITIONS = """
            with tbl as (
                select jsonb_array_length(t.partition_keys) as n from catalog.catalog_table t
                 where t.workspace = $1 and t.catalog_key = $2 and t.database_key = $3 and t.table_key = $4),
            input as (
                select array(select jsonb_array_elements_text(u.vals::jsonb)) as vals, u.loc, u.params::jsonb as params,
                       u.files, u.bytes, u.nrows
                  from unnest($5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[])
                       as u(vals, loc, params, files, bytes, nrows)),
            valid as (select i.* from input i, tbl where cardinality(i.vals) = tbl.n),
            existing as (
                select v.vals as partition_values from valid v cross join lateral (
                    select 1 from catalog.catalog_partition p
                     where p.workspace = $1 and p.catalog_key = $2 and p.database_key = $3 and p.table_key = $4
                       and p.partition_values = v.vals limit 1) found),
            written as (
                insert into catalog.catalog_partition as p (workspace, catalog_key, database_key, table_key, partition_values,
                       location, parameters, stat_files, stat_bytes, stat_rows, last_run_id)
                select $1, $2, $3, $4, v.vals, v.loc, v.params, v.files, v.bytes, v.nrows, $11 from valid v
                 where $12 <> 'UPDATE' or v.vals in (select e.partition_values from existing e)
                on conflict (workspace, catalog_key, database_key, table_key, partition_values) do update set
                    location = excluded.location, parameters = excluded.parameters, stat_files = excluded.stat_files,
                    stat_bytes = excluded.stat_bytes, stat_rows = excluded.stat_rows, last_run_id = excluded.last_run_id,
                    updated_at = now()
                 where $12 <> 'INSERT'
                   and (p.location, p.parameters, p.stat_files, p.stat_bytes, p.stat_rows)
                       is distinct from (excluded.location, excluded.parameters, excluded.stat_files, excluded.stat_bytes,
                                         excluded.stat_rows)
                returning 1)
            select (select count(*) from valid) as valid, (select count(*) from existing) as existed,
                   (select count(*) from written) as written""";

    /** Records without a generation: upserted as they come; answers how many there were, were there, were written. */
    private static final String UPSERT_RECORDS = """
            with input as (
                select u.id as record_id, u.json::jsonb as json from unnest($4::text[], $5::text[]) as u(id, json)),
            existing as (
                select r.record_id from catalog.platform_record r join input i
                    on r.workspace = $1 and r.kind = $2 and r.source = $3 and r.record_id = i.record_id),
            written as (
                insert into catalog.platform_record as r (workspace, kind, source, record_id, json, last_run_id)
                select $1, $2, $3, i.record_id, i.json, $6 from input i
                on conflict (workspace, kind, source, record_id) do update set
                    json = excluded.json, last_run_id = excluded.last_run_id, updated_at = now()
                 where r.json is distinct from excluded.json
                returning 1)
            select (select count(*) from input) as total, (select count(*) from existing) as existed,
                   (select count(*) from written) as written""";
    /** Serialises everything done to one source's kind (staging, commits, replaces) across consumers. */
    private static final String LOCK_KIND = "select pg_advisory_xact_lock(hashtextextended($1 || '/' || $2 || '/' || $3, 7))";
    /** A generation's records wait for its commit; a generation already swapped in takes no more. */
    private static final String STAGE_RECORDS = """
            insert into catalog.platform_staged_record as s (workspace, kind, source, generation, record_id, json)
            select $1, $2, $3, $4, u.id, u.json::jsonb from unnest($5::text[], $6::text[]) as u(id, json)
             where not exists (select 1 from catalog.platform_generation g
                                where g.workspace = $1 and g.kind = $2 and g.source = $3 and g.generation = $4
                                  and g.swapped_at is not null)
            on conflict (workspace, kind, source, generation, record_id) do update set json = excluded.json""";
    private static final String COMMIT_GENERATION = """
            insert into catalog.platform_generation (workspace, kind, source, generation, expected_records, run_id, attempt,
                                                     observed_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            on conflict do nothing""";
    /** A generation that may be ready: its commit, how many records are staged, and whether a later replace went first. */
    private static final String GENERATION_STATE = """
            select g.expected_records, g.run_id, g.attempt, g.swapped_at is not null as swapped,
                   (select count(*) from catalog.platform_staged_record s
                     where s.workspace = $1 and s.kind = $2 and s.source = $3 and s.generation = $4) as staged,
                   exists (select 1 from catalog.platform_generation n
                            where n.workspace = $1 and n.kind = $2 and n.source = $3 and n.generation <> $4
                              and n.swapped_at is not null and not n.superseded
                              and n.observed_at > g.observed_at) as outdated
              from catalog.platform_generation g
             where g.workspace = $1 and g.kind = $2 and g.source = $3 and g.generation = $4""";
    /**
     * The replace: the kind's rows for the source become the staged ones (rows not staged are removed; a
     * staged row equal to the stored one is not written). One statement, in the batch's transaction, so
     * readers see the old rows or the new ones.
     */
    private static final String SWAP_GENERATION = """
            with staged as (
                select s.record_id, s.json from catalog.platform_staged_record s
                 where s.workspace = $1 and s.kind = $2 and s.source = $3 and s.generation = $4),
            removed as (
                delete from catalog.platform_record r
                 where r.workspace = $1 and r.kind = $2 and r.source = $3
                   and not exists (select 1 from staged s where s.record_id = r.record_id)
                returning 1),
            existing as (
                select r.record_id from catalog.platform_record r join staged s
                    on r.workspace = $1 and r.kind = $2 and r.source = $3 and r.record_id = s.record_id),
            written as (
                insert into catalog.platform_record as r (workspace, kind, source, record_id, json, last_run_id)
                select $1, $2, $3, s.record_id, s.json, $5 from staged s
                on conflict (workspace, kind, source, record_id) do update set
                    json = excluded.json, last_run_id = excluded.last_run_id, updated_at = now()
                 where r.json is distinct from excluded.json
                returning 1)
            select (select count(*) from staged) as total, (select count(*) from existing) as existed,
                   (select count(*) from written) as written, (select count(*) from removed) as removed""";
    private static final String DROP_STAGED = """
            delete from catalog.platform_staged_record
             where workspace = $1 and kind = $2 and source = $3 and generation = $4""";
    private static final String MARK_SWAPPED = """
            update catalog.platform_generation set swapped_at = now(), superseded = $5
             where workspace = $1 and kind = $2 and source = $3 and generation = $4""";

    private static final String WRITE_COMPLETIONS = """
            insert into catalog.run_completion as c (workspace, run_id, attempt, emitted)
            select u.w, u.r, u.a, u.e::jsonb from unnest($1::text[], $2::text[], $3::int[], $4::text[]) as u(w, r, a, e)
            on conflict (workspace, run_id, attempt) do update set emitted = excluded.emitted, completed_at = now()""";
    private static final String WRITE_REPORT = """
            insert into catalog.run_report as r (workspace, run_id, attempt, kind, added, changed, unchanged, skipped, removed)
            select * from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[],
                                 $8::bigint[], $9::bigint[])
            on conflict (workspace, run_id, attempt, kind) do update set
                added = r.added + excluded.added, changed = r.changed + excluded.changed,
                unchanged = r.unchanged + excluded.unchanged, skipped = r.skipped + excluded.skipped,
                removed = r.removed + excluded.removed""";
    private static final String WRITE_EVENT_COUNTS = """
            insert into catalog.run_report_event as r (workspace, run_id, attempt, event_type, applied)
            select * from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[])
            on conflict (workspace, run_id, attempt, event_type) do update set applied = r.applied + excluded.applied""";

    /** Applies the events, in their order, in the transaction of {@code sql}. */
    public Uni<Void> apply(SqlClient sql, List<CatalogEvent> events) {
        Batch batch = new Batch(sql);
        return batch.fresh(events).chain(fresh -> {
            if (fresh.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            for (CatalogEvent e : fresh) {
                if (!e.type().equals(EventTypes.CATALOG_PLATFORM_COMMITTED)) {
                    // A commit counts once its replace is done.
                    batch.counts.applied(e.run(), e.type());
                }
            }
            return sequence(List.of(
                    () -> batch.databases(only(fresh, CatalogChange.Database.class)),
                    () -> batch.tables(only(fresh, CatalogChange.Table.class)),
                    () -> batch.functions(only(fresh, CatalogChange.Function.class)),
                    () -> batch.partitions(only(fresh, CatalogChange.Partitions.class)),
                    () -> batch.platform(fresh),
                    () -> batch.completions(only(fresh, CatalogChange.RunCompleted.class)),
                    batch::report));
        });
    }

    private static <T> List<T> only(List<CatalogEvent> events, Class<T> type) {
        return events.stream().map(CatalogEvent::change).filter(type::isInstance).map(type::cast).toList();
    }

    private static Uni<Void> sequence(List<Supplier<Uni<Void>>> steps) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Supplier<Uni<Void>> step : steps) {
            chain = chain.chain(step::get);
        }
        return chain;
    }

    /** One batch's work and counters. */
    private static final class Batch {
        private final SqlClient sql;
        private final CatalogCounts counts = new CatalogCounts();

        Batch(SqlClient sql) {
            this.sql = sql;
        }

        /** The events not applied before, each once, in their order. */
        Uni<List<CatalogEvent>> fresh(List<CatalogEvent> events) {
            Map<String, CatalogEvent> distinct = new LinkedHashMap<>();
            events.forEach(e -> distinct.putIfAbsent(eventKey(e.origin().runId(), e.origin().attempt(), e.id()), e));
            List<CatalogEvent> all = new ArrayList<>(distinct.values());
            if (all.isEmpty()) {
                return Uni.createFrom().item(List.of());
            }
            Tuple t = Tuple.tuple()
                    .addArrayOfString(strings(all, e -> e.origin().runId()))
                    .addArrayOfInteger(all.stream().map(e -> e.origin().attempt()).toArray(Integer[]::new))
                    .addArrayOfString(strings(all, CatalogEvent::id))
                    .addArrayOfString(strings(all, e -> e.origin().workspace()))
                    .addArrayOfString(strings(all, CatalogEvent::type));
            return sql.preparedQuery(RECORD_EVENTS).execute(t).map(rows -> {
                Set<String> recorded = new HashSet<>();
                rows.forEach(r -> recorded.add(eventKey(r.getString("run_id"), r.getInteger("attempt"), r.getString("event_id"))));
                return all.stream().filter(e -> recorded.contains(eventKey(e.origin().runId(), e.origin().attempt(), e.id())))
                        .toList();
            });
        }

        private static String eventKey(String runId, int attempt, String id) {
            return runId + '\n' + attempt + '\n' + id;
        }

        // ---- databases -------------------------------------------------------------------------------

        Uni<Void> databases(List<CatalogChange.Database> changes) {
            if (changes.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<Key> keys = changes.stream().map(d -> CatalogFold.database(d).key()).distinct().toList();
            Tuple load = Tuple.tuple().addArrayOfString(strings(keys, Key::workspace))
                    .addArrayOfString(strings(keys, Key::catalog)).addArrayOfString(strings(keys, Key::database));
            return sql.preparedQuery(LOAD_DATABASES).execute(load).chain(rows -> {
                Map<Key, DatabaseRow> stored = new TreeMap<>();
                rows.forEach(r -> {
                    DatabaseRow row = databaseRow(r);
                    stored.put(row.key(), row);
                });
                Map<Key, Written<DatabaseRow>> dirty = new TreeMap<>();
                for (CatalogChange.Database d : changes) {
                    DatabaseRow incoming = CatalogFold.database(d);
                    Outcome outcome = CatalogFold.outcome(stored.get(incoming.key()), incoming, d.conflict());
                    counts.of(run(d.origin()), CatalogCounts.DATABASES).add(outcome);
                    if (outcome.writes()) {
                        stored.put(incoming.key(), incoming);
                        dirty.put(incoming.key(), new Written<>(incoming, d.origin().runId()));
                    }
                }
                if (dirty.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                List<Written<DatabaseRow>> w = new ArrayList<>(dirty.values());
                Tuple t = Tuple.tuple()
                        .addArrayOfString(strings(w, x -> x.row().key().workspace()))
                        .addArrayOfString(strings(w, x -> x.row().key().catalog()))
                        .addArrayOfString(strings(w, x -> x.row().key().database()))
                        .addArrayOfString(strings(w, x -> x.row().catalogName()))
                        .addArrayOfString(strings(w, x -> x.row().databaseName()))
                        .addArrayOfString(strings(w, x -> x.row().description()))
                        .addArrayOfString(strings(w, x -> x.row().location()))
                        .addArrayOfString(strings(w, x -> x.row().owner()))
                        .addArrayOfString(strings(w, x -> CatalogJson.write(x.row().parameters())))
                        .addArrayOfString(strings(w, Written::runId));
                return sql.preparedQuery(WRITE_DATABASES).execute(t).replaceWithVoid();
            });
        }

        private static DatabaseRow databaseRow(Row r) {
            return new DatabaseRow(new Key(r.getString("workspace"), r.getString("catalog_key"), r.getString("database_key"), ""),
                    r.getString("catalog_name"), r.getString("database_name"), r.getString("description"),
                    r.getString("location"), r.getString("owner"), CatalogJson.strings(r.getString("parameters")));
        }

        /** Tables and functions live in a database: one the catalog does not hold is created with its names only. */
        private Uni<Void> ensureDatabases(Map<Key, String[]> databases) {
            if (databases.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<Map.Entry<Key, String[]>> e = new ArrayList<>(databases.entrySet());
            Tuple t = Tuple.tuple()
                    .addArrayOfString(strings(e, x -> x.getKey().workspace()))
                    .addArrayOfString(strings(e, x -> x.getKey().catalog()))
                    .addArrayOfString(strings(e, x -> x.getKey().database()))
                    .addArrayOfString(strings(e, x -> x.getValue()[0]))
                    .addArrayOfString(strings(e, x -> x.getValue()[1]))
                    .addArrayOfString(strings(e, x -> x.getValue()[2]));
            return sql.preparedQuery(ENSURE_DATABASES).execute(t).replaceWithVoid();
        }

        // ---- tables ----------------------------------------------------------------------------------

        Uni<Void> tables(List<CatalogChange.Table> changes) {
            if (changes.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<Key> keys = changes.stream().map(CatalogFold::key).distinct().toList();
            Tuple load = Tuple.tuple().addArrayOfString(strings(keys, Key::workspace))
                    .addArrayOfString(strings(keys, Key::catalog)).addArrayOfString(strings(keys, Key::database))
                    .addArrayOfString(strings(keys, Key::name));
            return sql.preparedQuery(LOAD_TABLES).execute(load).chain(rows -> {
                Map<Key, TableRow> stored = new TreeMap<>();
                rows.forEach(r -> {
                    TableRow row = tableRow(r);
                    stored.put(row.key(), row);
                });
                Map<Key, Written<TableRow>> dirty = new TreeMap<>();
                List<Written<TableRow>> versions = new ArrayList<>();
                Map<Key, String[]> databases = new TreeMap<>();
                for (CatalogChange.Table t : changes) {
                    Key key = CatalogFold.key(t);
                    TableRow before = stored.get(key);
                    Outcome outcome;
                    TableRow incoming = null;
                    if (before != null && t.conflict() == CatalogChange.Conflict.INSERT) {
                        outcome = Outcome.UNCHANGED;
                    } else {
                        incoming = CatalogFold.table(t, before);
                        outcome = CatalogFold.outcome(before, incoming, t.conflict());
                    }
                    counts.of(run(t.origin()), CatalogCounts.TABLES).add(outcome);
                    if (incoming != null && outcome != Outcome.SKIPPED) {
                        CatalogFold.countColumns(before == null ? null : before.columns(), incoming.columns(),
                                counts.of(run(t.origin()), CatalogCounts.COLUMNS));
                    }
                    if (outcome.writes()) {
                        stored.put(key, incoming);
                        dirty.put(key, new Written<>(incoming, t.origin().runId()));
                        if (before == null || incoming.schemaVersion() != before.schemaVersion()) {
                            versions.add(new Written<>(incoming, t.origin().runId()));
                        }
                        databases.putIfAbsent(key.parent(), new String[] { t.catalog(), t.database(), t.origin().runId() });
                    }
                }
                if (dirty.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                return ensureDatabases(databases).chain(() -> writeTables(new ArrayList<>(dirty.values())))
                        .chain(() -> writeVersions(versions));
            });
        }

        private Uni<Void> writeTables(List<Written<TableRow>> w) {
            Tuple t = Tuple.tuple()
                    .addArrayOfString(strings(w, x -> x.row().key().workspace()))
                    .addArrayOfString(strings(w, x -> x.row().key().catalog()))
                    .addArrayOfString(strings(w, x -> x.row().key().database()))
                    .addArrayOfString(strings(w, x -> x.row().key().name()))
                    .addArrayOfString(strings(w, x -> x.row().catalogName()))
                    .addArrayOfString(strings(w, x -> x.row().databaseName()))
                    .addArrayOfString(strings(w, x -> x.row().tableName()))
                    .addArrayOfString(strings(w, x -> x.row().tableType()))
                    .addArrayOfString(strings(w, x -> x.row().location()))
                    .addArrayOfString(strings(w, x -> x.row().format()))
                    .addArrayOfString(strings(w, x -> x.row().inputFormat()))
                    .addArrayOfString(strings(w, x -> x.row().outputFormat()))
                    .addArrayOfString(strings(w, x -> x.row().serdeLibrary()))
                    .addArrayOfString(strings(w, x -> CatalogJson.write(x.row().serdeParameters())))
                    .addArrayOfString(strings(w, x -> CatalogJson.write(x.row().columns())))
                    .addArrayOfString(strings(w, x -> CatalogJson.write(x.row().partitionKeys())))
                    .addArrayOfString(strings(w, x -> CatalogJson.write(x.row().parameters())))
                    .addArrayOfString(strings(w, x -> x.row().owner()))
                    .addArrayOfLong(w.stream().map(x -> x.row().statistics().files()).toArray(Long[]::new))
                    .addArrayOfLong(w.stream().map(x -> x.row().statistics().bytes()).toArray(Long[]::new))
                    .addArrayOfLong(w.stream().map(x -> x.row().statistics().rows()).toArray(Long[]::new))
                    .addArrayOfString(strings(w, x -> CatalogJson.write(x.row().warnings())))
                    .addArrayOfInteger(w.stream().map(x -> x.row().schemaVersion()).toArray(Integer[]::new))
                    .addArrayOfString(strings(w, Written::runId));
            return sql.preparedQuery(WRITE_TABLES).execute(t).replaceWithVoid();
        }

        private Uni<Void> writeVersions(List<Written<TableRow>> w) {
            if (w.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Tuple t = Tuple.tuple()
                    .addArrayOfString(strings(w, x -> x.row().key().workspace()))
                    .addArrayOfString(strings(w, x -> x.row().key().catalog()))
                    .addArrayOfString(strings(w, x -> x.row().key().database()))
                    .addArrayOfString(strings(w, x -> x.row().key().name()))
                    .addArrayOfInteger(w.stream().map(x -> x.row().schemaVersion()).toArray(Integer[]::new))
                    .addArrayOfString(strings(w, x -> CatalogJson.write(x.row().columns())))
                    .addArrayOfString(strings(w, x -> CatalogJson.write(x.row().partitionKeys())))
                    .addArrayOfString(strings(w, Written::runId));
            return sql.preparedQuery(WRITE_SCHEMA_VERSIONS).execute(t).replaceWithVoid();
        }

        private static TableRow tableRow(Row r) {
            return new TableRow(new Key(r.getString("workspace"), r.getString("catalog_key"), r.getString("database_key"),
                    r.getString("table_key")), r.getString("catalog_name"), r.getString("database_name"),
                    r.getString("table_name"), r.getString("table_type"), r.getString("location"), r.getString("format"),
                    r.getString("input_format"), r.getString("output_format"), r.getString("serde_library"),
                    CatalogJson.strings(r.getString("serde_parameters")), CatalogJson.columns(r.getString("columns")),
                    CatalogJson.columns(r.getString("partition_keys")), CatalogJson.strings(r.getString("parameters")),
                    r.getString("owner"), new CatalogChange.Statistics(r.getLong("stat_files"), r.getLong("stat_bytes"),
                            r.getLong("stat_rows")),
                    CatalogJson.texts(r.getString("warnings")), r.getInteger("schema_version"));
        }

        // ---- functions -------------------------------------------------------------------------------

        Uni<Void> functions(List<CatalogChange.Function> changes) {
            if (changes.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<Key> keys = changes.stream().map(f -> CatalogFold.function(f).key()).distinct().toList();
            Tuple load = Tuple.tuple().addArrayOfString(strings(keys, Key::workspace))
                    .addArrayOfString(strings(keys, Key::catalog)).addArrayOfString(strings(keys, Key::database))
                    .addArrayOfString(strings(keys, Key::name));
            return sql.preparedQuery(LOAD_FUNCTIONS).execute(load).chain(rows -> {
                Map<Key, FunctionRow> stored = new TreeMap<>();
                rows.forEach(r -> {
                    FunctionRow row = new FunctionRow(new Key(r.getString("workspace"), r.getString("catalog_key"),
                            r.getString("database_key"), r.getString("function_key")), r.getString("catalog_name"),
                            r.getString("database_name"), r.getString("function_name"), r.getString("class_name"),
                            r.getString("owner"), r.getString("function_type"), CatalogJson.resources(r.getString("resources")));
                    stored.put(row.key(), row);
                });
                Map<Key, Written<FunctionRow>> dirty = new TreeMap<>();
                Map<Key, String[]> databases = new TreeMap<>();
                for (CatalogChange.Function f : changes) {
                    FunctionRow incoming = CatalogFold.function(f);
                    Outcome outcome = CatalogFold.outcome(stored.get(incoming.key()), incoming, f.conflict());
                    counts.of(run(f.origin()), CatalogCounts.FUNCTIONS).add(outcome);
                    if (outcome.writes()) {
                        stored.put(incoming.key(), incoming);
                        dirty.put(incoming.key(), new Written<>(incoming, f.origin().runId()));
                        databases.putIfAbsent(incoming.key().parent(),
                                new String[] { f.catalog(), f.database(), f.origin().runId() });
                    }
                }
                if (dirty.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                List<Written<FunctionRow>> w = new ArrayList<>(dirty.values());
                Tuple t = Tuple.tuple()
                        .addArrayOfString(strings(w, x -> x.row().key().workspace()))
                        .addArrayOfString(strings(w, x -> x.row().key().catalog()))
                        .addArrayOfString(strings(w, x -> x.row().key().database()))
                        .addArrayOfString(strings(w, x -> x.row().key().name()))
                        .addArrayOfString(strings(w, x -> x.row().catalogName()))
                        .addArrayOfString(strings(w, x -> x.row().databaseName()))
                        .addArrayOfString(strings(w, x -> x.row().functionName()))
                        .addArrayOfString(strings(w, x -> x.row().className()))
                        .addArrayOfString(strings(w, x -> x.row().owner()))
                        .addArrayOfString(strings(w, x -> x.row().functionType()))
                        .addArrayOfString(strings(w, x -> CatalogJson.write(x.row().resources())))
                        .addArrayOfString(strings(w, Written::runId));
                return ensureDatabases(databases).chain(() -> sql.preparedQuery(WRITE_FUNCTIONS).execute(t).replaceWithVoid());
            });
        }

        // ---- partitions ------------------------------------------------------------------------------

        Uni<Void> partitions(List<CatalogChange.Partitions> changes) {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (CatalogChange.Partitions p : changes) {
                chain = chain.chain(() -> partitions(p));
            }
            return chain;
        }

        private Uni<Void> partitions(CatalogChange.Partitions p) {
            List<Partition> parts = p.partitions();
            Counts c = counts.of(run(p.origin()), CatalogCounts.PARTITIONS);
            if (parts.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Key key = Key.of(p.origin().workspace(), p.catalog(), p.database(), p.table());
            Tuple t = Tuple.tuple().addString(key.workspace()).addString(key.catalog()).addString(key.database())
                    .addString(key.name())
                    .addArrayOfString(strings(parts, x -> CatalogJson.write(x.values())))
                    .addArrayOfString(strings(parts, Partition::location))
                    .addArrayOfString(strings(parts, x -> CatalogJson.write(x.parameters())))
                    .addArrayOfLong(parts.stream().map(x -> x.statistics().files()).toArray(Long[]::new))
                    .addArrayOfLong(parts.stream().map(x -> x.statistics().bytes()).toArray(Long[]::new))
                    .addArrayOfLong(parts.stream().map(x -> x.statistics().rows()).toArray(Long[]::new))
                    .addString(p.origin().runId()).addString(p.conflict().name());
            return sql.preparedQuery(WRITE_PARTITIONS).execute(t).invoke(rows -> {
                Row r = rows.iterator().next();
                long total = parts.size();
                long valid = r.getLong("valid");
                long existed = r.getLong("existed");
                long written = r.getLong("written");
                CatalogCounts.countWrite(c, p.conflict(), total, valid, existed, written, 0);
            }).replaceWithVoid();
        }

        // ---- platform records ------------------------------------------------------------------------

        Uni<Void> platform(List<CatalogEvent> events) {
            List<CatalogEvent> platform = events.stream().filter(e -> e.change() instanceof CatalogChange.PlatformRecords
                    || e.change() instanceof CatalogChange.PlatformCommitted).toList();
            if (platform.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            // Replaces of a source's kind are serialised across consumers (records and commits may come on
            // different partitions): locks taken in one order, before anything of them is touched.
            TreeSet<List<String>> kinds = new TreeSet<>(java.util.Comparator.comparing((List<String> l) -> String.join("\n", l)));
            TreeSet<List<String>> generations = new TreeSet<>(java.util.Comparator.comparing((List<String> l) -> String.join("\n", l)));
            for (CatalogEvent e : platform) {
                if (e.change() instanceof CatalogChange.PlatformRecords r && r.generation() != null) {
                    kinds.add(List.of(r.origin().workspace(), r.kind(), r.source()));
                    generations.add(List.of(r.origin().workspace(), r.kind(), r.source(), r.generation()));
                } else if (e.change() instanceof CatalogChange.PlatformCommitted c) {
                    kinds.add(List.of(c.origin().workspace(), c.kind(), c.source()));
                    generations.add(List.of(c.origin().workspace(), c.kind(), c.source(), c.generation()));
                }
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (List<String> k : kinds) {
                chain = chain.chain(() -> sql.preparedQuery(LOCK_KIND).execute(Tuple.of(k.get(0), k.get(1), k.get(2)))
                        .replaceWithVoid());
            }
            for (CatalogEvent e : platform) {
                chain = chain.chain(() -> e.change() instanceof CatalogChange.PlatformRecords r ? records(r)
                        : commit((CatalogChange.PlatformCommitted) e.change()));
            }
            for (List<String> g : generations) {
                chain = chain.chain(() -> trySwap(g.get(0), g.get(1), g.get(2), g.get(3)));
            }
            return chain;
        }

        private Uni<Void> records(CatalogChange.PlatformRecords r) {
            List<PlatformRecord> records = r.records();
            if (records.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            String[] ids = strings(records, PlatformRecord::id);
            String[] json = strings(records, PlatformRecord::json);
            String ws = r.origin().workspace();
            if (r.generation() != null) {
                return sql.preparedQuery(STAGE_RECORDS)
                        .execute(Tuple.of(ws, r.kind(), r.source(), r.generation()).addArrayOfString(ids).addArrayOfString(json))
                        .replaceWithVoid();
            }
            Counts c = counts.of(run(r.origin()), CatalogCounts.PLATFORM_RECORDS);
            return sql.preparedQuery(UPSERT_RECORDS)
                    .execute(Tuple.of(ws, r.kind(), r.source()).addArrayOfString(ids).addArrayOfString(json)
                            .addString(r.origin().runId()))
                    .invoke(rows -> {
                        Row row = rows.iterator().next();
                        CatalogCounts.countWrite(c, CatalogChange.Conflict.UPSERT, row.getLong("total"), row.getLong("total"),
                                row.getLong("existed"), row.getLong("written"), 0);
                    }).replaceWithVoid();
        }

        private Uni<Void> commit(CatalogChange.PlatformCommitted c) {
            CatalogChange.Origin o = c.origin();
            Tuple t = Tuple.of(o.workspace(), c.kind(), c.source(), c.generation(), c.expectedRecords(), o.runId())
                    .addInteger(o.attempt())
                    .addOffsetDateTime(o.observedAt() == null ? null : o.observedAt().atOffset(java.time.ZoneOffset.UTC));
            return sql.preparedQuery(COMMIT_GENERATION).execute(t).replaceWithVoid();
        }

        /** Swaps the generation in when its commit and all its records are in; a replace overtaken by a later one is dropped. */
        private Uni<Void> trySwap(String ws, String kind, String source, String generation) {
            Tuple key = Tuple.of(ws, kind, source, generation);
            return sql.preparedQuery(GENERATION_STATE).execute(key).chain(rows -> {
                if (rows.size() == 0) {
                    return Uni.createFrom().voidItem();
                }
                Row g = rows.iterator().next();
                if (g.getBoolean("swapped") || g.getLong("staged") < g.getLong("expected_records")) {
                    return Uni.createFrom().voidItem();
                }
                CatalogEvent.RunKey run = new CatalogEvent.RunKey(ws, g.getString("run_id"), g.getInteger("attempt"));
                boolean outdated = g.getBoolean("outdated");
                Uni<Void> swap = outdated ? Uni.createFrom().voidItem()
                        : sql.preparedQuery(SWAP_GENERATION).execute(Tuple.of(ws, kind, source, generation, run.runId()))
                                .invoke(result -> {
                                    Row r = result.iterator().next();
                                    CatalogCounts.countWrite(counts.of(run, CatalogCounts.PLATFORM_RECORDS), CatalogChange.Conflict.UPSERT,
                                            r.getLong("total"), r.getLong("total"), r.getLong("existed"), r.getLong("written"),
                                            r.getLong("removed"));
                                }).replaceWithVoid();
                return swap.chain(() -> sql.preparedQuery(DROP_STAGED).execute(key))
                        .chain(() -> sql.preparedQuery(MARK_SWAPPED).execute(Tuple.of(ws, kind, source, generation, outdated)))
                        .invoke(() -> counts.applied(run, EventTypes.CATALOG_PLATFORM_COMMITTED))
                        .replaceWithVoid();
            });
        }

        // ---- runs ------------------------------------------------------------------------------------

        Uni<Void> completions(List<CatalogChange.RunCompleted> changes) {
            if (changes.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Map<CatalogEvent.RunKey, Map<String, Long>> byRun = new TreeMap<>();
            changes.forEach(c -> byRun.put(run(c.origin()), new TreeMap<>(c.emitted())));
            List<Map.Entry<CatalogEvent.RunKey, Map<String, Long>>> e = new ArrayList<>(byRun.entrySet());
            Tuple t = Tuple.tuple()
                    .addArrayOfString(strings(e, x -> x.getKey().workspace()))
                    .addArrayOfString(strings(e, x -> x.getKey().runId()))
                    .addArrayOfInteger(e.stream().map(x -> x.getKey().attempt()).toArray(Integer[]::new))
                    .addArrayOfString(strings(e, x -> CatalogJson.write(x.getValue())));
            return sql.preparedQuery(WRITE_COMPLETIONS).execute(t).replaceWithVoid();
        }

        Uni<Void> report() {
            List<Object[]> kinds = new ArrayList<>();
            counts.kinds().forEach((run, byKind) -> byKind.forEach((kind, c) -> {
                if (!c.isEmpty()) {
                    kinds.add(new Object[] { run, kind, c });
                }
            }));
            List<Object[]> events = new ArrayList<>();
            counts.events().forEach((run, byType) -> byType.forEach((type, n) -> events.add(new Object[] { run, type, n })));
            Uni<Void> chain = Uni.createFrom().voidItem();
            if (!kinds.isEmpty()) {
                Tuple t = Tuple.tuple()
                        .addArrayOfString(strings(kinds, x -> ((CatalogEvent.RunKey) x[0]).workspace()))
                        .addArrayOfString(strings(kinds, x -> ((CatalogEvent.RunKey) x[0]).runId()))
                        .addArrayOfInteger(kinds.stream().map(x -> ((CatalogEvent.RunKey) x[0]).attempt()).toArray(Integer[]::new))
                        .addArrayOfString(strings(kinds, x -> (String) x[1]))
                        .addArrayOfLong(kinds.stream().map(x -> ((Counts) x[2]).added).toArray(Long[]::new))
                        .addArrayOfLong(kinds.stream().map(x -> ((Counts) x[2]).changed).toArray(Long[]::new))
                        .addArrayOfLong(kinds.stream().map(x -> ((Counts) x[2]).unchanged).toArray(Long[]::new))
                        .addArrayOfLong(kinds.stream().map(x -> ((Counts) x[2]).skipped).toArray(Long[]::new))
                        .addArrayOfLong(kinds.stream().map(x -> ((Counts) x[2]).removed).toArray(Long[]::new));
                chain = chain.chain(() -> sql.preparedQuery(WRITE_REPORT).execute(t).replaceWithVoid());
            }
            if (!events.isEmpty()) {
                Tuple t = Tuple.tuple()
                        .addArrayOfString(strings(events, x -> ((CatalogEvent.RunKey) x[0]).workspace()))
                        .addArrayOfString(strings(events, x -> ((CatalogEvent.RunKey) x[0]).runId()))
                        .addArrayOfInteger(events.stream().map(x -> ((CatalogEvent.RunKey) x[0]).attempt()).toArray(Integer[]::new))
                        .addArrayOfString(strings(events, x -> (String) x[1]))
                        .addArrayOfLong(events.stream().map(x -> (Long) x[2]).toArray(Long[]::new));
                chain = chain.chain(() -> sql.preparedQuery(WRITE_EVENT_COUNTS).execute(t).replaceWithVoid());
            }
            return chain;
        }

        private static CatalogEvent.RunKey run(CatalogChange.Origin o) {
            return new CatalogEvent.RunKey(o.workspace(), o.runId(), o.attempt());
        }
    }

    /** A row to write, and the run that wrote it last. */
    private record Written<R>(R row, String runId) {
    }

    private static <T> String[] strings(List<T> rows, Function<T, String> field) {
        return rows.stream().map(field).toArray(String[]::new);
    }
}
