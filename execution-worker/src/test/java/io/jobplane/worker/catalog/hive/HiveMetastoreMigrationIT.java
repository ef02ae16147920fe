package io.jobplane.worker.catalog.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.worker.catalog.hive.HiveMetastoreMigration.Dialect;
import io.jobplane.worker.catalog.hive.HiveMetastores.Metastore;
import io.jobplane.worker.catalog.hive.MetastoreFixture.Col;
import io.jobplane.worker.catalog.hive.MetastoreFixture.Storage;

/**
 * The Hive metastore migration against Apache Hive's real 4.0.0 metastore schema on a real PostgreSQL
 * and a real MariaDB (MySQL protocol): a metastore populated as Hive lays it out migrates into the same
 * databases, tables, columns, partitions and functions, with locations rewritten and the default owner
 * applied; sync_objects choose the kinds; a hostile catalog is bounded.
 */
class HiveMetastoreMigrationIT {

    private static final String WH = "hdfs://nn:8020/warehouse";
    private static final int EVENTS_PARTITIONS = 1_203;
    private static final List<LocationRule> RULES = List.of(
            new LocationRule(WH, "s3://lake/warehouse"),
            new LocationRule(WH + "/sales.db", "s3://sales/db"),
            new LocationRule("s3://old-bucket", "s3://new-bucket"),
            new LocationRule("hdfs://nn:8020/udf", "s3://lake/udf"),
            new LocationRule("hdfs://nn:8020/managed", "s3://lake/managed"));
    private static final CatalogChange.Origin ORIGIN = new CatalogChange.Origin("ws-1", "job-1", "run-1", 1,
            Instant.parse("2025-01-01T00:00:00Z"));
    private static final Set<SyncObject> ALL = Set.of(SyncObject.DATABASE, SyncObject.TABLE, SyncObject.PARTITION, SyncObject.FUNCTION);

    private static final Map<Dialect, Metastore> METASTORES = new EnumMap<>(Dialect.class);

    /** The metastore of this dialect, created and populated on first use. */
    private static synchronized Metastore metastore(Dialect dialect) throws SQLException {
        Metastore metastore = METASTORES.get(dialect);
        if (metastore == null) {
            metastore = dialect == Dialect.POSTGRESQL ? HiveMetastores.postgres("hive_metastore_it", false)
                    : HiveMetastores.mysql("hive_metastore_it", false);
            try (Connection c = metastore.connect()) {
                c.setAutoCommit(false);
                populate(new MetastoreFixture(c, dialect, 1_000));
                c.commit();
            }
            METASTORES.put(dialect, metastore);
        }
        return metastore;
    }

    private static void populate(MetastoreFixture m) throws SQLException {
        m.catalog(2, "spark", "hdfs://nn:8020/spark");
        m.catalog(3, "hostile", "hdfs://nn:8020/hostile");

        long sales = m.database("hive", "sales", "Sales data", WH + "/sales.db", "alice", "hdfs://nn:8020/managed/sales.db",
                Map.of("team", "revenue", "created.by", "etl"));
        long defaultDb = m.database("hive", "default", "Default Hive database", WH, null, null, Map.of());
        m.database("spark", "sales", "another catalog's database", "hdfs://nn:8020/spark/sales.db", "carol", null, Map.of());

        List<Col> orderColumns = List.of(
                new Col("id", "bigint", "order id"),
                new Col("amount", "DECIMAL(12, 2)", null),
                new Col("tags", "array<string>", null),
                new Col("attrs", "map<string, int>", "free attributes"),
                new Col("address", "struct<street:string,zip:int,geo:struct<lat:double,lon:double>>", null),
                new Col("note", "varchar(200)", null),
                new Col("variant", "uniontype<int,string>", null));
        long orders = m.table(sales, "orders", "MANAGED_TABLE", "alice",
                new Storage(WH + "/sales.db/orders", MetastoreFixture.PARQUET_IN, MetastoreFixture.PARQUET_OUT,
                        MetastoreFixture.PARQUET_SERDE, Map.of("serialization.format", "1"), orderColumns),
                Map.of("numFiles", "12", "totalSize", "123456", "numRows", "1000", "comment", "all orders",
                        "transient_lastDdlTime", "1700000000"),
                List.of(new Col("dt", "string", "day"), new Col("region", "string", null)), null, null);
        for (String[] p : new String[][] { { "2024-01-01", "eu" }, { "2024-01-01", "us" }, { "2024-01-02", "eu" } }) {
            String name = "dt=" + p[0] + "/region=" + p[1];
            m.partition(orders, name, List.of(p[0], p[1]), WH + "/sales.db/orders/" + name, MetastoreFixture.PARQUET_IN,
                    MetastoreFixture.PARQUET_SERDE, Map.of("numFiles", "2", "totalSize", "2048", "numRows", "10"));
        }

        long events = m.table(sales, "events", "EXTERNAL_TABLE", null,
                new Storage("s3://old-bucket/events", MetastoreFixture.ORC_IN, MetastoreFixture.ORC_OUT, MetastoreFixture.ORC_SERDE,
                        Map.of(), List.of(new Col("ts", "timestamp", null), new Col("payload", "string", null))),
                Map.of("EXTERNAL", "TRUE"), List.of(new Col("day", "int", null)), null, null);
        for (int day = 0; day < EVENTS_PARTITIONS; day++) {
            m.partition(events, "day=" + day, List.of(Integer.toString(day)), "s3://old-bucket/events/day=" + day,
                    MetastoreFixture.ORC_IN, MetastoreFixture.ORC_SERDE, Map.of("numRows", Integer.toString(day)));
        }

        m.table(sales, "raw_csv", "EXTERNAL_TABLE", "bob",
                new Storage("hdfs://nn:8020/landing/raw", MetastoreFixture.TEXT_IN, MetastoreFixture.TEXT_OUT, MetastoreFixture.LAZY_SERDE,
                        Map.of("field.delim", ",", "serialization.format", ","),
                        List.of(new Col("line_no", "int", null), new Col("text", "string", null))),
                Map.of("skip.header.line.count", "1"), List.of(), null, null);

        m.table(sales, "orders_eu", "VIRTUAL_VIEW", "alice",
                new Storage(null, null, null, null, Map.of(), List.of(new Col("id", "bigint", null), new Col("amount", "decimal(12,2)", null))),
                Map.of(), List.of(), "select id, amount from orders where region = 'eu'",
                "SELECT `orders`.`id`, `orders`.`amount` FROM `sales`.`orders` WHERE `orders`.`region` = 'eu'");

        m.table(defaultDb, "t_plain", "MANAGED_TABLE", "dave",
                new Storage(WH + "/t_plain", MetastoreFixture.TEXT_IN, MetastoreFixture.TEXT_OUT, MetastoreFixture.LAZY_SERDE, Map.of(),
                        List.of(new Col("a", "INT", null))),
                Map.of(), List.of(), null, null);

        m.function(sales, "my_upper", "com.example.udf.MyUpper", "bob", 1,
                List.<Object[]>of(new Object[] { 1, "hdfs://nn:8020/udf/my-udf.jar" }, new Object[] { 2, "hdfs://nn:8020/udf/dict.txt" }));
        m.function(defaultDb, "legacy_fn", "com.example.udf.Legacy", null, 1, List.<Object[]>of(new Object[] { 3, "s3://other/legacy.tgz" }));

        populateHostile(m);
    }

    /** Catalog {@code hostile}: objects over the bounds the hostile test runs with, and malformed rows. */
    private static void populateHostile(MetastoreFixture m) throws SQLException {
        long evil = m.database("hostile", "evil", null, "hdfs://nn:8020/hostile/evil.db", "mallory", null, Map.of());
        List<Col> wide = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            wide.add(new Col("c" + i, "string", null));
        }
        m.table(evil, "too_wide", "MANAGED_TABLE", "mallory", text("hdfs://nn:8020/hostile/too_wide", wide), Map.of(), List.of(), null,
                null);
        Map<String, String> fat = new LinkedHashMap<>();
        fat.put("huge", "x".repeat(5_000));
        fat.put("small", "ok");
        m.table(evil, "fat_params", "MANAGED_TABLE", "mallory", text("hdfs://nn:8020/hostile/fat", List.of(new Col("a", "int", null))),
                fat, List.of(), null, null);
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            many.put(String.format("p%02d", i), "v" + i);
        }
        m.table(evil, "many_params", "MANAGED_TABLE", "mallory", text("hdfs://nn:8020/hostile/many", List.of(new Col("a", "int", null))),
                many, List.of(), null, null);
        String deep = "array<".repeat(100) + "int" + ">".repeat(100);
        m.table(evil, "odd_types", "MANAGED_TABLE", "mallory", text("hdfs://nn:8020/hostile/odd",
                List.of(new Col("broken", "array<", null), new Col("deep", deep, null), new Col("fine", "ARRAY<INT>", null))),
                Map.of(), List.of(), null, null);
        m.table(evil, "weird_type", "SOMETHING_ELSE", "mallory", text("hdfs://nn:8020/hostile/weird", List.of(new Col("a", "int", null))),
                Map.of(), List.of(), null, null);
        long parted = m.table(evil, "parted", "EXTERNAL_TABLE", "mallory",
                text("hdfs://nn:8020/hostile/parted", List.of(new Col("a", "int", null))), Map.of(),
                List.of(new Col("k1", "string", null), new Col("k2", "string", null)), null, null);
        m.partition(parted, "k1=a/k2=b", List.of("a", "b"), "hdfs://nn:8020/hostile/parted/k1=a/k2=b", MetastoreFixture.TEXT_IN, null,
                Map.of("numRows", "not-a-number"));
        m.partition(parted, "k1=c/k2=missing", List.of("c"), "hdfs://nn:8020/hostile/parted/k1=c", MetastoreFixture.TEXT_IN, null,
                Map.of());
        m.partition(parted, "k1=d/k2=e", List.of("d", "e"), "hdfs://nn:8020/hostile/parted/k1=d/k2=e", MetastoreFixture.TEXT_IN, null,
                Map.of("huge", "y".repeat(5_000), "numFiles", "3"));
        m.function(evil, "bad_fn", "com.example.Bad", "mallory", 1, List.<Object[]>of(new Object[] { 9, "hdfs://nn:8020/x.jar" }));
        m.function(evil, "good_fn", "com.example.Good", "mallory", 1, List.<Object[]>of(new Object[] { 1, "hdfs://nn:8020/good.jar" }));
    }

    private static Storage text(String location, List<Col> columns) {
        return new Storage(location, MetastoreFixture.TEXT_IN, MetastoreFixture.TEXT_OUT, MetastoreFixture.LAZY_SERDE, Map.of(), columns);
    }

    private static MigrationOptions options(Set<SyncObject> objects, Limits limits) {
        return options("hive", objects, limits);
    }

    private static MigrationOptions options(String catalog, Set<SyncObject> objects, Limits limits) {
        return new MigrationOptions(catalog, "lake", objects, RULES, "lake-admin", CatalogChange.Conflict.UPSERT, limits);
    }

    private record Result(MigrationReport report, RecordingSink sink, List<String> log) {
    }

    private static Result migrate(Dialect dialect, MigrationOptions options) throws Exception {
        RecordingSink sink = new RecordingSink();
        List<String> log = new ArrayList<>();
        try (Connection c = metastore(dialect).connect()) {
            MigrationReport report = new HiveMetastoreMigration(options).run(c, ORIGIN, sink, log::add);
            assertTrue(c.getAutoCommit(), "the connection's auto-commit is restored");
            assertFalse(c.isReadOnly(), "the connection's read-only flag is restored");
            return new Result(report, sink, log);
        }
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        return items.stream().collect(Collectors.toMap(name, t -> t));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aWholeCatalogMigratesWithItsSchemasPartitionsAndFunctions(Dialect dialect) throws Exception {
        Result result = migrate(dialect, options(ALL, null));
        MigrationReport report = result.report();
        RecordingSink sink = result.sink();

        assertEquals(HiveMetastores.VERSION, report.schemaVersion());
        assertTrue(report.complete());
        assertEquals(2, report.databases());
        assertEquals(5, report.tables());
        assertEquals(3 + EVENTS_PARTITIONS, report.partitions());
        assertEquals(2, report.functions());
        assertEquals(0, report.skipped());

        // Databases of catalog hive only, named by the target catalog, locations rewritten, default owner applied.
        Map<String, CatalogChange.Database> databases = byName(sink.of(CatalogChange.Database.class), CatalogChange.Database::database);
        assertEquals(Set.of("sales", "default"), databases.keySet());
        CatalogChange.Database sales = databases.get("sales");
        assertEquals("lake", sales.catalog());
        assertEquals(ORIGIN, sales.origin());
        assertEquals(CatalogChange.Conflict.UPSERT, sales.conflict());
        assertEquals("Sales data", sales.description());
        assertEquals("s3://sales/db", sales.location());
        assertEquals("alice", sales.owner());
        assertEquals(Map.of("team", "revenue", "created.by", "etl", HiveMetastoreMigration.MANAGED_LOCATION, "s3://lake/managed/sales.db"),
                sales.parameters());
        CatalogChange.Database defaultDb = databases.get("default");
        assertEquals("s3://lake/warehouse", defaultDb.location());
        assertEquals("lake-admin", defaultDb.owner());
        assertEquals(Map.of(), defaultDb.parameters());

        Map<String, CatalogChange.Table> tables = byName(sink.of(CatalogChange.Table.class), t -> t.database() + "." + t.table());
        assertEquals(Set.of("sales.orders", "sales.events", "sales.raw_csv", "sales.orders_eu", "default.t_plain"), tables.keySet());

        CatalogChange.Table orders = tables.get("sales.orders");
        assertEquals("lake", orders.catalog());
        assertEquals("MANAGED_TABLE", orders.tableType());
        assertEquals("s3://sales/db/orders", orders.location());
        assertEquals("PARQUET", orders.format());
        assertEquals(MetastoreFixture.PARQUET_IN, orders.inputFormat());
        assertEquals(MetastoreFixture.PARQUET_OUT, orders.outputFormat());
        assertEquals(MetastoreFixture.PARQUET_SERDE, orders.serdeLibrary());
        assertEquals(Map.of("serialization.format", "1"), orders.serdeParameters());
        assertEquals(List.of(
                new CatalogChange.Column("id", "bigint", "order id"),
                new CatalogChange.Column("amount", "decimal(12,2)", null),
                new CatalogChange.Column("tags", "array<string>", null),
                new CatalogChange.Column("attrs", "map<string,int>", "free attributes"),
                new CatalogChange.Column("address", "struct<street:string,zip:int,geo:struct<lat:double,lon:double>>", null),
                new CatalogChange.Column("note", "varchar(200)", null),
                new CatalogChange.Column("variant", "uniontype<int,string>", null)), orders.columns());
        assertEquals(List.of(new CatalogChange.Column("dt", "string", "day"), new CatalogChange.Column("region", "string", null)),
                orders.partitionKeys());
        assertEquals("all orders", orders.parameters().get("comment"));
        assertEquals(new CatalogChange.Statistics(12L, 123456L, 1000L), orders.statistics());
        assertEquals("alice", orders.owner());
        // uniontype is Hive syntax CatalogTypes reads: canonicalised like the others, no warning.
        assertEquals(List.of(), orders.warnings());
        assertFalse(orders.mergeSchema());

        CatalogChange.Table eventsTable = tables.get("sales.events");
        assertEquals("EXTERNAL_TABLE", eventsTable.tableType());
        assertEquals("ORC", eventsTable.format());
        assertEquals("s3://new-bucket/events", eventsTable.location());
        assertEquals("lake-admin", eventsTable.owner());
        assertEquals(List.of(new CatalogChange.Column("day", "int", null)), eventsTable.partitionKeys());
        assertNull(eventsTable.statistics());

        CatalogChange.Table csv = tables.get("sales.raw_csv");
        assertEquals("CSV", csv.format());
        assertEquals("hdfs://nn:8020/landing/raw", csv.location(), "no rule matches: the location stays");
        assertEquals(Map.of("field.delim", ",", "serialization.format", ","), csv.serdeParameters());
        assertEquals(MetastoreFixture.LAZY_SERDE, csv.serdeLibrary());

        CatalogChange.Table view = tables.get("sales.orders_eu");
        assertEquals("VIRTUAL_VIEW", view.tableType());
        assertNull(view.location());
        assertNull(view.format());
        assertEquals("select id, amount from orders where region = 'eu'", view.parameters().get(HiveMetastoreMigration.VIEW_ORIGINAL_TEXT));
        assertTrue(view.parameters().get(HiveMetastoreMigration.VIEW_EXPANDED_TEXT).startsWith("SELECT `orders`.`id`"));
        assertEquals(List.of(new CatalogChange.Column("id", "bigint", null), new CatalogChange.Column("amount", "decimal(12,2)", null)),
                view.columns());

        assertEquals(List.of(new CatalogChange.Column("a", "int", null)), tables.get("default.t_plain").columns());

        // Partitions: values in key order, locations rewritten, statistics from their parameters.
        List<CatalogChange.Partition> orderPartitions = sink.partitionsOf("sales", "orders");
        assertEquals(3, orderPartitions.size());
        Map<List<String>, CatalogChange.Partition> byValues = orderPartitions.stream()
                .collect(Collectors.toMap(CatalogChange.Partition::values, p -> p));
        CatalogChange.Partition eu = byValues.get(List.of("2024-01-01", "eu"));
        assertNotNull(eu, byValues.keySet().toString());
        assertEquals("s3://sales/db/orders/dt=2024-01-01/region=eu", eu.location());
        assertEquals(new CatalogChange.Statistics(2L, 2048L, 10L), eu.statistics());
        assertEquals(Map.of("numFiles", "2", "totalSize", "2048", "numRows", "10"), eu.parameters());
        assertTrue(byValues.containsKey(List.of("2024-01-02", "eu")) && byValues.containsKey(List.of("2024-01-01", "us")));

        List<CatalogChange.Partitions> eventBatches = sink.of(CatalogChange.Partitions.class).stream()
                .filter(p -> p.table().equals("events")).toList();
        assertTrue(eventBatches.size() >= 3, "1,203 partitions take at least three events: " + eventBatches.size());
        for (CatalogChange.Partitions batch : eventBatches) {
            assertTrue(batch.partitions().size() <= CatalogChange.MAX_PARTITIONS_PER_EVENT);
            assertEquals("lake", batch.catalog());
            assertEquals(CatalogChange.Conflict.UPSERT, batch.conflict());
        }
        List<CatalogChange.Partition> eventPartitions = sink.partitionsOf("sales", "events");
        assertEquals(EVENTS_PARTITIONS, eventPartitions.size());
        assertEquals(EVENTS_PARTITIONS, eventPartitions.stream().map(CatalogChange.Partition::values).distinct().count());
        for (CatalogChange.Partition p : eventPartitions) {
            String day = p.values().get(0);
            assertEquals("s3://new-bucket/events/day=" + day, p.location());
            assertEquals(Long.parseLong(day), p.statistics().rows());
        }

        // Each table's event comes before its partitions, and each database's before its tables.
        List<Object> changes = sink.changes;
        for (CatalogChange.Partitions batch : sink.of(CatalogChange.Partitions.class)) {
            int table = indexOf(changes, c -> c instanceof CatalogChange.Table t && t.database().equals(batch.database())
                    && t.table().equals(batch.table()));
            assertTrue(table >= 0 && table < changes.indexOf(batch));
        }
        for (CatalogChange.Table table : sink.of(CatalogChange.Table.class)) {
            int database = indexOf(changes, c -> c instanceof CatalogChange.Database d && d.database().equals(table.database()));
            assertTrue(database >= 0 && database < changes.indexOf(table));
        }

        Map<String, CatalogChange.Function> functions = byName(sink.of(CatalogChange.Function.class), CatalogChange.Function::function);
        assertEquals(Set.of("my_upper", "legacy_fn"), functions.keySet());
        CatalogChange.Function upper = functions.get("my_upper");
        assertEquals("sales", upper.database());
        assertEquals("lake", upper.catalog());
        assertEquals("com.example.udf.MyUpper", upper.className());
        assertEquals("JAVA", upper.functionType());
        assertEquals("bob", upper.owner());
        assertEquals(List.of(new CatalogChange.FunctionResource("JAR", "s3://lake/udf/my-udf.jar"),
                new CatalogChange.FunctionResource("FILE", "s3://lake/udf/dict.txt")), upper.resources());
        CatalogChange.Function legacy = functions.get("legacy_fn");
        assertEquals("lake-admin", legacy.owner());
        assertEquals(List.of(new CatalogChange.FunctionResource("ARCHIVE", "s3://other/legacy.tgz")), legacy.resources());

        assertTrue(result.log().get(0).contains("schema " + HiveMetastores.VERSION), result.log().get(0));
        assertTrue(result.log().stream().anyMatch(l -> l.startsWith("database sales: 4 table(s), " + (3 + EVENTS_PARTITIONS)
                + " partition(s), 1 function(s)")), result.log().toString());
    }

    private static int indexOf(List<Object> changes, java.util.function.Predicate<Object> match) {
        for (int i = 0; i < changes.size(); i++) {
            if (match.test(changes.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void syncObjectsChooseTheKindsEmitted(Dialect dialect) throws Exception {
        RecordingSink databasesOnly = migrate(dialect, options(Set.of(SyncObject.DATABASE), null)).sink();
        assertEquals(2, databasesOnly.changes.size());
        assertEquals(2, databasesOnly.of(CatalogChange.Database.class).size());

        RecordingSink tablesOnly = migrate(dialect, options(Set.of(SyncObject.TABLE), null)).sink();
        assertEquals(5, tablesOnly.changes.size());
        assertEquals(5, tablesOnly.of(CatalogChange.Table.class).size());

        RecordingSink tablesAndPartitions = migrate(dialect, options(Set.of(SyncObject.TABLE, SyncObject.PARTITION), null)).sink();
        assertEquals(0, tablesAndPartitions.of(CatalogChange.Database.class).size());
        assertEquals(0, tablesAndPartitions.of(CatalogChange.Function.class).size());
        assertEquals(5, tablesAndPartitions.of(CatalogChange.Table.class).size());
        assertEquals(3 + EVENTS_PARTITIONS, tablesAndPartitions.of(CatalogChange.Partitions.class).stream()
                .mapToInt(p -> p.partitions().size()).sum());

        RecordingSink functionsOnly = migrate(dialect, options(Set.of(SyncObject.FUNCTION), null)).sink();
        assertEquals(2, functionsOnly.changes.size());
        assertEquals(2, functionsOnly.of(CatalogChange.Function.class).size());

        RecordingSink otherCatalog = migrate(dialect, options("SPARK", Set.of(SyncObject.DATABASE), null)).sink();
        assertEquals(List.of("hdfs://nn:8020/spark/sales.db"),
                otherCatalog.of(CatalogChange.Database.class).stream().map(CatalogChange.Database::location).toList());

        HiveMigrationException unknown = assertThrows(HiveMigrationException.class,
                () -> migrate(dialect, options("nope", Set.of(SyncObject.DATABASE), null)));
        assertEquals(HiveMigrationException.Code.UNKNOWN_CATALOG, unknown.code());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aHostileCatalogIsBoundedWithWarningsAndNeverCrashesTheRun(Dialect dialect) throws Exception {
        Limits limits = Limits.defaults().withMaxColumnsPerTable(50).withMaxValueLength(1_000).withMaxParametersPerObject(20);
        Result result = migrate(dialect, options("hostile", ALL, limits));
        MigrationReport report = result.report();
        RecordingSink sink = result.sink();
        assertTrue(report.complete());

        Map<String, CatalogChange.Table> tables = byName(sink.of(CatalogChange.Table.class), CatalogChange.Table::table);
        assertEquals(Set.of("fat_params", "many_params", "odd_types", "parted"), tables.keySet(),
                "the table over the column bound and the one of an unknown type are skipped");
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("too_wide") && w.contains("more than 50 columns")),
                report.warnings().toString());
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("weird_type") && w.contains("unknown table type")));

        CatalogChange.Table fat = tables.get("fat_params");
        assertEquals(Map.of("small", "ok"), fat.parameters());
        assertTrue(fat.warnings().stream().anyMatch(w -> w.contains("'huge'") && w.contains("longer than 1000")), fat.warnings().toString());

        CatalogChange.Table many = tables.get("many_params");
        assertEquals(20, many.parameters().size());
        assertTrue(many.parameters().containsKey("p00") && many.parameters().containsKey("p19") && !many.parameters().containsKey("p20"));
        assertTrue(many.warnings().stream().anyMatch(w -> w.contains("more than 20 parameters")), many.warnings().toString());

        CatalogChange.Table odd = tables.get("odd_types");
        assertEquals(List.of("array<", "array<".repeat(100) + "int" + ">".repeat(100), "array<int>"),
                odd.columns().stream().map(CatalogChange.Column::type).toList(), "unparsable types are kept as written");
        assertEquals(2, odd.warnings().size(), odd.warnings().toString());

        List<CatalogChange.Partition> parted = sink.partitionsOf("evil", "parted");
        assertEquals(List.of(List.of("a", "b"), List.of("d", "e")), parted.stream().map(CatalogChange.Partition::values).sorted(
                (x, y) -> x.toString().compareTo(y.toString())).toList(), "the partition without a value for each key is skipped");
        CatalogChange.Partition de = parted.stream().filter(p -> p.values().get(0).equals("d")).findFirst().orElseThrow();
        assertEquals(Map.of("numFiles", "3"), de.parameters());
        assertEquals(new CatalogChange.Statistics(3L, null, null), de.statistics());
        CatalogChange.Partition ab = parted.stream().filter(p -> p.values().get(0).equals("a")).findFirst().orElseThrow();
        assertNull(ab.statistics(), "numRows is not a number");
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("k1=c/k2=missing") && w.contains("skipped")));

        assertEquals(List.of("good_fn"), sink.of(CatalogChange.Function.class).stream().map(CatalogChange.Function::function).toList());
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("bad_fn") && w.contains("unknown type 9")));

        assertEquals(4, report.skipped(), report.warnings().toString());
        assertEquals(report.warningCount(), report.warnings().size());
        assertTrue(result.log().stream().anyMatch(l -> l.startsWith("warning: ") && l.contains("too_wide")));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void runWideBoundsStopTheRunAndSayWhy(Dialect dialect) throws Exception {
        MigrationReport tables = migrate(dialect, options(ALL, Limits.defaults().withMaxTables(2))).report();
        assertFalse(tables.complete());
        assertEquals(2, tables.tables());
        assertTrue(tables.stoppedBy().contains("maxTables"), tables.stoppedBy());

        Result partitions = migrate(dialect, options(Set.of(SyncObject.TABLE, SyncObject.PARTITION),
                Limits.defaults().withMaxPartitions(700)));
        assertFalse(partitions.report().complete());
        assertEquals(700, partitions.report().partitions());
        assertEquals(700, partitions.sink().of(CatalogChange.Partitions.class).stream().mapToInt(p -> p.partitions().size()).sum(),
                "the partitions up to the bound are emitted");
        assertTrue(partitions.log().stream().anyMatch(l -> l.startsWith("stopped: ") && l.contains("maxPartitions")));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void partitionBatchesAreCutToStayBelowTheEventBound(Dialect dialect) throws Exception {
        Limits limits = Limits.defaults().withMaxPartitionChars(1_000).withMaxEventChars(20_000);
        RecordingSink sink = migrate(dialect, options(Set.of(SyncObject.TABLE, SyncObject.PARTITION), limits)).sink();
        List<CatalogChange.Partitions> batches = sink.of(CatalogChange.Partitions.class).stream()
                .filter(p -> p.table().equals("events")).toList();
        assertEquals(EVENTS_PARTITIONS, batches.stream().mapToInt(p -> p.partitions().size()).sum());
        assertTrue(batches.size() > 5, "small events need more batches than 500 partitions each would: " + batches.size());
        for (CatalogChange.Partitions batch : batches) {
            long chars = batch.partitions().stream().mapToLong(p -> p.location().length() + p.values().get(0).length() + 64).sum();
            assertTrue(chars < 20_000, "a batch of " + chars + " characters");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aCancelStopsTheRunBetweenBatches(Dialect dialect) throws Exception {
        RecordingSink sink = new RecordingSink() {
            @Override
            public void partitions(CatalogChange.Partitions partitions) {
                super.partitions(partitions);
                Thread.currentThread().interrupt();
            }
        };
        try (Connection c = metastore(dialect).connect()) {
            HiveMetastoreMigration migration = new HiveMetastoreMigration(options(ALL, null));
            assertThrows(InterruptedException.class, () -> migration.run(c, ORIGIN, sink, line -> {
            }));
            assertFalse(Thread.interrupted(), "the interrupt was consumed by the InterruptedException");
            assertTrue(c.getAutoCommit());
        }
        assertEquals(1, sink.of(CatalogChange.Partitions.class).size());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theMetastoreIsReadInAReadOnlyRepeatableReadTransaction(Dialect dialect) throws Exception {
        SQLException[] refused = new SQLException[1];
        String[] session = new String[2];
        try (Connection c = metastore(dialect).connect()) {
            RecordingSink sink = new RecordingSink() {
                @Override
                public void database(CatalogChange.Database database) {
                    String flags = dialect == Dialect.POSTGRESQL
                            ? "SELECT current_setting('transaction_read_only'), current_setting('transaction_isolation')"
                            : "SELECT @@session.transaction_read_only, @@session.transaction_isolation";
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(flags)) {
                        rs.next();
                        session[0] = rs.getString(1);
                        session[1] = rs.getString(2);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate(dialect.sql("UPDATE \"DBS\" SET \"DESC\" = 'changed'"));
                    } catch (SQLException e) {
                        refused[0] = e;
                    }
                    throw new IllegalStateException("stop here");
                }
            };
            assertThrows(IllegalStateException.class, () -> new HiveMetastoreMigration(options(ALL, null)).run(c, ORIGIN, sink, l -> {
            }));
            assertTrue(c.getAutoCommit());
            assertFalse(c.isReadOnly());
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(dialect.sql("SELECT count(*) FROM \"DBS\" WHERE \"DESC\" = 'changed'"))) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
        // The server holds the session read-only (the driver may refuse a write even before it).
        assertTrue(Set.of("on", "1").contains(session[0]), "transaction_read_only = " + session[0]);
        assertTrue(Set.of("repeatable read", "REPEATABLE-READ").contains(session[1]), "isolation " + session[1]);
        assertNotNull(refused[0], "a write on the migration's connection is refused");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aDatabaseWithoutTheHiveSchemaIsRefused(Dialect dialect) throws Exception {
        Metastore empty = dialect == Dialect.POSTGRESQL ? HiveMetastores.postgres("hive_not_a_metastore", true)
                : HiveMetastores.mysql("hive_not_a_metastore", true);
        try (Connection c = empty.connect()) {
            HiveMigrationException e = assertThrows(HiveMigrationException.class,
                    () -> new HiveMetastoreMigration(options(ALL, null)).run(c, ORIGIN, new RecordingSink(), l -> {
                    }));
            assertEquals(HiveMigrationException.Code.NOT_A_HIVE_METASTORE, e.code());
        }
    }
}
