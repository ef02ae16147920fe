package io.jobplane.worker.replication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import io.jobplane.worker.executor.TaskListener;
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.sql.ReplicateStatement;
import io.jobplane.events.sql.ReplicateStatement.TableName;
import io.jobplane.worker.replication.Columns.Column;

/**
 * Replicates one table (or query) from a PostgreSQL source to a PostgreSQL destination, streaming
 * rows with {@code COPY … TO STDOUT} piped into {@code COPY … FROM STDIN}.
 * <ul>
 * <li>The destination table is made from the source's metadata (types, NOT NULL, primary key) when
 * it does not exist, after {@code drop_table}; {@code truncate_table_data} empties it first;
 * {@code alter_schema} adds missing columns and widens narrower ones (without it a missing column
 * fails the task, saying so).</li>
 * <li>An empty destination is filled by COPY straight into it. Otherwise, with a primary key, rows
 * are staged and merged: new rows inserted, changed rows updated, identical rows left untouched (a
 * re-run changes nothing), and rows gone from the source deleted, marked
 * {@code jobplane_deleted} or kept per {@code deletion_behavior}; without a primary key the
 * table's content is replaced.</li>
 * <li>With a check column, only rows at or past the destination's highest value (from
 * {@code replicate_start_date} the first time) are read, in slices of {@code replicate_interval}
 * units each committed on its own; deletions are not detected this way.</li>
 * </ul>
 * Work done for one table (or one slice) commits together or not at all.
 */
public final class TableReplication {

    /** Column a {@code SOFT_DELETE} destination carries: true for rows the source no longer has. */
    public static final String DELETED_COLUMN = "jobplane_deleted";
    private static final long PROGRESS_NANOS = 1_000_000_000L;


    /** The run was cancelled while rows were moving. */
    public static final class Cancelled extends Exception {
        Cancelled() {
            super("cancelled while copying rows", null, false, false);
        }
    }

    /** The task cannot be carried out as written or configured; the message says what to change. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final Connection source;
    private final Connection destination;
    private final ReplicationSpec spec;
    private final TaskListener listener;
    private long rows;
    private long bytes;
    private long lastReport = System.nanoTime();

    public TableReplication(Connection source, Connection destination, ReplicationSpec spec, TaskListener listener) {
        this.source = source;
        this.destination = destination;
        this.spec = spec;
        this.listener = listener;
    }

    /** Rows and bytes read from the source so far. */
    public long rows() {
        return rows;
    }

    public long bytes() {
        return bytes;
    }

    /** Replicates what the statement names; returns the destination rows written, changed or deleted. */
    public long replicate(ReplicateStatement statement) throws SQLException, Refused, Cancelled {
        if (spec.useGmtDatetime()) {
            execute(source, "set time zone 'UTC'");
            execute(destination, "set time zone 'UTC'");
        }
        SourceQuery src = describeSource(statement);
        String check = statement.checkColumn() == null ? null : checkColumn(src.columns, statement.checkColumn());

        destination.setAutoCommit(false);
        try {
            TableName target = targetOf(statement);
            String table = quote(target.schema()) + "." + quote(target.name());
            boolean empty = prepareDestination(target, table, src.columns);
            long written = check == null ? full(src, table, empty) : incremental(src, table, check, empty);
            destination.commit();
            listener.progress(rows, bytes);
            return written;
        } catch (SQLException | Refused | Cancelled | RuntimeException e) {
            destination.rollback();
            throw e;
        } finally {
            destination.setAutoCommit(true);
        }
    }

    // ---- source --------------------------------------------------------------------------

    private SourceQuery describeSource(ReplicateStatement statement) throws SQLException, Refused {
        return SourceQuery.describe(source, statement);
    }

    private static String checkColumn(Columns columns, String wanted) throws Refused {
        Column found = columns.byName().get(wanted);
        if (found == null) {
            List<Column> folded = columns.columns().stream().filter(c -> c.name().equalsIgnoreCase(wanted)).toList();
            found = folded.size() == 1 ? folded.get(0) : null;
        }
        if (found == null) {
            throw new Refused("CheckColumn '" + wanted + "' is not a column of the source; its columns are " + columns.names());
        }
        if (!PgTypes.isTemporal(found.type()) && !PgTypes.isNumber(found.type())) {
            throw new Refused("CheckColumn '" + found.name() + "' is " + found.type()
                    + "; incremental replication needs a date, timestamp or number column that grows with each change");
        }
        return found.name();
    }

    // ---- destination ---------------------------------------------------------------------

    private TableName targetOf(ReplicateStatement statement) throws SQLException {
        return destinationTable(destination, spec, statement.target());
    }

    /**
     * Where a task's table goes: {@code destination_schema}, else the task's schema, else the
     * destination session's current schema; {@code table_name_prefix} before its name.
     */
    public static TableName destinationTable(Connection destination, ReplicationSpec spec, TableName target) throws SQLException {
        String schema = spec.destinationSchema() != null ? spec.destinationSchema()
                : target.schema() != null ? target.schema() : currentSchema(destination);
        String prefix = spec.tableNamePrefix() == null ? "" : spec.tableNamePrefix();
        return new TableName(schema, prefix + target.name());
    }

    /** Creates the schema unless it exists. */
    public static void ensureSchema(Connection destination, String schema) throws SQLException {
        if (!exists(destination, "select 1 from pg_namespace where nspname = ?", schema)) {
            execute(destination, "create schema if not exists " + quote(schema));
        }
    }

    /** Makes the destination table ready; true when it is empty now. */
    private boolean prepareDestination(TableName target, String table, Columns src) throws SQLException, Refused {
        ensureSchema(destination, target.schema());
        Relation existing = resolveExact(destination, target);
        if (existing != null && spec.dropTable()) {
            execute(destination, "drop table " + table);
            listener.log("dropped " + target + " (drop_table)");
            existing = null;
        }
        boolean softDelete = softDelete(src);
        if (existing == null) {
            execute(destination, createTable(table, src, softDelete));
            listener.log("created " + target + " from the source's metadata (" + src.columns().size() + " columns"
                    + (src.primaryKey().isEmpty() ? ", no primary key" : ", primary key " + src.primaryKey()) + ")");
            return true;
        }
        reconcile(target, table, Columns.of(destination, existing.oid), src, softDelete);
        if (spec.truncateTableData()) {
            execute(destination, "truncate table " + table);
            listener.log("emptied " + target + " (truncate_table_data)");
            return true;
        }
        return !exists(destination, "select 1 from " + table + " limit 1", null);
    }

    private boolean softDelete(Columns src) {
        return "SOFT_DELETE".equals(spec.deletionBehavior()) && !src.primaryKey().isEmpty();
    }

    private static String createTable(String table, Columns src, boolean softDelete) {
        StringBuilder ddl = new StringBuilder("create table ").append(table).append(" (");
        String columns = src.columns().stream()
                .map(c -> quote(c.name()) + " " + c.type() + (c.notNull() ? " not null" : ""))
                .collect(Collectors.joining(", "));
        ddl.append(columns);
        if (softDelete) {
            ddl.append(", ").append(quote(DELETED_COLUMN)).append(" boolean not null default false");
        }
        if (!src.primaryKey().isEmpty()) {
            ddl.append(", primary key (").append(quoted(src.primaryKey())).append(")");
        }
        return ddl.append(")").toString();
    }

    /** Adds and widens columns ({@code alter_schema}), or says which ones are missing. */
    private void reconcile(TableName target, String table, Columns dest, Columns src, boolean softDelete)
            throws SQLException, Refused {
        Map<String, Column> have = dest.byName();
        List<String> missing = new ArrayList<>();
        for (Column c : src.columns()) {
            Column d = have.get(c.name());
            if (d == null) {
                missing.add(c.name());
                if (spec.alterSchema()) {
                    execute(destination, "alter table " + table + " add column " + quote(c.name()) + " " + c.type());
                    listener.log("added column " + c.name() + " " + c.type() + " to " + target + " (alter_schema)");
                }
            } else if (spec.alterSchema() && PgTypes.wider(c.type(), d.type())) {
                String type = PgTypes.widened(c.type(), d.type());
                execute(destination, "alter table " + table + " alter column " + quote(c.name()) + " type " + type
                        + " using " + quote(c.name()) + "::" + type);
                listener.log("widened " + target + "." + c.name() + " from " + d.type() + " to " + type + " (alter_schema)");
            }
        }
        if (!missing.isEmpty() && !spec.alterSchema()) {
            throw new Refused("destination table " + target + " lacks the source's column(s) " + missing
                    + "; set replication.alter_schema to true to add them, or drop_table to make the table again");
        }
        if (softDelete && !have.containsKey(DELETED_COLUMN)) {
            execute(destination, "alter table " + table + " add column " + quote(DELETED_COLUMN) + " boolean not null default false");
        }
    }

    // ---- loading -------------------------------------------------------------------------

    private long full(SourceQuery src, String table, boolean empty) throws SQLException, Refused, Cancelled {
        String select = selectFrom(src, table, null);
        if (empty) {
            return copy(select, table, src.columns.names());
        }
        List<String> key = keyOf(table);
        if (key.isEmpty()) {
            execute(destination, "truncate table " + table);
            listener.log("no primary key: the destination's rows are replaced");
            return copy(select, table, src.columns.names());
        }
        stage(table, src.columns.names());
        copy(select, "pg_temp.jobplane_stage", src.columns.names());
        long changed = merge(table, src.columns.names(), key);
        long deleted = deleteMissing(table, key);
        listener.log(changed + " rows inserted or changed, " + deleted + " rows " + deletedVerb()
                + ", " + (rows - changed) + " unchanged");
        return changed + deleted;
    }

    private long incremental(SourceQuery src, String table, String check, boolean empty) throws SQLException, Refused, Cancelled {
        Column column = src.columns.byName().get(check);
        String type = column.type();
        String high = empty ? null : single(destination, "select max(" + quote(check) + ")::text from " + table);
        List<String> key = keyOf(table);
        boolean hasKey = !key.isEmpty();
        // With a key the rows at the high-water mark are read again (merged, so unchanged ones stay
        // untouched): rows stamped with that same value after the last run are not missed.
        String first = high != null ? quote(check) + (hasKey ? " >= " : " > ") + literal(high, type)
                : spec.replicateStartDate() != null && PgTypes.isTemporal(type)
                        ? quote(check) + " >= " + literal(spec.replicateStartDate().toString(), type) : null;
        listener.log("incremental by " + check + (high != null ? " from " + high + " (highest replicated)"
                : spec.replicateStartDate() != null ? " from " + spec.replicateStartDate() + " (replicate_start_date)" : ", first run: all rows"));
        List<String> bounds = slices(src, check, type, high != null ? high
                : spec.replicateStartDate() != null ? spec.replicateStartDate().toString() : null);
        long written = 0;
        for (int i = 0; i <= bounds.size(); i++) {
            List<String> where = new ArrayList<>();
            if (i == 0 && first != null) {
                where.add(first);
            } else if (i > 0) {
                where.add(quote(check) + " >= " + literal(bounds.get(i - 1), type));
            }
            if (i < bounds.size()) {
                where.add(quote(check) + " < " + literal(bounds.get(i), type));
            }
            String select = selectFrom(src, table, where.isEmpty() ? null : String.join(" and ", where));
            long before = rows;
            long n;
            if (!hasKey) {
                n = copy(select, table, src.columns.names());
            } else {
                stage(table, src.columns.names());
                copy(select, "pg_temp.jobplane_stage", src.columns.names());
                n = merge(table, src.columns.names(), key);
                execute(destination, "drop table pg_temp.jobplane_stage");
            }
            written += n;
            if (!bounds.isEmpty()) {
                destination.commit();
                listener.log("slice " + (i == 0 ? "start" : bounds.get(i - 1)) + " … " + (i < bounds.size() ? bounds.get(i) : "end")
                        + ": " + (rows - before) + " rows read, " + n + " written");
            }
        }
        return written;
    }

    /**
     * Slice bounds for {@code replicate_interval}: from the start value in steps of the interval up to
     * now; the last slice is open-ended, so no row is missed. Empty without an interval.
     */
    private List<String> slices(SourceQuery src, String check, String type, String from) throws SQLException {
        if (spec.replicateInterval() == null || spec.replicateIntervalUnit() == null || !PgTypes.isTemporal(type)) {
            return List.of();
        }
        String start = from != null ? from
                : single(source, "select min(" + quote(check) + ")::text from (" + src.select + ") as jobplane_src");
        if (start == null) {
            return List.of();
        }
        String step = spec.replicateInterval() + " " + spec.replicateIntervalUnit().toLowerCase(Locale.ROOT);
        List<String> bounds = new ArrayList<>();
        try (PreparedStatement st = source.prepareStatement(
                "select g::" + type + "::text from generate_series(?::" + type + "::timestamptz + ?::interval, now(), ?::interval) as g")) {
            st.setString(1, start);
            st.setString(2, step);
            st.setString(3, step);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    bounds.add(rs.getString(1));
                }
            }
        }
        return bounds;
    }

    private List<String> keyOf(String table) throws SQLException {
        return Columns.of(destination, oidOf(table)).primaryKey();
    }

    /** The source rows as the destination takes them: strings cut to fit with auto_truncate_strings. */
    private String selectFrom(SourceQuery src, String table, String where) throws SQLException {
        Map<String, Column> dest = spec.autoTruncateStrings() ? Columns.of(destination, oidOf(table)).byName() : Map.of();
        String columns = src.columns.names().stream().map(name -> {
            Column d = dest.get(name);
            Integer limit = d == null ? null : PgTypes.lengthLimit(d.type());
            return limit == null ? quote(name) : "left(" + quote(name) + "::text, " + limit + ") as " + quote(name);
        }).collect(Collectors.joining(", "));
        return "select " + columns + " from (" + src.select + ") as jobplane_src" + (where == null ? "" : " where " + where);
    }

    private long oidOf(String table) throws SQLException {
        try (Statement st = destination.createStatement();
                ResultSet rs = st.executeQuery("select '" + table.replace("'", "''") + "'::regclass::oid")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void stage(String table, List<String> columns) throws SQLException {
        execute(destination, "drop table if exists pg_temp.jobplane_stage");
        execute(destination, "create temporary table jobplane_stage on commit drop as select " + quoted(columns)
                + " from " + table + " with no data");
    }

    /** Inserts new rows and updates changed ones; identical rows are not touched. */
    private long merge(String table, List<String> columns, List<String> key) throws SQLException {
        List<String> values = columns.stream().filter(c -> !key.contains(c)).toList();
        boolean soft = "SOFT_DELETE".equals(spec.deletionBehavior());
        StringBuilder sql = new StringBuilder("insert into ").append(table).append(" as d (").append(quoted(columns))
                .append(") select ").append(quoted(columns)).append(" from pg_temp.jobplane_stage on conflict (")
                .append(quoted(key)).append(") do ");
        if (values.isEmpty() && !soft) {
            sql.append("nothing");
        } else {
            List<String> sets = new ArrayList<>(values.stream().map(c -> quote(c) + " = excluded." + quote(c)).toList());
            String differs = values.isEmpty() ? "false"
                    : "row(" + values.stream().map(c -> "d." + quote(c)).collect(Collectors.joining(", ")) + ")::text is distinct from row("
                            + values.stream().map(c -> "excluded." + quote(c)).collect(Collectors.joining(", ")) + ")::text";
            if (soft) {
                sets.add(quote(DELETED_COLUMN) + " = false");
                differs = "(" + differs + ") or d." + quote(DELETED_COLUMN);
            }
            sql.append("update set ").append(String.join(", ", sets)).append(" where ").append(differs);
        }
        try (Statement st = destination.createStatement()) {
            return st.executeUpdate(sql.toString());
        }
    }

    private long deleteMissing(String table, List<String> key) throws SQLException {
        String missing = "not exists (select 1 from pg_temp.jobplane_stage s where "
                + key.stream().map(k -> "s." + quote(k) + " = d." + quote(k)).collect(Collectors.joining(" and ")) + ")";
        String sql = switch (spec.deletionBehavior() == null ? "HARD_DELETE" : spec.deletionBehavior()) {
            case "SKIP_DELETE" -> null;
            case "SOFT_DELETE" -> "update " + table + " as d set " + quote(DELETED_COLUMN) + " = true where not d."
                    + quote(DELETED_COLUMN) + " and " + missing;
            default -> "delete from " + table + " as d where " + missing;
        };
        if (sql == null) {
            return 0;
        }
        try (Statement st = destination.createStatement()) {
            return st.executeUpdate(sql);
        }
    }

    private String deletedVerb() {
        return switch (spec.deletionBehavior() == null ? "HARD_DELETE" : spec.deletionBehavior()) {
            case "SKIP_DELETE" -> "deleted (none: SKIP_DELETE)";
            case "SOFT_DELETE" -> "marked " + DELETED_COLUMN;
            default -> "deleted";
        };
    }

    /**
     * Streams the select's rows from the source into the destination table, {@code batch_size} rows
     * (at most 8 MiB) to a write; returns rows copied. Progress goes out about once a second.
     */
    private long copy(String select, String table, List<String> columns) throws SQLException, Cancelled {
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut("copy (" + select + ") to stdout");
        CopyIn in = null;
        try {
            in = destination.unwrap(PGConnection.class).getCopyAPI().copyIn("copy " + table + " (" + quoted(columns) + ") from stdin");
            CopyBatch batch = new CopyBatch(in, spec.batchSize());
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                rows++;
                bytes += row.length;
                if (batch.add(row) && System.nanoTime() - lastReport >= PROGRESS_NANOS) {
                    if (listener.cancelled()) {
                        throw new Cancelled();
                    }
                    listener.progress(rows, bytes);
                    lastReport = System.nanoTime();
                }
            }
            batch.flush();
            return in.endCopy();
        } catch (SQLException | Cancelled | RuntimeException e) {
            cancelQuietly(out, in);
            throw e;
        }
    }

    private static void cancelQuietly(CopyOut out, CopyIn in) {
        try {
            if (out.isActive()) {
                out.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the session is closed by the caller: a failed task's sessions are never reused
        }
        try {
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
        } catch (SQLException ignored) {
            // as above
        }
    }

    // ---- catalog helpers -----------------------------------------------------------------

    record Relation(long oid, String schema, String name) {
    }

    /** Finds a relation by name (exactly, else ignoring case when that is unambiguous) among the kinds given. */
    static Relation resolve(Connection c, TableName name, String kinds) throws SQLException {
        String sql = "select c.oid, n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind in ('" + kinds + "') and n.nspname = coalesce(?, current_schema()) and %s";
        Relation exact = one(c, sql.formatted("c.relname = ?"), name);
        if (exact != null) {
            return exact;
        }
        return one(c, sql.formatted("lower(c.relname) = lower(?)"), name);
    }

    private static Relation resolveExact(Connection c, TableName name) throws SQLException {
        return one(c, "select c.oid, n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind in ('r', 'p') and n.nspname = ? and c.relname = ?", name);
    }

    private static Relation one(Connection c, String sql, TableName name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, name.schema());
            st.setString(2, name.name());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Relation r = new Relation(rs.getLong(1), rs.getString(2), rs.getString(3));
                return rs.next() ? null : r;
            }
        }
    }

    static String currentSchema(Connection c) throws SQLException {
        return single(c, "select current_schema()");
    }

    private static boolean exists(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            if (parameter != null) {
                st.setString(1, parameter);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** A value read from a database, as a literal of the column's type (quotes doubled). */
    private static String literal(String value, String type) {
        return "'" + value.replace("'", "''") + "'::" + type;
    }

    /** The identifier in double quotes (inner quotes doubled). */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** The identifiers quoted, comma-separated. */
    public static String quoted(List<String> identifiers) {
        return identifiers.stream().map(TableReplication::quote).collect(Collectors.joining(", "));
    }
}
