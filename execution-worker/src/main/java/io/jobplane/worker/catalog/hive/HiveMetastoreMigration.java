package io.jobplane.worker.catalog.hive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;
import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * Migrates a Hive metastore: reads the metastore's backing database (the Hive 3/4 schema on PostgreSQL
 * or MySQL/MariaDB) over a JDBC connection the caller opened, and emits its databases, tables,
 * partitions and functions of one catalog as catalog changes (docs/catalog/hive-migration.md).
 *
 * <p>The run reads in one read-only, repeatable-read transaction (one snapshot of the metastore) and
 * only ever runs {@code SELECT}s. Everything is read in keyset-paged, bounded queries, and partitions
 * stream through in pages of {@link CatalogChange#MAX_PARTITIONS_PER_EVENT}: the worker holds one page
 * and one event at a time, never the metastore. The {@link Limits} bound every count and size a
 * hostile metastore could inflate; a malformed row is skipped with a warning. A thread interrupt
 * (cancel) is honoured between queries and batches with {@link InterruptedException}.
 *
 * <p>An instance may run any number of times, one run per thread; it keeps no state between runs.
 */
public final class HiveMetastoreMigration {

    private static final Logger LOG = Logger.getLogger(HiveMetastoreMigration.class);

    /** Databases, tables or functions read per query. */
    static final int OBJECT_PAGE = 100;
    /** Partitions read per query: one page becomes one event unless its size needs it cut. */
    static final int PARTITION_PAGE = CatalogChange.MAX_PARTITIONS_PER_EVENT;
    /** Rows a PostgreSQL cursor fetches at a time. */
    private static final int PG_FETCH_SIZE = 100;
    /** Warnings one table event carries at most. */
    static final int MAX_TABLE_WARNINGS = 50;
    /** Nesting of a column type past which it is not parsed (kept as written, with a warning). */
    static final int MAX_TYPE_DEPTH = 64;

    /** The parameters a view's text goes in (the table event has no field for it). */
    public static final String VIEW_ORIGINAL_TEXT = "view_original_text";
    public static final String VIEW_EXPANDED_TEXT = "view_expanded_text";
    /** The database parameter a Hive 4 database's managed location goes in. */
    public static final String MANAGED_LOCATION = "managed_location";

    private static final Set<String> TABLE_TYPES = Set.of("MANAGED_TABLE", "EXTERNAL_TABLE", "VIRTUAL_VIEW");
    private static final Map<Integer, String> RESOURCE_TYPES = Map.of(1, "JAR", 2, "FILE", 3, "ARCHIVE");
    private static final Map<Integer, String> FUNCTION_TYPES = Map.of(1, "JAVA");

    private final MigrationOptions options;
    private final LocationRewriter locations;
    private final Limits limits;

    public HiveMetastoreMigration(MigrationOptions options) {
        this.options = options;
        this.locations = LocationRewriter.of(options.locations());
        this.limits = options.limits();
    }

    /**
     * Runs the migration: reads the source catalog from {@code metastore} and puts its changes in
     * {@code sink} (the caller completes the sink afterwards); {@code runLog} receives what a user
     * should read in the run's log. A transaction the caller left open on the connection is rolled back
     * first; the connection's auto-commit, read-only and isolation settings are restored afterwards.
     *
     * @throws HiveMigrationException when the connection is not to a Hive metastore the engine reads,
     *         or the source catalog does not exist
     * @throws SQLException when the metastore cannot be read (the run is then incomplete)
     * @throws InterruptedException when the thread was interrupted (a cancel)
     */
    public MigrationReport run(Connection metastore, CatalogChange.Origin origin, CatalogSink sink, Consumer<String> runLog)
            throws SQLException, InterruptedException {
        Dialect dialect = Dialect.of(metastore);
        boolean autoCommit = metastore.getAutoCommit();
        boolean readOnly = metastore.isReadOnly();
        int isolation = metastore.getTransactionIsolation();
        try {
            if (!autoCommit) {
                metastore.rollback();
            }
            metastore.setReadOnly(true);
            metastore.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            metastore.setAutoCommit(false);
            try (Run run = new Run(metastore, dialect, origin, sink, runLog)) {
                return run.execute();
            }
        } finally {
            restore(metastore, autoCommit, readOnly, isolation);
        }
    }

    private static void restore(Connection connection, boolean autoCommit, boolean readOnly, int isolation) {
        try {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
            connection.setReadOnly(readOnly);
            connection.setTransactionIsolation(isolation);
        } catch (SQLException e) {
            LOG.debugf("could not restore the metastore connection's settings: %s", e.getMessage());
        }
    }

    /** The SQL dialect of the metastore's database. */
    enum Dialect {
        POSTGRESQL, MYSQL;

        static Dialect of(Connection connection) throws SQLException {
            String product = connection.getMetaData().getDatabaseProductName();
            String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
            if (name.contains("postgresql")) {
                return POSTGRESQL;
            }
            if (name.contains("mysql") || name.contains("mariadb")) {
                return MYSQL;
            }
            throw new HiveMigrationException(HiveMigrationException.Code.UNSUPPORTED_DATABASE,
                    "a Hive metastore is read from PostgreSQL or MySQL/MariaDB, not " + product);
        }

        /** The statement with its identifiers quoted for this dialect (written with {@code "} quotes). */
        String sql(String sql) {
            return this == POSTGRESQL ? sql : sql.replace('"', '`');
        }

        /** PostgreSQL: a cursor of this many rows (auto-commit is off); MySQL: row-by-row streaming. */
        int fetchSize() {
            return this == POSTGRESQL ? PG_FETCH_SIZE : Integer.MIN_VALUE;
        }
    }

    /** The end of a run before the catalog was read whole: a run-wide bound was reached. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Characters an event may still take. */
    private static final class Budget {
        private long remaining;

        Budget(long remaining) {
            this.remaining = remaining;
        }

        boolean take(String... texts) {
            long n = 0;
            for (String text : texts) {
                n += text == null ? 4 : text.length() + 8;
            }
            if (n > remaining) {
                remaining = -1;
                return false;
            }
            remaining -= n;
            return true;
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface RowHandler {
        /** False stops reading. */
        boolean row(ResultSet row) throws SQLException, InterruptedException;
    }

    private record DatabaseRow(long id, String name, String description, String location, String owner, String managedLocation) {
    }

    private record TableRow(long id, String name, String type, String owner, Long sdId, String inputFormat, String outputFormat,
            String location, Long cdId, Long serdeId, String serdeLibrary) {
    }

    private record PartitionRow(long id, String name, String location) {
    }

    private record FunctionRow(long id, String name, String className, int type, String owner) {
    }

    /** What one partition page's partitions are being assembled into. */
    private static final class PartitionBatch {
        final List<CatalogChange.Partition> partitions = new ArrayList<>();
        long chars;
    }

    /** The state of one run. */
    private final class Run implements AutoCloseable {
        private final Connection connection;
        private final Dialect dialect;
        private final CatalogChange.Origin origin;
        private final CatalogSink sink;
        private final Consumer<String> runLog;
        private final Map<String, PreparedStatement> statements = new HashMap<>();
        private final List<String> warnings = new ArrayList<>();
        private final long started = System.nanoTime();
        private final int text;
        private final int value;
        private long warningCount;
        private long databases;
        private long databasesRead;
        private long tables;
        private long tablesRead;
        private long partitions;
        private long partitionEvents;
        private long functions;
        private long functionsRead;
        private long skipped;
        private boolean hasCatalogs;
        private boolean hasManagedLocation;

        Run(Connection connection, Dialect dialect, CatalogChange.Origin origin, CatalogSink sink, Consumer<String> runLog) {
            this.connection = connection;
            this.dialect = dialect;
            this.origin = origin;
            this.sink = sink;
            this.runLog = runLog;
            this.text = limits.maxTextLength();
            this.value = limits.maxValueLength();
        }

        MigrationReport execute() throws SQLException, InterruptedException {
            String version = probe();
            runLog.accept("Hive metastore schema " + version + " on " + (dialect == Dialect.POSTGRESQL ? "PostgreSQL" : "MySQL")
                    + ": migrating catalog '" + options.sourceCatalog() + "' into '" + options.targetCatalog() + "' ("
                    + String.join(", ", options.syncObjects().stream().map(Enum::name).sorted().toList()) + "; "
                    + locations.size() + " location rule(s))");
            String stoppedBy = null;
            try {
                migrateDatabases();
            } catch (Stop stop) {
                stoppedBy = stop.getMessage();
                runLog.accept("stopped: " + stoppedBy + "; the rest of the catalog is not migrated");
            }
            if (warningCount > warnings.size()) {
                runLog.accept((warningCount - warnings.size()) + " further warning(s) not shown (" + warningCount + " in all)");
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            runLog.accept(String.format(Locale.ROOT, "%d database(s), %d table(s), %d partition(s) in %d event(s), %d function(s); "
                    + "%d skipped, %d warning(s); %.1f s", databases, tables, partitions, partitionEvents, functions, skipped,
                    warningCount, elapsed.toMillis() / 1000.0));
            return new MigrationReport(version, databases, tables, partitions, partitionEvents, functions, skipped, warningCount,
                    warnings, stoppedBy, elapsed);
        }

        /** Checks the schema: DBS readable, its catalog column, the schema version, the source catalog. */
        private String probe() throws SQLException, InterruptedException {
            Set<String> dbsColumns = new HashSet<>();
            try {
                query("SELECT * FROM \"DBS\" WHERE 1 = 0", s -> {
                }, row -> true, meta -> {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        dbsColumns.add(meta.getColumnLabel(i).toUpperCase(Locale.ROOT));
                    }
                });
            } catch (SQLException e) {
                throw notAMetastore("it has no readable DBS table", e);
            }
            hasCatalogs = dbsColumns.contains("CTLG_NAME");
            hasManagedLocation = dbsColumns.contains("DB_MANAGED_LOCATION_URI");
            String[] version = new String[1];
            try {
                query("SELECT substr(\"SCHEMA_VERSION\", 1, 64) FROM \"VERSION\"", s -> {
                }, row -> {
                    version[0] = row.getString(1);
                    return false;
                });
            } catch (SQLException e) {
                throw notAMetastore("it has no readable VERSION table", e);
            }
            if (version[0] == null) {
                throw new HiveMigrationException(HiveMigrationException.Code.NOT_A_HIVE_METASTORE,
                        "the database is not a Hive metastore: its VERSION table is empty");
            }
            String catalog = options.sourceCatalog().toLowerCase(Locale.ROOT);
            boolean exists;
            if (hasCatalogs) {
                boolean[] found = new boolean[1];
                query("SELECT 1 FROM \"CTLGS\" WHERE lower(\"NAME\") = ?", s -> s.setString(1, catalog), row -> {
                    found[0] = true;
                    return false;
                });
                exists = found[0];
            } else {
                exists = catalog.equals("hive");
            }
            if (!exists) {
                throw new HiveMigrationException(HiveMigrationException.Code.UNKNOWN_CATALOG,
                        "the metastore has no catalog '" + options.sourceCatalog() + "'");
            }
            return version[0];
        }

        private HiveMigrationException notAMetastore(String why, SQLException e) {
            return new HiveMigrationException(HiveMigrationException.Code.NOT_A_HIVE_METASTORE,
                    "the database is not a Hive metastore the migration reads: " + why + " (" + e.getSQLState() + ")", e);
        }

        // ---- databases ----

        private void migrateDatabases() throws SQLException, InterruptedException {
            String catalogFilter = hasCatalogs ? "lower(\"CTLG_NAME\") = ? AND " : "";
            String sql = "SELECT \"DB_ID\", " + cut("\"NAME\"", text) + ", " + cut("\"DESC\"", text) + ", "
                    + cut("\"DB_LOCATION_URI\"", text) + ", " + cut("\"OWNER_NAME\"", text) + ", "
                    + (hasManagedLocation ? cut("\"DB_MANAGED_LOCATION_URI\"", text) : "NULL") + " FROM \"DBS\" WHERE "
                    + catalogFilter + "\"DB_ID\" > ? ORDER BY \"DB_ID\" LIMIT " + OBJECT_PAGE;
            String catalog = options.sourceCatalog().toLowerCase(Locale.ROOT);
            long after = Long.MIN_VALUE;
            while (true) {
                checkCancel();
                List<DatabaseRow> page = new ArrayList<>();
                long from = after;
                query(sql, s -> {
                    int i = 1;
                    if (hasCatalogs) {
                        s.setString(i++, catalog);
                    }
                    s.setLong(i, from);
                }, row -> {
                    page.add(new DatabaseRow(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                            row.getString(6)));
                    return true;
                });
                for (DatabaseRow database : page) {
                    if (++databasesRead > limits.maxDatabases()) {
                        throw new Stop("more than " + limits.maxDatabases() + " databases (maxDatabases)");
                    }
                    migrateDatabase(database);
                }
                if (page.size() < OBJECT_PAGE) {
                    return;
                }
                after = page.get(page.size() - 1).id();
            }
        }

        private void migrateDatabase(DatabaseRow row) throws SQLException, InterruptedException {
            if (row.name() == null || row.name().isBlank() || row.name().length() > text) {
                skip("database " + row.id() + " has no name or one longer than " + text + " characters: skipped");
                return;
            }
            String name = row.name();
            if (tooLong(row.location())) {
                skip("database " + name + ": its location is longer than " + text + " characters: skipped");
                return;
            }
            long tablesBefore = tables;
            long partitionsBefore = partitions;
            long functionsBefore = functions;
            if (options.syncs(SyncObject.DATABASE)) {
                List<String> notes = new ArrayList<>();
                String description = row.description();
                if (tooLong(description)) {
                    note(notes, "its description is longer than " + text + " characters: dropped");
                    description = null;
                }
                Map<String, String> parameters = parameters("DATABASE_PARAMS", "DB_ID", row.id(), new Budget(limits.maxEventChars()),
                        notes);
                if (row.managedLocation() != null && !row.managedLocation().isBlank()) {
                    if (tooLong(row.managedLocation())) {
                        note(notes, "its managed location is longer than " + text + " characters: dropped");
                    } else {
                        if (parameters.containsKey(MANAGED_LOCATION)) {
                            note(notes, "its parameter '" + MANAGED_LOCATION + "' is replaced by its managed location");
                        }
                        parameters.put(MANAGED_LOCATION, locations.rewrite(row.managedLocation()));
                    }
                }
                for (String note : notes) {
                    warn("database " + name + ": " + note);
                }
                sink.database(new CatalogChange.Database(origin, options.conflict(), options.targetCatalog(), name, description,
                        locations.rewrite(row.location()), owner(row.owner()), parameters));
            }
            databases++;
            if (options.syncs(SyncObject.TABLE)) {
                migrateTables(row.id(), name);
            }
            if (options.syncs(SyncObject.FUNCTION)) {
                migrateFunctions(row.id(), name);
            }
            runLog.accept("database " + name + ": " + (tables - tablesBefore) + " table(s), " + (partitions - partitionsBefore)
                    + " partition(s), " + (functions - functionsBefore) + " function(s)");
        }

        // ---- tables ----

        private void migrateTables(long databaseId, String database) throws SQLException, InterruptedException {
            String sql = "SELECT t.\"TBL_ID\", " + cut("t.\"TBL_NAME\"", text) + ", " + cut("t.\"TBL_TYPE\"", 129) + ", "
                    + cut("t.\"OWNER\"", text) + ", t.\"SD_ID\", " + cut("s.\"INPUT_FORMAT\"", text) + ", "
                    + cut("s.\"OUTPUT_FORMAT\"", text) + ", " + cut("s.\"LOCATION\"", text) + ", s.\"CD_ID\", d.\"SERDE_ID\", "
                    + cut("d.\"SLIB\"", text) + " FROM \"TBLS\" t LEFT JOIN \"SDS\" s ON s.\"SD_ID\" = t.\"SD_ID\""
                    + " LEFT JOIN \"SERDES\" d ON d.\"SERDE_ID\" = s.\"SERDE_ID\""
                    + " WHERE t.\"DB_ID\" = ? AND t.\"TBL_ID\" > ? ORDER BY t.\"TBL_ID\" LIMIT " + OBJECT_PAGE;
            long after = Long.MIN_VALUE;
            while (true) {
                checkCancel();
                List<TableRow> page = new ArrayList<>();
                long from = after;
                query(sql, s -> {
                    s.setLong(1, databaseId);
                    s.setLong(2, from);
                }, row -> {
                    page.add(new TableRow(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), longOrNull(row, 5),
                            row.getString(6), row.getString(7), row.getString(8), longOrNull(row, 9), longOrNull(row, 10),
                            row.getString(11)));
                    return true;
                });
                for (TableRow table : page) {
                    if (++tablesRead > limits.maxTables()) {
                        throw new Stop("more than " + limits.maxTables() + " tables (maxTables)");
                    }
                    checkCancel();
                    migrateTable(database, table);
                }
                if (page.size() < OBJECT_PAGE) {
                    return;
                }
                after = page.get(page.size() - 1).id();
            }
        }

        private void migrateTable(String database, TableRow row) throws SQLException, InterruptedException {
            if (row.name() == null || row.name().isBlank() || row.name().length() > text) {
                skip("table " + row.id() + " of database " + database + " has no name or one longer than " + text
                        + " characters: skipped");
                return;
            }
            String where = "table " + database + "." + row.name();
            String type = row.type() == null ? "" : row.type().strip().toUpperCase(Locale.ROOT);
            if (type.equals("MATERIALIZED_VIEW")) {
                skip(where + " is a materialized view, which the catalog does not hold: skipped");
                return;
            }
            if (!TABLE_TYPES.contains(type)) {
                skip(where + " has the unknown table type '" + excerpt(row.type()) + "': skipped");
                return;
            }
            if (row.sdId() == null) {
                skip(where + " has no storage descriptor: skipped");
                return;
            }
            if (tooLong(row.location())) {
                skip(where + ": its location is longer than " + text + " characters: skipped");
                return;
            }
            boolean view = type.equals("VIRTUAL_VIEW");
            Budget budget = new Budget(limits.maxEventChars());
            List<String> notes = new ArrayList<>();
            List<CatalogChange.Column> columns = List.of();
            if (row.cdId() != null) {
                columns = columns("COLUMNS_V2", "CD_ID", "COLUMN_NAME", "TYPE_NAME", "COMMENT", row.cdId(), where, budget, notes);
                if (columns == null) {
                    return;
                }
            } else if (!view) {
                note(notes, "it has no column descriptor: no columns");
            }
            List<CatalogChange.Column> keys = columns("PARTITION_KEYS", "TBL_ID", "PKEY_NAME", "PKEY_TYPE", "PKEY_COMMENT", row.id(),
                    where, budget, notes);
            if (keys == null) {
                return;
            }
            Set<String> names = new HashSet<>();
            for (CatalogChange.Column column : columns) {
                names.add(column.name().toLowerCase(Locale.ROOT));
            }
            for (CatalogChange.Column key : keys) {
                if (names.contains(key.name().toLowerCase(Locale.ROOT))) {
                    skip(where + " has a partition key and a column both named '" + key.name() + "': skipped");
                    return;
                }
            }
            String inputFormat = checked(row.inputFormat(), "input format", notes);
            String outputFormat = checked(row.outputFormat(), "output format", notes);
            String serdeLibrary = checked(row.serdeLibrary(), "SerDe library", notes);
            String location = view ? null : locations.rewrite(row.location());
            if (!budget.take(row.name(), type, inputFormat, outputFormat, serdeLibrary, location, row.owner())) {
                skip(where + " is bigger than " + limits.maxEventChars() + " characters (maxEventChars): skipped");
                return;
            }
            Map<String, String> serdeParameters = row.serdeId() == null ? new LinkedHashMap<>()
                    : parameters("SERDE_PARAMS", "SERDE_ID", row.serdeId(), budget, notes);
            Map<String, String> parameters = parameters("TABLE_PARAMS", "TBL_ID", row.id(), budget, notes);
            if (view) {
                viewTexts(row.id(), parameters, budget, notes);
            }
            CatalogChange.Statistics statistics = statistics(parameters, notes);
            for (String note : notes) {
                warn(where + ": " + note);
            }
            sink.table(new CatalogChange.Table(origin, options.conflict(), options.targetCatalog(), database, row.name(), type,
                    location, StorageFormats.shortName(inputFormat, serdeLibrary), inputFormat, outputFormat, serdeLibrary,
                    serdeParameters, columns, keys, parameters, owner(row.owner()), statistics, List.copyOf(notes), false));
            tables++;
            if (options.syncs(SyncObject.PARTITION) && !keys.isEmpty()) {
                migratePartitions(database, row.name(), row.id(), keys.size());
            }
        }

        /**
         * The columns (or partition keys) of a descriptor in order, or null when the table is skipped:
         * too many, a malformed column, or over the event's budget.
         */
        private List<CatalogChange.Column> columns(String table, String idColumn, String nameColumn, String typeColumn,
                String commentColumn, long id, String where, Budget budget, List<String> notes)
                throws SQLException, InterruptedException {
            String kind = table.equals("COLUMNS_V2") ? "column" : "partition key";
            String sql = "SELECT " + cut(q(nameColumn), text) + ", " + cut(q(typeColumn), value) + ", " + cut(q(commentColumn), text)
                    + " FROM " + q(table) + " WHERE " + q(idColumn) + " = ? ORDER BY \"INTEGER_IDX\" LIMIT "
                    + (limits.maxColumnsPerTable() + 1);
            List<CatalogChange.Column> columns = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            String[] refusal = new String[1];
            query(sql, s -> s.setLong(1, id), row -> {
                String name = row.getString(1);
                String type = row.getString(2);
                String comment = row.getString(3);
                if (columns.size() == limits.maxColumnsPerTable()) {
                    refusal[0] = "it has more than " + limits.maxColumnsPerTable() + " " + kind + "s (maxColumnsPerTable)";
                    return false;
                }
                if (name == null || name.isBlank() || name.length() > text) {
                    refusal[0] = "its " + kind + " " + (columns.size() + 1) + " has no name or one longer than " + text + " characters";
                    return false;
                }
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    refusal[0] = "it has two " + kind + "s named '" + name + "'";
                    return false;
                }
                if (type == null || type.isBlank()) {
                    refusal[0] = "its " + kind + " '" + name + "' has no type";
                    return false;
                }
                if (type.length() > value) {
                    refusal[0] = "the type of its " + kind + " '" + name + "' is longer than " + value + " characters";
                    return false;
                }
                if (tooLong(comment)) {
                    note(notes, "the comment of " + kind + " '" + name + "' is longer than " + text + " characters: dropped");
                    comment = null;
                }
                String normalized = normalizeType(type, kind + " '" + name + "'", notes);
                if (!budget.take(name, normalized, comment)) {
                    refusal[0] = "it is bigger than " + limits.maxEventChars() + " characters (maxEventChars)";
                    return false;
                }
                columns.add(new CatalogChange.Column(name, normalized, comment));
                return true;
            });
            if (refusal[0] != null) {
                skip(where + ": " + refusal[0] + ": skipped");
                return null;
            }
            return columns;
        }

        private String normalizeType(String type, String what, List<String> notes) {
            if (depth(type) > MAX_TYPE_DEPTH) {
                note(notes, "the type of " + what + " nests deeper than " + MAX_TYPE_DEPTH + " levels: kept as written");
                return type;
            }
            try {
                return CatalogTypes.normalize(type);
            } catch (IllegalArgumentException e) {
                note(notes, "the type of " + what + " is not one the catalog parses (" + excerpt(type) + "): kept as written");
                return type;
            }
        }

        private void viewTexts(long tableId, Map<String, String> parameters, Budget budget, List<String> notes)
                throws SQLException, InterruptedException {
            query("SELECT " + cut("\"VIEW_ORIGINAL_TEXT\"", value) + ", " + cut("\"VIEW_EXPANDED_TEXT\"", value)
                    + " FROM \"TBLS\" WHERE \"TBL_ID\" = ?", s -> s.setLong(1, tableId), row -> {
                        viewText(VIEW_ORIGINAL_TEXT, row.getString(1), parameters, budget, notes);
                        viewText(VIEW_EXPANDED_TEXT, row.getString(2), parameters, budget, notes);
                        return false;
                    });
        }

        private void viewText(String key, String text, Map<String, String> parameters, Budget budget, List<String> notes) {
            if (text == null) {
                return;
            }
            if (text.length() > value) {
                note(notes, "its " + key.replace('_', ' ') + " is longer than " + value + " characters: dropped");
            } else if (!budget.take(key, text)) {
                note(notes, "its " + key.replace('_', ' ') + " does not fit in an event (maxEventChars): dropped");
            } else {
                if (parameters.containsKey(key)) {
                    note(notes, "its parameter '" + key + "' is replaced by the view's text");
                }
                parameters.put(key, text);
            }
        }

        // ---- partitions ----

        private void migratePartitions(String database, String table, long tableId, int keyCount)
                throws SQLException, InterruptedException {
            String where = "table " + database + "." + table;
            String columns = "SELECT p.\"PART_ID\", " + cut("p.\"PART_NAME\"", text) + ", " + cut("s.\"LOCATION\"", text)
                    + " FROM \"PARTITIONS\" p LEFT JOIN \"SDS\" s ON s.\"SD_ID\" = p.\"SD_ID\""
                    + " WHERE p.\"TBL_ID\" = ? AND p.\"PART_NAME\" IS NOT NULL";
            String first = columns + " ORDER BY p.\"PART_NAME\" LIMIT " + PARTITION_PAGE;
            String next = columns + " AND p.\"PART_NAME\" > ? ORDER BY p.\"PART_NAME\" LIMIT " + PARTITION_PAGE;
            String in = inList(PARTITION_PAGE);
            String valuesSql = "SELECT \"PART_ID\", \"INTEGER_IDX\", " + cut("\"PART_KEY_VAL\"", text)
                    + " FROM \"PARTITION_KEY_VALS\" WHERE \"PART_ID\" IN " + in + " AND \"INTEGER_IDX\" >= 0 AND \"INTEGER_IDX\" < "
                    + keyCount;
            String parametersSql = "SELECT \"PART_ID\", " + cut("\"PARAM_KEY\"", text) + ", " + cut("\"PARAM_VALUE\"", value)
                    + " FROM \"PARTITION_PARAMS\" WHERE \"PART_ID\" IN " + in + " ORDER BY \"PART_ID\", \"PARAM_KEY\"";
            String after = null;
            while (true) {
                checkCancel();
                List<PartitionRow> page = new ArrayList<>(PARTITION_PAGE);
                String from = after;
                query(from == null ? first : next, s -> {
                    s.setLong(1, tableId);
                    if (from != null) {
                        s.setString(2, from);
                    }
                }, row -> {
                    page.add(new PartitionRow(row.getLong(1), row.getString(2), row.getString(3)));
                    return true;
                });
                if (page.isEmpty()) {
                    return;
                }
                after = page.get(page.size() - 1).name();
                if (after.length() > text) {
                    // A name cut to the bound cannot continue the keyset: no row sorts between it and the next.
                    skip(where + ": a partition name is longer than " + text + " characters; the partitions after it are not read");
                    after = null;
                }
                migratePartitionPage(database, table, where, keyCount, page, valuesSql, parametersSql);
                if (page.size() < PARTITION_PAGE || after == null) {
                    return;
                }
            }
        }

        private void migratePartitionPage(String database, String table, String where, int keyCount, List<PartitionRow> page,
                String valuesSql, String parametersSql) throws SQLException, InterruptedException {
            page.sort(Comparator.comparingLong(PartitionRow::id));
            long[] ids = new long[PARTITION_PAGE];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = page.get(Math.min(i, page.size() - 1)).id();
            }
            Map<Long, String[]> values = new HashMap<>(page.size() * 2);
            for (PartitionRow partition : page) {
                values.put(partition.id(), new String[keyCount]);
            }
            query(valuesSql, s -> bindIds(s, ids), row -> {
                String[] v = values.get(row.getLong(1));
                if (v != null) {
                    v[row.getInt(2)] = row.getString(3);
                }
                return true;
            });
            PartitionBatch batch = new PartitionBatch();
            int[] next = { 0 };
            long[] current = { Long.MIN_VALUE };
            List<String> notes = new ArrayList<>();
            Parameters[] parameters = { new Parameters(new Budget(limits.maxPartitionChars()), notes) };
            query(parametersSql, s -> bindIds(s, ids), row -> {
                long id = row.getLong(1);
                if (id != current[0]) {
                    // The partitions before this one are complete: the one read last, and those without parameters.
                    while (next[0] < page.size() && page.get(next[0]).id() < id) {
                        PartitionRow done = page.get(next[0]++);
                        partition(database, table, where, done, values.get(done.id()),
                                done.id() == current[0] ? parameters[0].map : Map.of(), notes, batch);
                        notes.clear();
                    }
                    current[0] = id;
                    parameters[0] = new Parameters(new Budget(limits.maxPartitionChars()), notes);
                }
                parameters[0].add(row.getString(2), row.getString(3));
                return true;
            });
            while (next[0] < page.size()) {
                PartitionRow done = page.get(next[0]++);
                partition(database, table, where, done, values.get(done.id()), done.id() == current[0] ? parameters[0].map : Map.of(),
                        notes, batch);
                notes.clear();
            }
            flush(database, table, batch);
        }

        /** Adds one partition to the batch (emitting the batch first when it would grow past an event's bound). */
        private void partition(String database, String table, String where, PartitionRow row, String[] values,
                Map<String, String> parameters, List<String> notes, PartitionBatch batch) throws InterruptedException {
            String what = where + ", partition " + excerpt(row.name());
            for (String note : notes) {
                warn(what + ": " + note);
            }
            for (String v : values) {
                if (v == null) {
                    skip(what + ": it does not have a value for each partition key: skipped");
                    return;
                }
                if (v.length() > text) {
                    skip(what + ": a value is longer than " + text + " characters: skipped");
                    return;
                }
            }
            if (tooLong(row.location())) {
                skip(what + ": its location is longer than " + text + " characters: skipped");
                return;
            }
            if (partitions >= limits.maxPartitions()) {
                flush(database, table, batch);
                throw new Stop("more than " + limits.maxPartitions() + " partitions (maxPartitions)");
            }
            String location = locations.rewrite(row.location());
            long chars = 64 + (location == null ? 0 : location.length());
            for (String v : values) {
                chars += v.length() + 8;
            }
            for (Map.Entry<String, String> e : parameters.entrySet()) {
                chars += e.getKey().length() + e.getValue().length() + 8;
            }
            List<String> ignored = new ArrayList<>();
            CatalogChange.Statistics statistics = statistics(parameters, ignored);
            for (String note : ignored) {
                warn(what + ": " + note);
            }
            if (batch.chars + chars > limits.maxEventChars() - 4_096 || batch.partitions.size() == CatalogChange.MAX_PARTITIONS_PER_EVENT) {
                flush(database, table, batch);
            }
            batch.partitions.add(new CatalogChange.Partition(List.of(values), location, Map.copyOf(parameters), statistics));
            batch.chars += chars;
            partitions++;
        }

        private void flush(String database, String table, PartitionBatch batch) throws InterruptedException {
            if (batch.partitions.isEmpty()) {
                return;
            }
            checkCancel();
            sink.partitions(new CatalogChange.Partitions(origin, options.conflict(), options.targetCatalog(), database, table,
                    List.copyOf(batch.partitions)));
            partitionEvents++;
            batch.partitions.clear();
            batch.chars = 0;
        }

        // ---- functions ----

        private void migrateFunctions(long databaseId, String database) throws SQLException, InterruptedException {
            String sql = "SELECT \"FUNC_ID\", " + cut("\"FUNC_NAME\"", text) + ", " + cut("\"CLASS_NAME\"", text)
                    + ", \"FUNC_TYPE\", " + cut("\"OWNER_NAME\"", text) + " FROM \"FUNCS\" WHERE \"DB_ID\" = ? AND \"FUNC_ID\" > ?"
                    + " ORDER BY \"FUNC_ID\" LIMIT " + OBJECT_PAGE;
            String resourcesSql = "SELECT \"RESOURCE_TYPE\", " + cut("\"RESOURCE_URI\"", text)
                    + " FROM \"FUNC_RU\" WHERE \"FUNC_ID\" = ? ORDER BY \"INTEGER_IDX\" LIMIT " + (limits.maxResourcesPerFunction() + 1);
            long after = Long.MIN_VALUE;
            while (true) {
                checkCancel();
                List<FunctionRow> page = new ArrayList<>();
                long from = after;
                query(sql, s -> {
                    s.setLong(1, databaseId);
                    s.setLong(2, from);
                }, row -> {
                    page.add(new FunctionRow(row.getLong(1), row.getString(2), row.getString(3), row.getInt(4), row.getString(5)));
                    return true;
                });
                for (FunctionRow function : page) {
                    if (++functionsRead > limits.maxFunctions()) {
                        throw new Stop("more than " + limits.maxFunctions() + " functions (maxFunctions)");
                    }
                    migrateFunction(database, function, resourcesSql);
                }
                if (page.size() < OBJECT_PAGE) {
                    return;
                }
                after = page.get(page.size() - 1).id();
            }
        }

        private void migrateFunction(String database, FunctionRow row, String resourcesSql) throws SQLException, InterruptedException {
            if (row.name() == null || row.name().isBlank() || row.name().length() > text) {
                skip("function " + row.id() + " of database " + database + " has no name or one longer than " + text
                        + " characters: skipped");
                return;
            }
            String where = "function " + database + "." + row.name();
            if (row.className() == null || row.className().isBlank() || row.className().length() > text) {
                skip(where + " has no class name or one longer than " + text + " characters: skipped");
                return;
            }
            String functionType = FUNCTION_TYPES.get(row.type());
            if (functionType == null) {
                skip(where + " has the unknown function type " + row.type() + ": skipped");
                return;
            }
            List<CatalogChange.FunctionResource> resources = new ArrayList<>();
            String[] refusal = new String[1];
            query(resourcesSql, s -> s.setLong(1, row.id()), r -> {
                int type = r.getInt(1);
                String uri = r.getString(2);
                if (resources.size() == limits.maxResourcesPerFunction()) {
                    refusal[0] = "it has more than " + limits.maxResourcesPerFunction() + " resources";
                    return false;
                }
                String kind = RESOURCE_TYPES.get(type);
                if (kind == null) {
                    refusal[0] = "it has a resource of the unknown type " + type;
                    return false;
                }
                if (uri == null || uri.isBlank() || uri.length() > text) {
                    refusal[0] = "it has a resource without a URI or with one longer than " + text + " characters";
                    return false;
                }
                resources.add(new CatalogChange.FunctionResource(kind, locations.rewrite(uri)));
                return true;
            });
            if (refusal[0] != null) {
                skip(where + ": " + refusal[0] + ": skipped");
                return;
            }
            sink.function(new CatalogChange.Function(origin, options.conflict(), options.targetCatalog(), database, row.name(),
                    row.className(), owner(row.owner()), functionType, List.copyOf(resources)));
            functions++;
        }

        // ---- parameters, statistics, owners ----

        /** The parameters of one object, in key order, within the bounds (what is dropped is noted). */
        private Map<String, String> parameters(String table, String idColumn, long id, Budget budget, List<String> notes)
                throws SQLException, InterruptedException {
            Parameters parameters = new Parameters(budget, notes);
            query("SELECT " + cut("\"PARAM_KEY\"", text) + ", " + cut("\"PARAM_VALUE\"", value) + " FROM " + q(table) + " WHERE "
                    + q(idColumn) + " = ? ORDER BY \"PARAM_KEY\" LIMIT " + (limits.maxParametersPerObject() + 1),
                    s -> s.setLong(1, id), row -> {
                        parameters.add(row.getString(1), row.getString(2));
                        return true;
                    });
            return parameters.map;
        }

        /** The parameters of one object as they are read: at most maxParametersPerObject, within a budget. */
        private final class Parameters {
            final Map<String, String> map = new LinkedHashMap<>();
            final Budget budget;
            final List<String> notes;
            boolean overflow;

            Parameters(Budget budget, List<String> notes) {
                this.budget = budget;
                this.notes = notes;
            }

            void add(String key, String v) {
                if (overflow) {
                    return;
                }
                if (map.size() == limits.maxParametersPerObject()) {
                    overflow = true;
                    note(notes, "more than " + limits.maxParametersPerObject() + " parameters (maxParametersPerObject): '"
                            + excerpt(key) + "' and the ones after it are dropped");
                    return;
                }
                if (key == null || key.isBlank() || key.length() > text) {
                    note(notes, "a parameter without a key or with one longer than " + text + " characters: dropped");
                } else if (v == null) {
                    note(notes, "parameter '" + excerpt(key) + "' has no value: dropped");
                } else if (v.length() > value) {
                    note(notes, "parameter '" + excerpt(key) + "' is longer than " + value + " characters (maxValueLength): dropped");
                } else if (!budget.take(key, v)) {
                    note(notes, "parameter '" + excerpt(key) + "' does not fit in the object's bound: dropped");
                } else {
                    map.put(key, v);
                }
            }
        }

        /** Files, bytes and rows from Hive's statistics parameters; null where absent, negative (unknown) or not a number. */
        private CatalogChange.Statistics statistics(Map<String, String> parameters, List<String> notes) {
            Long files = statistic(parameters, "numFiles", notes);
            Long bytes = statistic(parameters, "totalSize", notes);
            Long rows = statistic(parameters, "numRows", notes);
            return files == null && bytes == null && rows == null ? null : new CatalogChange.Statistics(files, bytes, rows);
        }

        private Long statistic(Map<String, String> parameters, String key, List<String> notes) {
            String text = parameters.get(key);
            if (text == null) {
                return null;
            }
            try {
                long n = Long.parseLong(text.strip());
                return n < 0 ? null : n;
            } catch (NumberFormatException e) {
                note(notes, "statistic '" + key + "' is not a number (" + excerpt(text) + "): not used");
                return null;
            }
        }

        private String owner(String owner) {
            if (owner == null || owner.isBlank()) {
                return options.defaultOwner();
            }
            if (owner.length() > MigrationOptions.MAX_NAME_LENGTH) {
                warn("an owner longer than " + MigrationOptions.MAX_NAME_LENGTH + " characters (" + excerpt(owner)
                        + ") is replaced by the default owner");
                return options.defaultOwner();
            }
            return owner;
        }

        private String checked(String s, String what, List<String> notes) {
            if (tooLong(s)) {
                note(notes, "its " + what + " is longer than " + text + " characters: dropped");
                return null;
            }
            return s;
        }

        private boolean tooLong(String s) {
            return s != null && s.length() > text;
        }

        // ---- warnings ----

        private void skip(String warning) {
            skipped++;
            warn(warning);
        }

        private void warn(String warning) {
            warningCount++;
            if (warnings.size() < limits.maxWarnings()) {
                warnings.add(warning);
                runLog.accept("warning: " + warning);
            }
        }

        // ---- queries ----

        private void checkCancel() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("the Hive metastore migration was cancelled");
            }
        }

        private void query(String sql, Binder binder, RowHandler handler) throws SQLException, InterruptedException {
            query(sql, binder, handler, null);
        }

        @FunctionalInterface
        private interface MetaHandler {
            void meta(ResultSetMetaData meta) throws SQLException;
        }

        /** Runs one read-only query, reading its rows (as a stream) until the handler says stop. */
        private void query(String sql, Binder binder, RowHandler handler, MetaHandler meta) throws SQLException, InterruptedException {
            checkCancel();
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(dialect.sql(sql), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                statement.setFetchSize(dialect.fetchSize());
                statement.setQueryTimeout(limits.queryTimeoutSeconds());
                statements.put(sql, statement);
            }
            statement.clearParameters();
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                if (meta != null) {
                    meta.meta(rows.getMetaData());
                }
                while (rows.next()) {
                    if (!handler.row(rows)) {
                        break;
                    }
                }
            }
        }

        private void bindIds(PreparedStatement statement, long[] ids) throws SQLException {
            for (int i = 0; i < ids.length; i++) {
                statement.setLong(i + 1, ids[i]);
            }
        }

        @Override
        public void close() {
            for (PreparedStatement statement : statements.values()) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    LOG.debugf("closing a metastore statement: %s", e.getMessage());
                }
            }
        }
    }

    /** Adds a warning about one object, keeping at most {@link #MAX_TABLE_WARNINGS} (and a last one saying more were left out). */
    static void note(List<String> notes, String note) {
        if (notes.size() < MAX_TABLE_WARNINGS) {
            notes.add(note);
        } else if (notes.size() == MAX_TABLE_WARNINGS) {
            notes.add("further warnings left out");
        }
    }

    /** The first characters of a text from the metastore, for a warning. */
    static String excerpt(String s) {
        if (s == null) {
            return "null";
        }
        String oneLine = s.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    private static Long longOrNull(ResultSet row, int column) throws SQLException {
        long n = row.getLong(column);
        return row.wasNull() ? null : n;
    }

    /** How deep a type's brackets nest. */
    static int depth(String type) {
        int depth = 0;
        int max = 0;
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c == '<' || c == '(') {
                max = Math.max(max, ++depth);
            } else if (c == '>' || c == ')') {
                depth--;
            }
        }
        return max;
    }

    /** At most {@code n} characters of a text column, cut by the database (so a huge value never travels whole). */
    private static String cut(String column, int n) {
        return "substr(" + column + ", 1, " + (n + 1) + ")";
    }

    private static String q(String identifier) {
        return "\"" + identifier + "\"";
    }

    private static String inList(int n) {
        String[] marks = new String[n];
        Arrays.fill(marks, "?");
        return "(" + String.join(", ", marks) + ")";
    }
}
