package io.jobplane.harvester.readmodel.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jobplane.events.payload.catalog.CatalogChange.Column;
import io.jobplane.events.payload.catalog.CatalogChange.FunctionResource;
import io.jobplane.events.payload.catalog.CatalogChange.Statistics;

/**
 * The catalog's objects as the read model stores them, without their times and last run: two rows are
 * equal exactly when applying one over the other would change nothing.
 */
public final class CatalogRows {

    private CatalogRows() {
    }

    /** Where an object is: its workspace and lower-cased catalog, database and (for tables and functions) name. */
    public record Key(String workspace, String catalog, String database, String name) implements Comparable<Key> {

        public static Key of(String workspace, String catalog, String database, String name) {
            return new Key(workspace, lower(catalog), lower(database), name == null ? "" : lower(name));
        }

        @Override
        public int compareTo(Key o) {
            int c = workspace.compareTo(o.workspace);
            c = c != 0 ? c : catalog.compareTo(o.catalog);
            c = c != 0 ? c : database.compareTo(o.database);
            return c != 0 ? c : name.compareTo(o.name);
        }

        /** The database this object is in. */
        public Key parent() {
            return new Key(workspace, catalog, database, "");
        }
    }

    public static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public record DatabaseRow(Key key, String catalogName, String databaseName, String description, String location,
            String owner, Map<String, String> parameters) {
    }

    public record TableRow(Key key, String catalogName, String databaseName, String tableName, String tableType,
            String location, String format, String inputFormat, String outputFormat, String serdeLibrary,
            Map<String, String> serdeParameters, List<Column> columns, List<Column> partitionKeys,
            Map<String, String> parameters, String owner, Statistics statistics, List<String> warnings, int schemaVersion) {

        /** True when the columns or partition keys differ: a new schema version. */
        public boolean schemaDiffers(TableRow other) {
            return !columns.equals(other.columns) || !partitionKeys.equals(other.partitionKeys);
        }
    }

    public record FunctionRow(Key key, String catalogName, String databaseName, String functionName, String className,
            String owner, String functionType, List<FunctionResource> resources) {
    }
}
