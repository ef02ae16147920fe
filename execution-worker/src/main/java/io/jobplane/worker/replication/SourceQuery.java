package io.jobplane.worker.replication;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import io.jobplane.events.sql.ReplicateStatement;
import io.jobplane.events.sql.ReplicateStatement.TableName;
import io.jobplane.worker.replication.Columns.Column;
import io.jobplane.worker.replication.TableReplication.Refused;
import io.jobplane.worker.replication.TableReplication.Relation;

/**
 * What a {@code REPLICATE} task reads from its PostgreSQL source: the query ({@code select *} of
 * the named table, or the task's own query) and the columns it returns, with NOT NULL and the
 * primary key. A query's columns take NOT NULL and the key from the table it reads (its first
 * {@code FROM}) where it keeps their names. Shared by every job type whose tasks read a source
 * this way (replication, reverse ETL).
 */
public final class SourceQuery {

    private static final String VIEW = "jobplane_replicate_source";

    final String select;
    final Columns columns;

    private SourceQuery(String select, Columns columns) {
        this.select = select;
        this.columns = columns;
    }

    /** Reads the source's catalog for the statement; {@link Refused} when the table or query is not there or not valid. */
    public static SourceQuery describe(Connection source, ReplicateStatement statement) throws SQLException, Refused {
        if (!statement.isQueryForm()) {
            Relation table = TableReplication.resolve(source, statement.source(), "r', 'p', 'v', 'm', 'f");
            if (table == null) {
                throw new Refused("source table " + statement.source() + " does not exist (or is not visible to the source user)");
            }
            return new SourceQuery("select * from " + TableReplication.quote(table.schema()) + "." + TableReplication.quote(table.name()),
                    Columns.of(source, table.oid()));
        }
        TableReplication.execute(source, "drop view if exists pg_temp." + VIEW);
        try {
            TableReplication.execute(source, "create temporary view " + VIEW + " as " + statement.select());
        } catch (SQLException e) {
            throw new Refused("the task's query is not valid on the source: " + e.getMessage());
        }
        Columns shape;
        try (Statement st = source.createStatement();
                ResultSet rs = st.executeQuery("select 'pg_temp." + VIEW + "'::regclass::oid")) {
            rs.next();
            shape = Columns.of(source, rs.getLong(1));
        } finally {
            TableReplication.execute(source, "drop view if exists pg_temp." + VIEW);
        }
        return new SourceQuery(statement.select(), withBaseTableHints(source, shape, statement.source()));
    }

    /** The query that returns the rows. */
    public String select() {
        return select;
    }

    /** The names of the columns it returns, in order. */
    public List<String> columnNames() {
        return columns.names();
    }

    /** The primary key among them, in key order; empty when there is none. */
    public List<String> primaryKey() {
        return columns.primaryKey();
    }

    /**
     * A query's columns carry no NOT NULL or key; those of the table it reads from apply where the
     * query keeps their names (all key columns for the key).
     */
    private static Columns withBaseTableHints(Connection source, Columns shape, TableName from) throws SQLException {
        Relation base = from == null ? null : TableReplication.resolve(source, from, "r', 'p");
        if (base == null) {
            return shape;
        }
        Columns table = Columns.of(source, base.oid());
        Map<String, Column> known = table.byName();
        List<Column> columns = shape.columns().stream().map(c -> {
            Column b = known.get(c.name());
            return new Column(c.name(), c.type(), b != null && b.notNull() && b.type().equals(c.type()));
        }).toList();
        List<String> names = shape.names();
        List<String> key = !table.primaryKey().isEmpty() && names.containsAll(table.primaryKey()) ? table.primaryKey() : List.of();
        return new Columns(columns, key);
    }
}
