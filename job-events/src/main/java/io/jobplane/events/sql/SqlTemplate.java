package io.jobplane.events.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's SQL (PostgreSQL's or MySQL's, see {@link Dialect}) with templated values: {@code {{execution_date}}} (the run's execution date, a
 * {@code timestamptz}), {@code {{FD_DATE}}} and {@code {{FD_TIME}}} (that date as {@code yyyyMMdd}
 * and {@code HHmmss}, UTC) and the launch's {@code parameters} by name. Every value is bound as a
 * statement parameter, never written into the SQL text, so no value can change what the statement
 * does. A placeholder inside a quoted literal, a quoted identifier or a dollar-quoted body cannot be
 * a parameter and is refused (write {@code 'stores-' || {{FD_DATE}}} instead); one inside a comment
 * is left alone. SQL without placeholders runs exactly as written.
 */
public final class SqlTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)?\\$");
    private static final DateTimeFormatter FD_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter FD_TIME = DateTimeFormatter.ofPattern("HHmmss");

    /** The values every run supplies; launch parameters add to them. */
    public static final Set<String> BUILT_INS = Set.of("execution_date", "FD_DATE", "FD_TIME");

    /**
     * Whose SQL a task is written in, which decides what a quote or a comment is: PostgreSQL
     * ({@code "identifiers"}, {@code E'…'} and dollar quotes, nested comments) or MySQL
     * ({@code `identifiers`}, {@code "strings"} and backslash escapes, {@code #} comments).
     */
    public enum Dialect {
        POSTGRESQL, MYSQL;

        /** The dialect of a connection type ({@code postgresql}, {@code mysql}); PostgreSQL for anything else. */
        public static Dialect of(String connectionType) {
            return "mysql".equalsIgnoreCase(connectionType) ? MYSQL : POSTGRESQL;
        }
    }

    private final String sql;
    /** The statement for the JDBC driver, placeholders as {@code ?}; null when there are none. */
    private final String jdbcSql;
    private final List<String> names;
    private final Dialect dialect;

    private SqlTemplate(String sql, String jdbcSql, List<String> names, Dialect dialect) {
        this.sql = sql;
        this.jdbcSql = jdbcSql;
        this.names = names;
        this.dialect = dialect;
    }

    /** Reads the task's PostgreSQL; a placeholder where no parameter can go is an error. */
    public static SqlTemplate parse(String sql) {
        return parse(sql, Dialect.POSTGRESQL);
    }

    /** Reads the task's SQL in the given dialect; a placeholder where no parameter can go is an error. */
    public static SqlTemplate parse(String sql, Dialect dialect) {
        boolean mysql = dialect == Dialect.MYSQL;
        StringBuilder out = new StringBuilder(sql.length() + 16);
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '{' && sql.startsWith("{{", i)) {
                Matcher m = PLACEHOLDER.matcher(sql).region(i, n);
                if (!m.lookingAt()) {
                    throw new TemplateException("'{{' at offset " + i + " does not start a placeholder such as {{FD_DATE}}");
                }
                names.add(m.group(1));
                out.append('?');
                i = m.end();
                continue;
            } else if (c == '?' && !mysql) {
                // A literal '?' (e.g. the jsonb operator) must not read as a parameter: pgjdbc's escape is '??'.
                out.append("??");
                i++;
                continue;
            } else if (c == '\'') {
                boolean escapes = mysql || i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)));
                end = endOfQuoted(sql, i, '\'', escapes);
                refusePlaceholders(sql, i, end, "a quoted literal");
            } else if (c == '"') {
                end = endOfQuoted(sql, i, '"', mysql);
                refusePlaceholders(sql, i, end, mysql ? "a quoted literal" : "a quoted identifier");
            } else if (c == '`' && mysql) {
                end = endOfQuoted(sql, i, '`', false);
                refusePlaceholders(sql, i, end, "a quoted identifier");
            } else if (c == '-' && sql.startsWith("--", i)
                    && (!mysql || i + 2 >= n || Character.isWhitespace(sql.charAt(i + 2)))
                    || c == '#' && mysql) {
                int newline = sql.indexOf('\n', i);
                end = newline < 0 ? n : newline;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                end = endOfBlockComment(sql, i);
            } else if (c == '$' && !mysql && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)) && sql.charAt(i - 1) != '_')) {
                Matcher tag = DOLLAR_TAG.matcher(sql).region(i, n);
                if (!tag.lookingAt()) {
                    out.append(c);
                    i++;
                    continue;
                }
                int close = sql.indexOf(tag.group(), tag.end());
                end = close < 0 ? n : close + tag.group().length();
                refusePlaceholders(sql, i, end, "a dollar-quoted body");
            } else {
                out.append(c);
                i++;
                continue;
            }
            out.append(sql, i, end);
            i = end;
        }
        return names.isEmpty() ? new SqlTemplate(sql, null, List.of(), dialect)
                : new SqlTemplate(sql, out.toString(), List.copyOf(names), dialect);
    }

    /** The statement as the JDBC driver gets it (placeholders as {@code ?}); null when there are none. */
    public String jdbcSql() {
        return jdbcSql;
    }

    /** The placeholders' names, in the order they appear (repeats included). */
    public List<String> names() {
        return names;
    }

    /**
     * The values placeholders may name: the built-ins, then the launch's parameters (which cannot
     * shadow a built-in).
     */
    public static Map<String, Object> values(Instant executionDate, Map<String, String> parameters) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (parameters != null) {
            values.putAll(parameters);
        }
        OffsetDateTime at = (executionDate == null ? Instant.now() : executionDate).atOffset(ZoneOffset.UTC);
        values.put("execution_date", at);
        values.put("FD_DATE", FD_DATE.format(at));
        values.put("FD_TIME", FD_TIME.format(at));
        return values;
    }

    /** Fails when a placeholder names no known value; the message lists the known ones. */
    public void requireValues(Map<String, Object> values) {
        for (String name : names) {
            if (!values.containsKey(name)) {
                throw new TemplateException("{{" + name + "}} names no value; known: " + new TreeSet<>(values.keySet())
                        + " (launch the run with \"parameters\": {\"" + name + "\": \"…\"} to give it one)");
            }
        }
    }

    /**
     * A statement ready to execute: plain when the SQL has no placeholders, else prepared with
     * every value bound ({@link #requireValues} first).
     */
    public Statement statement(Connection connection, Map<String, Object> values) throws SQLException {
        if (jdbcSql == null) {
            return connection.createStatement();
        }
        PreparedStatement prepared = connection.prepareStatement(jdbcSql);
        try {
            for (int p = 0; p < names.size(); p++) {
                Object value = values.get(names.get(p));
                if (value instanceof OffsetDateTime time && dialect == Dialect.MYSQL) {
                    // MySQL's DATETIME has no zone: the run's execution date goes in as UTC.
                    prepared.setObject(p + 1, time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
                } else if (value instanceof OffsetDateTime time) {
                    prepared.setObject(p + 1, time);
                } else if (dialect == Dialect.MYSQL) {
                    prepared.setString(p + 1, value == null ? null : value.toString());
                } else {
                    // Untyped: the database infers the type from where the value stands ('20261123' as a date, say).
                    prepared.setObject(p + 1, value == null ? null : value.toString(), Types.OTHER);
                }
            }
            return prepared;
        } catch (SQLException | RuntimeException e) {
            prepared.close();
            throw e;
        }
    }

    /** Executes a statement {@link #statement} made; true when it returned rows, as {@link Statement#execute(String)}. */
    public boolean execute(Statement statement) throws SQLException {
        return jdbcSql == null ? statement.execute(sql) : ((PreparedStatement) statement).execute();
    }

    private static int endOfQuoted(String sql, int start, char quote, boolean backslashEscapes) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static int endOfBlockComment(String sql, int start) {
        int depth = 0;
        int i = start;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static void refusePlaceholders(String sql, int start, int end, String where) {
        Matcher m = PLACEHOLDER.matcher(sql).region(start, end);
        if (m.find()) {
            throw new TemplateException("{{" + m.group(1) + "}} stands inside " + where + " (offset " + start
                    + "); templated values are bound as parameters, which cannot go there: write it outside the quotes,"
                    + " e.g. 'stores-' || {{" + m.group(1) + "}}");
        }
    }

    /** The task's SQL cannot be run as templated; the message says why and how to fix it. */
    public static final class TemplateException extends IllegalArgumentException {
        public TemplateException(String message) {
            super(message);
        }
    }
}
