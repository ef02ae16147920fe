package io.jobplane.worker.replication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What PostgreSQL's catalog says about a relation: its columns in order, each with the type as
 * DDL writes it ({@code format_type}; enums as {@code text} and domains as their base type, since
 * neither exists at the destination), whether it is NOT NULL, and the primary key.
 */
public record Columns(List<Column> columns, List<String> primaryKey) {

    public record Column(String name, String type, boolean notNull) {
    }

    private static final String COLUMNS_SQL = """
            select a.attname,
                   case when t.typtype = 'e' then 'text'
                        when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod)
                        else format_type(a.atttypid, a.atttypmod) end,
                   a.attnotnull
              from pg_attribute a join pg_type t on t.oid = a.atttypid
             where a.attrelid = ? and a.attnum > 0 and not a.attisdropped
             order by a.attnum""";
    private static final String PRIMARY_KEY_SQL = """
            select a.attname
              from pg_index i
              cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
              join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
             where i.indrelid = ? and i.indisprimary
             order by k.ord""";

    public static Columns of(Connection connection, long relationId) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(COLUMNS_SQL)) {
            st.setLong(1, relationId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        List<String> key = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(PRIMARY_KEY_SQL)) {
            st.setLong(1, relationId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return new Columns(columns, key);
    }

    public Map<String, Column> byName() {
        Map<String, Column> map = new LinkedHashMap<>();
        columns.forEach(c -> map.put(c.name(), c));
        return map;
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }
}
