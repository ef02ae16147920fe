package io.jobplane.harvester.readmodel.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogChange.Column;
import io.jobplane.events.payload.catalog.CatalogChange.Conflict;
import io.jobplane.events.payload.catalog.CatalogTypes;
import io.jobplane.harvester.readmodel.catalog.CatalogRows.DatabaseRow;
import io.jobplane.harvester.readmodel.catalog.CatalogRows.FunctionRow;
import io.jobplane.harvester.readmodel.catalog.CatalogRows.Key;
import io.jobplane.harvester.readmodel.catalog.CatalogRows.TableRow;

/**
 * How a change meets what the catalog holds (docs/events.md, "Catalog changes"), as pure functions:
 * the row a change makes of the stored one, whether that adds, changes or leaves it (or, an
 * {@code UPDATE} of nothing, skips it), and how a table's columns compare.
 */
public final class CatalogFold {

    /** What applying a change did to one object. */
    public enum Outcome {
        ADDED, CHANGED, UNCHANGED, SKIPPED;

        /** True when the object's row is to be written. */
        public boolean writes() {
            return this == ADDED || this == CHANGED;
        }
    }

    private CatalogFold() {
    }

    /**
     * {@code INSERT} creates when absent and leaves an existing object; {@code UPDATE} changes when present
     * and creates nothing; {@code UPSERT} does either. A change equal to what is stored is no change.
     */
    public static Outcome outcome(Object stored, Object incoming, Conflict conflict) {
        if (stored == null) {
            return conflict == Conflict.UPDATE ? Outcome.SKIPPED : Outcome.ADDED;
        }
        if (conflict == Conflict.INSERT || stored.equals(incoming)) {
            return Outcome.UNCHANGED;
        }
        return Outcome.CHANGED;
    }

    public static DatabaseRow database(CatalogChange.Database d) {
        return new DatabaseRow(Key.of(d.origin().workspace(), d.catalog(), d.database(), null), d.catalog(), d.database(),
                d.description(), d.location(), d.owner(), d.parameters());
    }

    public static FunctionRow function(CatalogChange.Function f) {
        return new FunctionRow(Key.of(f.origin().workspace(), f.catalog(), f.database(), f.function()), f.catalog(),
                f.database(), f.function(), f.className(), f.owner(), f.functionType(), f.resources());
    }

    public static Key key(CatalogChange.Table t) {
        return Key.of(t.origin().workspace(), t.catalog(), t.database(), t.table());
    }

    /**
     * The row a table change makes of the stored one (null when there is none). With {@code merge_schema}
     * the columns widen the stored columns ({@link CatalogTypes#mergeColumns}) and the stored warnings are
     * kept beside the new ones (an incremental scan still stands by what the earlier scans found);
     * otherwise columns and warnings are the change's. The schema version moves on when the columns or
     * partition keys differ from the stored ones.
     */
    public static TableRow table(CatalogChange.Table t, TableRow stored) {
        List<Column> columns = t.columns();
        List<String> warnings = new ArrayList<>(t.warnings());
        if (t.mergeSchema() && stored != null) {
            List<String> mergeWarnings = new ArrayList<>();
            columns = merge(stored.columns(), t.columns(), mergeWarnings);
            LinkedHashSet<String> all = new LinkedHashSet<>(stored.warnings());
            all.addAll(t.warnings());
            all.addAll(mergeWarnings);
            warnings = new ArrayList<>(all);
        } else if (t.mergeSchema()) {
            List<String> mergeWarnings = new ArrayList<>();
            columns = merge(List.of(), t.columns(), mergeWarnings);
            warnings.addAll(mergeWarnings);
        }
        warnings = List.copyOf(warnings.stream().distinct().limit(CatalogEvent.MAX_WARNINGS).toList());
        TableRow row = new TableRow(key(t), t.catalog(), t.database(), t.table(), t.tableType(), t.location(), t.format(),
                t.inputFormat(), t.outputFormat(), t.serdeLibrary(), t.serdeParameters(), List.copyOf(columns),
                t.partitionKeys(), t.parameters(), t.owner(), t.statistics(), warnings, 1);
        if (stored == null) {
            return row;
        }
        int version = row.schemaDiffers(stored) ? stored.schemaVersion() + 1 : stored.schemaVersion();
        return withVersion(row, version);
    }

    static TableRow withVersion(TableRow r, int version) {
        return new TableRow(r.key(), r.catalogName(), r.databaseName(), r.tableName(), r.tableType(), r.location(),
                r.format(), r.inputFormat(), r.outputFormat(), r.serdeLibrary(), r.serdeParameters(), r.columns(),
                r.partitionKeys(), r.parameters(), r.owner(), r.statistics(), r.warnings(), version);
    }

    /**
     * {@link CatalogTypes#mergeColumns}; a stored type that is not Hive's syntax (a table written without
     * {@code merge_schema} may hold any type text) meets an incoming one as equal when spelt alike
     * (ignoring case), and as {@code string} with a warning otherwise.
     */
    static List<Column> merge(List<Column> stored, List<Column> incoming, List<String> warnings) {
        try {
            return CatalogTypes.mergeColumns(stored, incoming, warnings);
        } catch (IllegalArgumentException unparsable) {
            Map<String, Column> merged = new LinkedHashMap<>();
            stored.forEach(c -> merged.putIfAbsent(c.name().toLowerCase(Locale.ROOT), c));
            for (Column c : incoming) {
                String key = c.name().toLowerCase(Locale.ROOT);
                Column known = merged.get(key);
                if (known == null) {
                    merged.put(key, c);
                    continue;
                }
                String comment = known.comment() != null ? known.comment() : c.comment();
                String type;
                try {
                    CatalogTypes.Widened widened = CatalogTypes.widen(known.type(), c.type());
                    type = widened.type();
                    if (widened.conflict()) {
                        warnings.add(conflict(known.name(), known.type(), c.type()));
                    }
                } catch (IllegalArgumentException e) {
                    if (known.type().trim().equalsIgnoreCase(c.type().trim())) {
                        type = known.type();
                    } else {
                        type = "string";
                        warnings.add(conflict(known.name(), known.type(), c.type()));
                    }
                }
                merged.put(key, new Column(known.name(), type, comment));
            }
            return new ArrayList<>(merged.values());
        }
    }

    private static String conflict(String column, String a, String b) {
        return "column '" + column + "' is " + a + " in some files and " + b + " in others: typed string";
    }

    /**
     * How a table's columns moved: matched by name ignoring case, a column not stored before is added,
     * one whose type (ignoring case and spaces), comment or spelling differs is changed, the others
     * unchanged. Columns that are no longer there are not counted.
     */
    public static void countColumns(List<Column> before, List<Column> after, CatalogCounts.Counts counts) {
        Map<String, Column> old = new LinkedHashMap<>();
        if (before != null) {
            before.forEach(c -> old.putIfAbsent(c.name().toLowerCase(Locale.ROOT), c));
        }
        for (Column c : after) {
            Column was = old.get(c.name().toLowerCase(Locale.ROOT));
            if (was == null) {
                counts.added++;
            } else if (!typeText(was.type()).equals(typeText(c.type())) || !Objects.equals(was.comment(), c.comment())
                    || !was.name().equals(c.name())) {
                counts.changed++;
            } else {
                counts.unchanged++;
            }
        }
    }

    private static String typeText(String type) {
        return type.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
