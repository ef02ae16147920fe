package io.jobplane.stack.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.stack.StackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replicates a table of {@code --rows} rows PostgreSQL→PostgreSQL through the running stack (a
 * {@code STANDARD} job launched over the API, executed by a worker) and prints rows/s and MB/s
 * beside the raw ceiling measured in the same run on the same tables: {@code COPY … TO STDOUT}
 * piped into {@code COPY … FROM STDIN} by this process, into a table with the same primary key.
 */
@Command(name = "bench-replication", mixinStandardHelpOptions = true,
        description = "Benchmark PostgreSQL→PostgreSQL replication on the running local stack against the raw COPY ceiling.")
class BenchReplicationCommand implements Callable<Integer> {

    private static final String WS = "bench";
    private static final String SOURCE_DB = "bench_repl_source";
    private static final String DESTINATION_DB = "bench_repl_destination";
    private static final String TABLE = "items";
    private static final String CHECKSUM = "select count(*), coalesce(sum(hashtext(t::text)::bigint), 0) from " + TABLE + " t";

    @Option(names = "--rows", defaultValue = "1000000", description = "rows in the replicated table (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--rounds", defaultValue = "2", description = "ceiling/replication pairs measured, alternately; the best of each is compared (default ${DEFAULT-VALUE})")
    int rounds;

    private StackApi stack;

    @Override
    public Integer call() throws Exception {
        stack = new StackApi(WS);
        stack.requireReady();
        stack.tenantDatabase(SOURCE_DB);
        stack.tenantDatabase(DESTINATION_DB);
        long bytes = seed();
        System.out.printf("jobplane bench-replication: %,d rows (%.1f MB as COPY text), %d CPUs, API %s%n%n", rows,
                bytes / 1e6, Runtime.getRuntime().availableProcessors(), stack.url());

        String job = StackApi.created(stack.request("POST", stack.ws("/jobs"), Map.of("name", "replicate-" + StackApi.stamp(),
                "type", "STANDARD", "source_connection_id", stack.tenantConnection(SOURCE_DB),
                "destination_connection_id", stack.tenantConnection(DESTINATION_DB),
                "queries", List.of("REPLICATE [" + TABLE + "]"))), "job_id");
        double bestCeiling = 0;
        double bestOurs = 0;
        for (int round = 1; round <= rounds; round++) {
            double ceiling = ceiling();
            System.out.printf("round %d  ceiling (COPY piped, this process)       %,10.0f rows/s  %6.1f MB/s%n", round, ceiling,
                    ceiling * bytes / rows / 1e6);
            Replicated ours = replicate(job, true);
            System.out.printf("round %d  jobplane STANDARD run (launch→SUCCESS)   %,10.0f rows/s  %6.1f MB/s  (%.2f s%s)%n",
                    round, ours.rowsPerSecond(), ours.rowsPerSecond() * bytes / rows / 1e6, ours.seconds(),
                    ours.taskSeconds() == null ? "" : String.format("; the task itself %.2f s", ours.taskSeconds()));
            bestCeiling = Math.max(bestCeiling, ceiling);
            bestOurs = Math.max(bestOurs, ours.rowsPerSecond());
        }
        requireEqual();
        Replicated rerun = replicate(job, false);
        System.out.printf("re-run with nothing changed (merge, 0 rows written): %.2f s, %,.0f rows/s compared%n",
                rerun.seconds(), rows / rerun.seconds());
        System.out.printf("%nbest replication %,.0f rows/s (%.1f MB/s) = %.1f%% of the best ceiling %,.0f rows/s (%.1f MB/s); target ≥ 60%%%n",
                bestOurs, bestOurs * bytes / rows / 1e6, 100 * bestOurs / bestCeiling, bestCeiling, bestCeiling * bytes / rows / 1e6);
        try (Connection c = stack.tenantDb(DESTINATION_DB); Statement st = c.createStatement()) {
            st.execute("drop table if exists " + TABLE);
        }
        return 0;
    }

    /** Makes the source table once (kept for later benches); returns its size as COPY text. */
    private long seed() throws SQLException {
        try (Connection c = stack.tenantDb(SOURCE_DB); Statement st = c.createStatement()) {
            st.execute("create table if not exists " + TABLE + " (id bigint primary key, amount numeric(12,2) not null,"
                    + " name text not null, created_at timestamptz not null, active boolean, attributes jsonb)");
            long have = count(st, "select count(*) from " + TABLE);
            if (have != rows) {
                System.out.printf("seeding %,d rows into %s.%s%n", rows, SOURCE_DB, TABLE);
                st.execute("truncate " + TABLE);
                st.execute("insert into " + TABLE + " select g, (g % 100000) / 100.0, 'customer ' || g || ' — ünïcødé',"
                        + " timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second', g % 3 = 0,"
                        + " jsonb_build_object('segment', g % 7, 'tags', jsonb_build_array('a', g % 11))"
                        + " from generate_series(1, " + rows + ") g");
                st.execute("vacuum analyze " + TABLE);
            }
            return count(st, "select sum(octet_length(t::text))::bigint + count(*) from " + TABLE + " t");
        }
    }

    /** Raw COPY from the source into an empty table with the same key, in this process. */
    private double ceiling() throws Exception {
        try (Connection from = stack.tenantDb(SOURCE_DB); Connection to = stack.tenantDb(DESTINATION_DB)) {
            try (Statement st = to.createStatement()) {
                st.execute("drop table if exists items_ceiling");
                st.execute("checkpoint");
                st.execute("create table items_ceiling (id bigint primary key, amount numeric(12,2) not null, name text not null,"
                        + " created_at timestamptz not null, active boolean, attributes jsonb)");
            }
            to.setAutoCommit(false);
            long started = System.nanoTime();
            CopyOut out = from.unwrap(PGConnection.class).getCopyAPI().copyOut("copy (select * from " + TABLE + ") to stdout");
            CopyIn in = to.unwrap(PGConnection.class).getCopyAPI().copyIn("copy items_ceiling from stdin");
            byte[] buffer = new byte[1 << 16];
            int fill = 0;
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                if (fill + row.length > buffer.length) {
                    in.writeToCopy(buffer, 0, fill);
                    fill = 0;
                }
                System.arraycopy(row, 0, buffer, fill, row.length);
                fill += row.length;
            }
            in.writeToCopy(buffer, 0, fill);
            long copied = in.endCopy();
            to.commit();
            double seconds = (System.nanoTime() - started) / 1e9;
            try (Statement st = to.createStatement()) {
                to.setAutoCommit(true);
                st.execute("drop table items_ceiling");
            }
            if (copied != rows) {
                throw new StackException("the ceiling copied " + copied + " rows, not " + rows);
            }
            return rows / seconds;
        }
    }

    /** {@code taskSeconds} is null when the read model had not yet recorded the task's end. */
    private record Replicated(double seconds, Double taskSeconds, double rowsPerSecond) {
    }

    /** One run of the job: into a destination without the table ({@code fresh}), or over the last one's copy. */
    private Replicated replicate(String job, boolean fresh) throws Exception {
        if (fresh) {
            try (Connection c = stack.tenantDb(DESTINATION_DB); Statement st = c.createStatement()) {
                st.execute("drop table if exists " + TABLE);
                st.execute("checkpoint");
            }
        }
        long started = System.nanoTime();
        String run = StackApi.created(stack.request("POST", stack.ws("/jobs/" + job + "/runs"), null), "run_id");
        long deadline = started + TimeUnit.MINUTES.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode status = StackApi.JSON.readTree(stack.request("GET", stack.ws("/runs/" + run), null).body());
            String state = status.path("status").asText();
            if (state.equals("SUCCESS")) {
                double seconds = (System.nanoTime() - started) / 1e9;
                JsonNode task = status.path("tasks").path(0);
                Double taskSeconds = task.path("duration_ms").isNumber() ? task.path("duration_ms").asLong() / 1000.0 : null;
                return new Replicated(seconds, taskSeconds, rows / seconds);
            }
            if (state.equals("FAILED") || state.equals("STOPPED")) {
                throw new StackException("the replication run ended " + state + ": " + status);
            }
            Thread.sleep(20);
        }
        throw new StackException("the replication run did not end within 30 minutes");
    }

    private void requireEqual() throws SQLException {
        List<String> sides = new ArrayList<>();
        for (String db : List.of(SOURCE_DB, DESTINATION_DB)) {
            try (Connection c = stack.tenantDb(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(CHECKSUM)) {
                rs.next();
                sides.add(rs.getLong(1) + "/" + rs.getLong(2));
            }
        }
        if (!sides.get(0).equals(sides.get(1))) {
            throw new StackException("the replicated table differs from its source: " + sides);
        }
        System.out.printf("destination equals source: %s rows/checksum%n", sides.get(0));
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
