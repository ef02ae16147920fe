package io.jobplane.worker.files;

import static io.jobplane.worker.replication.TableReplication.quote;
import static io.jobplane.worker.replication.TableReplication.quoted;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.jobplane.worker.executor.TaskListener;
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.sql.FolderLoadStatement;
import io.jobplane.events.sql.PathPattern;
import io.jobplane.events.sql.ReplicateStatement.TableName;
import io.jobplane.worker.replication.Columns;
import io.jobplane.worker.replication.Columns.Column;
import io.jobplane.worker.replication.CopyBatch;
import io.jobplane.worker.replication.TableReplication;
import io.jobplane.worker.files.FileRows.FileColumn;

/**
 * Loads the files a {@link FolderLoadStatement} matches into a PostgreSQL table with
 * {@code COPY … FROM STDIN}, each file exactly once.
 * <p>
 * Loaded files are remembered in the destination database, in {@value #LOADED} (made in the
 * destination session's current schema when missing): one row per job, destination table, file
 * path (relative to the base path) and SHA-256 of the content, with the file's size and
 * modification time, the rows loaded, when and by which run. A file's rows and its row there are
 * committed in one transaction, so a file is loaded once even when a run fails midway or two runs
 * meet: the second waits on the first's row and then skips the file. A file whose path, size and
 * modification time are remembered is skipped without being read; one whose content changed
 * (another SHA-256) is loaded again.
 * <p>
 * The table is {@code destination_schema}.{@code table_name_prefix}name (as for replication); it is
 * made from the first file's columns when missing. A file column the table lacks fails that file
 * unless {@code alter_schema} adds it; table columns the file lacks stay NULL (or their default).
 * {@code drop_table} and {@code truncate_table_data} empty the table at the start of each run and
 * forget its loaded files, so every matching file is loaded again. A file that cannot be loaded
 * (malformed, a value the column's type refuses) leaves nothing behind; the other files are still
 * loaded and the task fails naming it.
 */
public final class FolderLoad {

    /** The table that remembers loaded files. */
    public static final String LOADED = "jobplane_loaded_files";
    private static final long PROGRESS_NANOS = 1_000_000_000L;
    private static final String LOADED_DDL = """
            create table if not exists %s (
                job_id text not null,
                table_name text not null,
                path text not null,
                sha256 text not null,
                size bigint not null,
                modified_at timestamptz not null,
                rows bigint,
                loaded_at timestamptz not null default now(),
                run_id text,
                primary key (job_id, table_name, path, sha256))""".formatted(LOADED);


    /** How the task went: files loaded and skipped (loaded before), rows loaded (by this run), files that could not be. */
    public record Result(int loaded, int skipped, long rows, List<String> failures) {
    }

    private final Connection destination;
    private final BaseDirectory source;
    private final ReplicationSpec spec;
    private final String jobId;
    private final String runId;
    private final TaskListener listener;
    private long rows;
    private long bytes;
    private long lastReport = System.nanoTime();

    public FolderLoad(Connection destination, BaseDirectory source, ReplicationSpec spec, String jobId, String runId, TaskListener listener) {
        this.destination = destination;
        this.source = source;
        this.spec = spec;
        this.jobId = jobId;
        this.runId = runId;
        this.listener = listener;
    }

    public long rows() {
        return rows;
    }

    public long bytes() {
        return bytes;
    }

    /** Loads every matching file not loaded before. */
    public Result load(FolderLoadStatement statement, Map<String, Object> values) throws SQLException, FileTaskException {
        PathPattern.Resolved path;
        try {
            path = statement.from().resolve(values);
        } catch (PathPattern.PathException e) {
            throw new FileTaskException(e.getMessage(), false);
        }
        List<BaseDirectory.Found> files = source.find(path);
        if (files.isEmpty()) {
            if (!path.isGlob()) {
                throw new FileTaskException("'" + path.literal() + "' does not exist in the source (below its base_path)", true);
            }
            listener.log("no file matches '" + path.shown() + "'");
        }
        TableName target = TableReplication.destinationTable(destination, spec, statement.target());
        String table = quote(target.schema()) + "." + quote(target.name());
        String key = target.schema() + "." + target.name();
        prepare(target, table, key);

        int loaded = 0;
        int skipped = 0;
        long loadedRows = 0;
        List<String> failures = new ArrayList<>();
        for (BaseDirectory.Found file : files) {
            if (listener.cancelled()) {
                throw new FileTaskException.Cancelled("cancelled between files");
            }
            if (remembered(key, file)) {
                skipped++;
                continue;
            }
            String sha256 = sha256(file);
            destination.setAutoCommit(false);
            try {
                if (!mark(key, file, sha256)) {
                    updateMark(key, file, sha256);
                    destination.commit();
                    skipped++;
                    listener.log("'" + file.relative() + "' skipped: its content was loaded before");
                    continue;
                }
                long n = loadFile(statement, target, table, file);
                try (PreparedStatement st = destination.prepareStatement("update " + LOADED
                        + " set rows = ? where job_id = ? and table_name = ? and path = ? and sha256 = ?")) {
                    st.setLong(1, n);
                    st.setString(2, jobId);
                    st.setString(3, key);
                    st.setString(4, file.relative());
                    st.setString(5, sha256);
                    st.executeUpdate();
                }
                destination.commit();
                loaded++;
                loadedRows += n;
                listener.log("'" + file.relative() + "' loaded: " + n + " rows");
            } catch (FileTaskException e) {
                destination.rollback();
                if (e instanceof FileTaskException.Cancelled || e.retryable()) {
                    throw e;
                }
                failures.add(e.getMessage());
                listener.log("'" + file.relative() + "' not loaded: " + e.getMessage());
            } catch (SQLException e) {
                rollbackQuietly();
                if (!isDataError(e) || listener.cancelled()) {
                    throw e;
                }
                String why = "'" + file.relative() + "': " + e.getMessage();
                failures.add(why);
                listener.log("'" + file.relative() + "' not loaded: " + e.getMessage());
            } catch (RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                destination.setAutoCommit(true);
            }
        }
        listener.progress(rows, bytes);
        return new Result(loaded, skipped, loadedRows, failures);
    }

    // ---- bookkeeping ---------------------------------------------------------------------

    /** Makes the bookkeeping table, and empties the destination (forgetting its files) per drop_table/truncate_table_data. */
    private void prepare(TableName target, String table, String key) throws SQLException {
        destination.setAutoCommit(false);
        try {
            try (Statement st = destination.createStatement()) {
                // Two first runs at once must not both create the table (a unique violation on pg_type).
                st.execute("select pg_advisory_xact_lock(hashtext('" + LOADED + "'))");
                st.execute(LOADED_DDL);
            }
            if (spec.dropTable() || spec.truncateTableData()) {
                boolean exists = exists(target);
                if (exists) {
                    try (Statement st = destination.createStatement()) {
                        st.execute(spec.dropTable() ? "drop table " + table : "truncate table " + table);
                    }
                }
                int forgotten;
                try (PreparedStatement st = destination.prepareStatement("delete from " + LOADED + " where job_id = ? and table_name = ?")) {
                    st.setString(1, jobId);
                    st.setString(2, key);
                    forgotten = st.executeUpdate();
                }
                listener.log((spec.dropTable() ? "dropped " : "emptied ") + target + " (" + (spec.dropTable() ? "drop_table" : "truncate_table_data")
                        + ") and forgot its " + forgotten + " loaded files: every matching file is loaded again");
            }
            destination.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        } finally {
            destination.setAutoCommit(true);
        }
    }

    /** Whether this very file (path, size, modification time) was loaded before. */
    private boolean remembered(String key, BaseDirectory.Found file) throws SQLException {
        try (PreparedStatement st = destination.prepareStatement("select 1 from " + LOADED
                + " where job_id = ? and table_name = ? and path = ? and size = ? and modified_at = ? and rows is not null")) {
            st.setString(1, jobId);
            st.setString(2, key);
            st.setString(3, file.relative());
            st.setLong(4, file.size());
            st.setTimestamp(5, Timestamp.from(file.modified().toInstant()));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records the file as loaded (in the open transaction); false when it was already (waits for a run loading it now). */
    private boolean mark(String key, BaseDirectory.Found file, String sha256) throws SQLException {
        try (PreparedStatement st = destination.prepareStatement("insert into " + LOADED
                + " (job_id, table_name, path, sha256, size, modified_at, run_id) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            st.setString(1, jobId);
            st.setString(2, key);
            st.setString(3, file.relative());
            st.setString(4, sha256);
            st.setLong(5, file.size());
            st.setTimestamp(6, Timestamp.from(file.modified().toInstant()));
            st.setString(7, runId);
            return st.executeUpdate() == 1;
        }
    }

    /** The same content came back with another modification time: remember that one, so it is not read again. */
    private void updateMark(String key, BaseDirectory.Found file, String sha256) throws SQLException {
        try (PreparedStatement st = destination.prepareStatement("update " + LOADED
                + " set size = ?, modified_at = ? where job_id = ? and table_name = ? and path = ? and sha256 = ?")) {
            st.setLong(1, file.size());
            st.setTimestamp(2, Timestamp.from(file.modified().toInstant()));
            st.setString(3, jobId);
            st.setString(4, key);
            st.setString(5, file.relative());
            st.setString(6, sha256);
            st.executeUpdate();
        }
    }

    private String sha256(BaseDirectory.Found file) throws FileTaskException {
        try (java.nio.channels.SeekableByteChannel in = source.read(file)) {
            return HexFormat.of().formatHex(FileCopy.sha256(in));
        } catch (IOException e) {
            throw new FileTaskException("cannot read '" + file.relative() + "' in the source: " + source.describe(e), true);
        }
    }

    // ---- one file ------------------------------------------------------------------------

    private long loadFile(FolderLoadStatement statement, TableName target, String table, BaseDirectory.Found file)
            throws SQLException, FileTaskException {
        try (FileRows rows = FileRows.open(statement, () -> source.read(file), file.relative())) {
            List<FileColumn> columns = rows.columns();
            if (columns.isEmpty()) {
                listener.log("'" + file.relative() + "' holds no columns; nothing to load");
                return 0;
            }
            List<String> names = columnsIn(target, table, columns, file.relative());
            boolean[] json = jsonColumns(table, names);
            return copy(rows, table, names, json);
        } catch (IOException e) {
            throw new FileTaskException("cannot read '" + file.relative() + "' in the source: " + source.describe(e), true);
        }
    }

    /**
     * The table's column for each file column (making the table when missing, adding columns per
     * alter_schema); a file column the table lacks otherwise refuses the file.
     */
    private List<String> columnsIn(TableName target, String table, List<FileColumn> columns, String shown)
            throws SQLException, FileTaskException {
        Long oid = oid(target);
        if (oid == null) {
            TableReplication.ensureSchema(destination, target.schema());
            String ddl = columns.stream().map(c -> quote(c.name()) + " " + c.type() + (c.notNull() ? " not null" : ""))
                    .collect(Collectors.joining(", ", "create table " + table + " (", ")"));
            try (Statement st = destination.createStatement()) {
                st.execute(ddl);
            }
            listener.log("created " + target + " from the columns of '" + shown + "': "
                    + columns.stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", ")));
            return columns.stream().map(FileColumn::name).toList();
        }
        Map<String, Column> have = Columns.of(destination, oid).byName();
        List<String> names = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (FileColumn c : columns) {
            String name = have.containsKey(c.name()) ? c.name() : folded(have, c.name());
            if (name == null) {
                missing.add(c.name());
                if (spec.alterSchema()) {
                    try (Statement st = destination.createStatement()) {
                        st.execute("alter table " + table + " add column " + quote(c.name()) + " " + c.type());
                    }
                    listener.log("added column " + c.name() + " " + c.type() + " to " + target + " (alter_schema)");
                }
                name = c.name();
            }
            names.add(name);
        }
        if (!missing.isEmpty() && !spec.alterSchema()) {
            throw new FileTaskException("'" + shown + "' has column(s) " + missing + " that table " + target
                    + " lacks; set replication.alter_schema to true to add them, or drop_table to make the table again", false);
        }
        return names;
    }

    /** The table's column of that name ignoring case, when exactly one matches. */
    private static String folded(Map<String, Column> have, String name) {
        List<String> matches = have.keySet().stream().filter(n -> n.equalsIgnoreCase(name)).toList();
        return matches.size() == 1 ? matches.get(0) : null;
    }

    private Long oid(TableName target) throws SQLException {
        try (PreparedStatement st = destination.prepareStatement("select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind in ('r', 'p') and n.nspname = ? and c.relname = ?")) {
            st.setString(1, target.schema());
            st.setString(2, target.name());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private boolean exists(TableName target) throws SQLException {
        return oid(target) != null;
    }

    private boolean[] jsonColumns(String table, List<String> names) throws SQLException {
        Map<String, Column> columns;
        try (Statement st = destination.createStatement();
                ResultSet rs = st.executeQuery("select '" + table.replace("'", "''") + "'::regclass::oid")) {
            rs.next();
            columns = Columns.of(destination, rs.getLong(1)).byName();
        }
        boolean[] json = new boolean[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String type = columns.get(names.get(i)).type().toLowerCase(Locale.ROOT);
            json[i] = type.equals("json") || type.equals("jsonb");
        }
        return json;
    }

    /** Streams the file's rows into the table, batch_size rows (at most 8 MiB) to a write; returns the rows. */
    private long copy(FileRows file, String table, List<String> names, boolean[] json) throws SQLException, IOException, FileTaskException {
        CopyIn in = destination.unwrap(PGConnection.class).getCopyAPI().copyIn("copy " + table + " (" + quoted(names) + ") from stdin");
        try {
            CopyBatch batch = new CopyBatch(in, spec.batchSize());
            StringBuilder line = new StringBuilder(256);
            Object[] values;
            while ((values = file.next()) != null) {
                line.setLength(0);
                for (int i = 0; i < values.length; i++) {
                    if (i > 0) {
                        line.append('\t');
                    }
                    CopyText.append(line, values[i], json[i]);
                }
                byte[] row = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
                rows++;
                bytes += row.length;
                if (batch.add(row) && System.nanoTime() - lastReport >= PROGRESS_NANOS) {
                    if (listener.cancelled()) {
                        throw new FileTaskException.Cancelled("cancelled while loading rows");
                    }
                    listener.progress(rows, bytes);
                    lastReport = System.nanoTime();
                }
            }
            batch.flush();
            return in.endCopy();
        } catch (SQLException | IOException | FileTaskException | RuntimeException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException ignored) {
                    // the transaction is rolled back by the caller
                }
            }
            throw e;
        }
    }

    /** A value or row the database refused (data exception, integrity violation): the file's fault, not the run's. */
    private static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private void rollbackQuietly() {
        try {
            destination.rollback();
        } catch (SQLException ignored) {
            // the session is closed by the caller when the task did not end cleanly
        }
    }
}
