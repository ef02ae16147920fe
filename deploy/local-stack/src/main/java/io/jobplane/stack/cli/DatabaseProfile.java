package io.jobplane.stack.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the platform database's time goes during a bench, from the server's own instruments (the
 * local stack's server preloads them): the statements of the measured phase from
 * {@code pg_stat_statements} (calls and time per run, planning included), and the plans of statements
 * slower than a threshold from {@code auto_explain}, logged while the queries are timed. Both are
 * skipped, with a line saying so, on a server without them.
 */
final class DatabaseProfile {

    private static final Pattern SLOW = Pattern.compile("duration: ([0-9.]+) ms\\s+plan:");
    private static final Pattern QUERY_TEXT = Pattern.compile("Query Text: (.*)");

    private DatabaseProfile() {
    }

    /** Starts counting statements from zero; false when the server keeps no statement statistics. */
    static boolean resetStatements(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("create extension if not exists pg_stat_statements");
            st.execute("select pg_stat_statements_reset()");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The statements that took the most time since {@link #resetStatements}, per run. */
    static List<String> statementsPerRun(Connection c, int runs, int top) throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%9s %9s %9s %9s  %s", "calls/run", "ms/run", "plans", "rows/call", "statement"));
        String sql = """
                select calls, plans, total_plan_time + total_exec_time as ms, rows, query from pg_stat_statements
                 where dbid = (select oid from pg_database where datname = current_database()) and calls > 0
                   and query not like '%pg_stat_statements%'
                 order by total_plan_time + total_exec_time desc limit""" + " " + top;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                long calls = rs.getLong("calls");
                lines.add(String.format(Locale.ROOT, "%9.3f %9.3f %9d %9.1f  %s", calls / (double) runs,
                        rs.getDouble("ms") / runs, rs.getLong("plans"), rs.getLong("rows") / (double) calls,
                        head(rs.getString("query"), 90)));
            }
        }
        return lines;
    }

    /** Logs the plan of every statement slower than {@code thresholdMs} from now on; false when unavailable. */
    static boolean logSlowPlans(Connection c, int thresholdMs) {
        try (Statement st = c.createStatement()) {
            st.execute("alter system set auto_explain.log_min_duration = '" + thresholdMs + "ms'");
            st.execute("select pg_reload_conf()");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Stops logging slow plans. */
    static void stopSlowPlans(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("alter system reset auto_explain.log_min_duration");
            st.execute("select pg_reload_conf()");
        }
    }

    /** The size of the server's log now: where the slow plans of what follows begin. */
    static long logSize(Path log) {
        try {
            return log == null ? -1 : Files.size(log);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The slow statements logged since {@code from}, grouped by their text: how many, the slowest, and
     * one line each.
     */
    static List<String> slowPlansSince(Path log, long from) throws IOException {
        Map<String, double[]> byQuery = new LinkedHashMap<>();
        if (log == null || from < 0) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(Math.min(from, file.length()));
            byte[] rest = new byte[(int) Math.min(file.length() - file.getFilePointer(), 64L << 20)];
            file.readFully(rest);
            Double pending = null;
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                Matcher slow = SLOW.matcher(line);
                if (slow.find()) {
                    pending = Double.parseDouble(slow.group(1));
                    continue;
                }
                Matcher text = QUERY_TEXT.matcher(line);
                if (pending != null && text.find()) {
                    double[] seen = byQuery.computeIfAbsent(head(text.group(1), 90), k -> new double[2]);
                    seen[0]++;
                    seen[1] = Math.max(seen[1], pending);
                    pending = null;
                }
            }
        }
        List<String> lines = new ArrayList<>();
        byQuery.forEach((query, seen) -> lines.add(String.format(Locale.ROOT, "%6d × up to %7.2f ms  %s",
                (long) seen[0], seen[1], query)));
        return lines;
    }

    private static String head(String sql, int max) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }
}
