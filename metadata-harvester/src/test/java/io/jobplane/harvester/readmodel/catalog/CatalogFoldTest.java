package io.jobplane.harvester.readmodel.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogChange.Column;
import io.jobplane.events.payload.catalog.CatalogChange.Conflict;
import io.jobplane.harvester.readmodel.catalog.CatalogFold.Outcome;
import io.jobplane.harvester.readmodel.catalog.CatalogRows.TableRow;

class CatalogFoldTest {

    private static final CatalogChange.Origin ORIGIN = new CatalogChange.Origin("ws", "job", "run-1", 1, Instant.EPOCH);

    @Test
    void conflictStrategiesDecideWhatAChangeDoes() {
        assertEquals(Outcome.ADDED, CatalogFold.outcome(null, "a", Conflict.INSERT));
        assertEquals(Outcome.ADDED, CatalogFold.outcome(null, "a", Conflict.UPSERT));
        assertEquals(Outcome.SKIPPED, CatalogFold.outcome(null, "a", Conflict.UPDATE));
        assertEquals(Outcome.UNCHANGED, CatalogFold.outcome("a", "b", Conflict.INSERT), "INSERT leaves an existing object");
        assertEquals(Outcome.CHANGED, CatalogFold.outcome("a", "b", Conflict.UPDATE));
        assertEquals(Outcome.CHANGED, CatalogFold.outcome("a", "b", Conflict.UPSERT));
        assertEquals(Outcome.UNCHANGED, CatalogFold.outcome("a", "a", Conflict.UPSERT), "an equal change is no change");
        assertEquals(Outcome.UNCHANGED, CatalogFold.outcome("a", "a", Conflict.UPDATE));
    }

    @Test
    void anEqualTableChangeGivesAnEqualRowAndKeepsTheSchemaVersion() {
        TableRow first = CatalogFold.table(table("Orders", cols("id:int", "name:string"), false, List.of()), null);
        assertEquals(1, first.schemaVersion());
        TableRow again = CatalogFold.table(table("Orders", cols("id:int", "name:string"), false, List.of()), first);
        assertEquals(first, again);
        assertEquals(Outcome.UNCHANGED, CatalogFold.outcome(first, again, Conflict.UPSERT));
    }

    @Test
    void aNewSchemaVersionOnlyWhenColumnsOrPartitionKeysChange() {
        TableRow v1 = CatalogFold.table(table("t", cols("id:int"), false, List.of()), null);
        CatalogChange.Table moved = new CatalogChange.Table(ORIGIN, Conflict.UPSERT, "hive", "db", "t", "EXTERNAL_TABLE",
                "s3://elsewhere/t", "PARQUET", null, null, null, Map.of(), cols("id:int"), List.of(), Map.of(), null,
                new CatalogChange.Statistics(1L, 2L, 3L), List.of(), false);
        TableRow located = CatalogFold.table(moved, v1);
        assertNotEquals(v1, located, "a new location is a change");
        assertEquals(1, located.schemaVersion(), "but not a new schema");
        TableRow v2 = CatalogFold.table(table("t", cols("id:bigint"), false, List.of()), located);
        assertEquals(2, v2.schemaVersion());
    }

    @Test
    void mergeSchemaWidensTheStoredColumnsAndKeepsItsWarningsSoApplyingItAgainChangesNothing() {
        TableRow stored = CatalogFold.table(table("t", cols("id:int", "amount:int", "code:int"), false, List.of()), null);
        CatalogChange.Table incremental = table("t", cols("ID:bigint", "amount:decimal(10,2)", "code:string", "extra:date"),
                true, List.of());
        TableRow merged = CatalogFold.table(incremental, stored);
        assertEquals(List.of(new Column("id", "bigint", null), new Column("amount", "decimal(12,2)", null),
                new Column("code", "string", null), new Column("extra", "date", null)), merged.columns());
        assertEquals(List.of("column 'code' is int in some files and string in others: typed string"), merged.warnings());
        assertEquals(2, merged.schemaVersion());
        assertEquals(merged, CatalogFold.table(incremental, merged), "merging the same files again changes nothing");
    }

    @Test
    void aStoredTypeOutsideHiveSyntaxMeetsAMergeAsStringWithAWarning() {
        TableRow stored = CatalogFold.table(table("t", cols("u:uniontype<int,string>", "v:uniontype<int,string>"), false,
                List.of()), null);
        TableRow merged = CatalogFold.table(table("t", cols("u:int", "w:int"), true, List.of()), stored);
        assertEquals(List.of(new Column("u", "string", null), new Column("v", "uniontype<int,string>", null),
                new Column("w", "int", null)), merged.columns());
        assertEquals(1, merged.warnings().size());
    }

    @Test
    void columnsCountAddedChangedAndUnchangedByNameIgnoringCase() {
        CatalogCounts.Counts c = new CatalogCounts.Counts();
        CatalogFold.countColumns(cols("id:int", "name:string", "gone:int"), cols("ID:INT", "name:varchar(10)", "new:int"), c);
        assertEquals(1, c.added);
        assertEquals(2, c.changed, "a new spelling and a new type are changes");
        assertEquals(0, c.unchanged);
        CatalogCounts.Counts same = new CatalogCounts.Counts();
        CatalogFold.countColumns(cols("id:int", "name:string"), cols("id:int", "name : string".replace(" ", "")), same);
        assertEquals(2, same.unchanged);
        CatalogCounts.Counts fresh = new CatalogCounts.Counts();
        CatalogFold.countColumns(null, cols("a:int", "b:int"), fresh);
        assertEquals(2, fresh.added);
    }

    @Test
    void setBasedWritesAreCountedPerConflictStrategy() {
        CatalogCounts.Counts upsert = new CatalogCounts.Counts();
        // 10 sent, 9 valid, 6 stored before, 5 rows written (3 new, 2 changed): 4 stored equal.
        CatalogCounts.countWrite(upsert, Conflict.UPSERT, 10, 9, 6, 5, 0);
        assertEquals(List.of(3L, 2L, 4L, 1L), List.of(upsert.added, upsert.changed, upsert.unchanged, upsert.skipped));
        CatalogCounts.Counts insert = new CatalogCounts.Counts();
        CatalogCounts.countWrite(insert, Conflict.INSERT, 10, 10, 6, 4, 0);
        assertEquals(List.of(4L, 0L, 6L, 0L), List.of(insert.added, insert.changed, insert.unchanged, insert.skipped));
        CatalogCounts.Counts update = new CatalogCounts.Counts();
        CatalogCounts.countWrite(update, Conflict.UPDATE, 10, 10, 6, 2, 0);
        assertEquals(List.of(0L, 2L, 4L, 4L), List.of(update.added, update.changed, update.unchanged, update.skipped));
    }

    private static CatalogChange.Table table(String name, List<Column> columns, boolean merge, List<String> warnings) {
        return new CatalogChange.Table(ORIGIN, Conflict.UPSERT, "hive", "db", name, "EXTERNAL_TABLE", "s3://b/" + name, "PARQUET",
                null, null, null, Map.of(), columns, List.of(), Map.of(), null, new CatalogChange.Statistics(null, null, null),
                warnings, merge);
    }

    static List<Column> cols(String... specs) {
        List<Column> out = new ArrayList<>();
        for (String s : specs) {
            int colon = s.indexOf(':');
            out.add(new Column(s.substring(0, colon), s.substring(colon + 1), null));
        }
        assertTrue(out.size() == specs.length);
        return out;
    }
}
