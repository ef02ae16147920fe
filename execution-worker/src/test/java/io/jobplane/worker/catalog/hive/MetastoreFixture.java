package io.jobplane.worker.catalog.hive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * Writes metastore rows the way Hive's metastore (DataNucleus) lays them out in its schema: DBS with
 * DATABASE_PARAMS; TBLS over an SDS row, whose CDS/COLUMNS_V2 hold the columns and SERDES/SERDE_PARAMS
 * the SerDe; TABLE_PARAMS, PARTITION_KEYS; PARTITIONS over their own SDS rows with PARTITION_KEY_VALS
 * and PARTITION_PARAMS; FUNCS with FUNC_RU. Ids are handed out from one counter.
 */
final class MetastoreFixture {

    static final String PARQUET_IN = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    static final String PARQUET_OUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    static final String ORC_IN = "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat";
    static final String ORC_OUT = "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat";
    static final String ORC_SERDE = "org.apache.hadoop.hive.ql.io.orc.OrcSerde";
    static final String TEXT_IN = "org.apache.hadoop.mapred.TextInputFormat";
    static final String TEXT_OUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
    static final String LAZY_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";

    /** A column or partition key: name, type as Hive stores it, comment. */
    record Col(String name, String type, String comment) {
    }

    /** A storage descriptor to write. */
    record Storage(String location, String inputFormat, String outputFormat, String serde, Map<String, String> serdeParameters,
            List<Col> columns) {
    }

    private final Connection connection;
    private final HiveMetastoreMigration.Dialect dialect;
    private long ids;

    MetastoreFixture(Connection connection, HiveMetastoreMigration.Dialect dialect, long firstId) {
        this.connection = connection;
        this.dialect = dialect;
        this.ids = firstId;
    }

    long nextId() {
        return ids++;
    }

    void catalog(long id, String name, String location) throws SQLException {
        insert("CTLGS", List.of("CTLG_ID", "NAME", "DESC", "LOCATION_URI", "CREATE_TIME"), id, name, "catalog " + name, location,
                1_700_000_000L);
    }

    long database(String catalog, String name, String description, String location, String owner, String managedLocation,
            Map<String, String> parameters) throws SQLException {
        long id = nextId();
        insert("DBS", List.of("DB_ID", "DESC", "DB_LOCATION_URI", "NAME", "OWNER_NAME", "OWNER_TYPE", "CTLG_NAME", "CREATE_TIME",
                "DB_MANAGED_LOCATION_URI"), id, description, location, name, owner, owner == null ? null : "USER", catalog,
                1_700_000_000, managedLocation);
        parameters("DATABASE_PARAMS", "DB_ID", id, parameters);
        return id;
    }

    /** An SDS row (with its CDS, COLUMNS_V2, SERDES, SERDE_PARAMS); returns its id. */
    long storage(Storage storage) throws SQLException {
        Long cd = null;
        if (storage.columns() != null) {
            cd = nextId();
            insert("CDS", List.of("CD_ID"), cd);
            int index = 0;
            for (Col column : storage.columns()) {
                insert("COLUMNS_V2", List.of("CD_ID", "COMMENT", "COLUMN_NAME", "TYPE_NAME", "INTEGER_IDX"), cd, column.comment(),
                        column.name(), column.type(), index++);
            }
        }
        Long serde = null;
        if (storage.serde() != null) {
            serde = nextId();
            insert("SERDES", List.of("SERDE_ID", "NAME", "SLIB"), serde, null, storage.serde());
            parameters("SERDE_PARAMS", "SERDE_ID", serde, storage.serdeParameters());
        }
        long sd = nextId();
        insert("SDS", List.of("SD_ID", "INPUT_FORMAT", "IS_COMPRESSED", "LOCATION", "NUM_BUCKETS", "OUTPUT_FORMAT", "SERDE_ID", "CD_ID",
                "IS_STOREDASSUBDIRECTORIES"), sd, storage.inputFormat(), false, storage.location(), -1, storage.outputFormat(), serde, cd,
                false);
        return sd;
    }

    long table(long databaseId, String name, String type, String owner, Storage storage, Map<String, String> parameters,
            List<Col> partitionKeys, String viewOriginal, String viewExpanded) throws SQLException {
        long sd = storage(storage);
        long id = nextId();
        insert("TBLS", List.of("TBL_ID", "CREATE_TIME", "DB_ID", "LAST_ACCESS_TIME", "OWNER", "OWNER_TYPE", "RETENTION", "SD_ID",
                "TBL_NAME", "TBL_TYPE", "VIEW_EXPANDED_TEXT", "VIEW_ORIGINAL_TEXT"), id, 1_700_000_000, databaseId, 0, owner,
                owner == null ? null : "USER", 0, sd, name, type, viewExpanded, viewOriginal);
        parameters("TABLE_PARAMS", "TBL_ID", id, parameters);
        int index = 0;
        for (Col key : partitionKeys) {
            insert("PARTITION_KEYS", List.of("TBL_ID", "PKEY_COMMENT", "PKEY_NAME", "PKEY_TYPE", "INTEGER_IDX"), id, key.comment(),
                    key.name(), key.type(), index++);
        }
        return id;
    }

    /** A partition with its own SDS row (no columns of its own, as Hive shares the table's). */
    long partition(long tableId, String name, List<String> values, String location, String inputFormat, String serde,
            Map<String, String> parameters) throws SQLException {
        long sd = storage(new Storage(location, inputFormat, null, serde, Map.of(), null));
        long id = nextId();
        insert("PARTITIONS", List.of("PART_ID", "CREATE_TIME", "LAST_ACCESS_TIME", "PART_NAME", "SD_ID", "TBL_ID"), id,
                1_700_000_000, 0, name, sd, tableId);
        int index = 0;
        for (String value : values) {
            insert("PARTITION_KEY_VALS", List.of("PART_ID", "PART_KEY_VAL", "INTEGER_IDX"), id, value, index++);
        }
        parameters("PARTITION_PARAMS", "PART_ID", id, parameters);
        return id;
    }

    /** A function; each resource is {type (1 JAR, 2 FILE, 3 ARCHIVE), uri}. */
    long function(long databaseId, String name, String className, String owner, int functionType, List<Object[]> resources)
            throws SQLException {
        long id = nextId();
        insert("FUNCS", List.of("FUNC_ID", "CLASS_NAME", "CREATE_TIME", "DB_ID", "FUNC_NAME", "FUNC_TYPE", "OWNER_NAME", "OWNER_TYPE"),
                id, className, 1_700_000_000, databaseId, name, functionType, owner, owner == null ? null : "USER");
        int index = 0;
        for (Object[] resource : resources) {
            insert("FUNC_RU", List.of("FUNC_ID", "RESOURCE_TYPE", "RESOURCE_URI", "INTEGER_IDX"), id, resource[0], resource[1], index++);
        }
        return id;
    }

    void parameters(String table, String idColumn, long id, Map<String, String> parameters) throws SQLException {
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            insert(table, List.of(idColumn, "PARAM_KEY", "PARAM_VALUE"), id, e.getKey(), e.getValue());
        }
    }

    void insert(String table, List<String> columns, Object... values) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO \"").append(table).append("\" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('"').append(columns.get(i)).append('"');
        }
        sql.append(") VALUES (").append("?, ".repeat(columns.size() - 1)).append("?)");
        try (PreparedStatement s = connection.prepareStatement(dialect.sql(sql.toString()))) {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                if (value == null) {
                    s.setNull(i + 1, Types.OTHER);
                } else if (value instanceof Boolean b) {
                    s.setBoolean(i + 1, b);
                } else if (value instanceof Integer n) {
                    s.setInt(i + 1, n);
                } else if (value instanceof Long n) {
                    s.setLong(i + 1, n);
                } else {
                    s.setString(i + 1, value.toString());
                }
            }
            s.executeUpdate();
        }
    }
}
