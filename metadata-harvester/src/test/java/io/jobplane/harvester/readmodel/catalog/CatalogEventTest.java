package io.jobplane.harvester.readmodel.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogChange.Conflict;
import io.jobplane.events.payload.catalog.CatalogChange.Partition;

class CatalogEventTest {

    private static final CatalogChange.Origin ORIGIN = new CatalogChange.Origin("ws", "job", "run-1", 1, Instant.EPOCH);

    @Test
    void aTableEventIsReadThroughTheCodecWithItsIdAndRun() {
        CatalogChange.Table t = new CatalogChange.Table(ORIGIN, Conflict.UPSERT, "Hive", "Sales", "Orders", "EXTERNAL_TABLE",
                "s3://b/o", "PARQUET", null, null, null, null, CatalogFoldTest.cols("id:int"), null, null, null, null, null, true);
        CloudEvent event = EventCodec.decode(EventCodec.encode(CloudEvent.of("/t", EventTypes.CATALOG_TABLE,
                CatalogChange.key("ws", "Hive", "Sales", "Orders"), t)));
        CatalogEvent read = CatalogEvent.read(event);
        assertEquals(event.id(), read.id());
        assertEquals(new CatalogEvent.RunKey("ws", "run-1", 1), read.run());
        CatalogChange.Table table = (CatalogChange.Table) read.change();
        assertTrue(table.mergeSchema());
        assertEquals(Map.of(), table.parameters(), "absent maps are empty");
        assertEquals(List.of(), table.partitionKeys(), "absent lists are empty");
        assertEquals(new CatalogChange.Statistics(null, null, null), table.statistics());
    }

    @Test
    void otherTypesAreIgnored() {
        assertNull(CatalogEvent.read(CloudEvent.of("/t", EventTypes.RUN_LOG, "x", Map.of("a", 1))));
        assertNull(CatalogEvent.read(CloudEvent.of("/t", "jobplane.catalog.something.new", "x", Map.of("a", 1))));
    }

    @Test
    void malformedChangesAreRefused() {
        assertThrows(MalformedEventException.class, () -> CatalogEvent.database(new CatalogChange.Database(null,
                Conflict.UPSERT, "hive", "db", null, null, null, null)), "no origin");
        assertThrows(MalformedEventException.class, () -> CatalogEvent.database(new CatalogChange.Database(ORIGIN,
                null, "hive", "db", null, null, null, null)), "no conflict");
        assertThrows(MalformedEventException.class, () -> CatalogEvent.database(new CatalogChange.Database(ORIGIN,
                Conflict.UPSERT, "hive", " ", null, null, null, null)), "a blank name");
        assertThrows(MalformedEventException.class, () -> CatalogEvent.database(new CatalogChange.Database(ORIGIN,
                Conflict.UPSERT, "hive", "x".repeat(CatalogEvent.MAX_NAME + 1), null, null, null, null)), "a long name");
        assertThrows(MalformedEventException.class, () -> CatalogEvent.database(new CatalogChange.Database(ORIGIN,
                Conflict.UPSERT, "hive", "d\u0000b", null, null, null, null)), "a NUL");
        assertThrows(MalformedEventException.class, () -> CatalogEvent.table(new CatalogChange.Table(ORIGIN, Conflict.UPSERT,
                "hive", "db", "t", null, null, null, null, null, null, null, CatalogFoldTest.cols("a:int", "A:int"), null, null,
                null, null, null, false)), "a column named twice");
        assertThrows(MalformedEventException.class, () -> CatalogEvent.table(new CatalogChange.Table(ORIGIN, Conflict.UPSERT,
                "hive", "db", "t", null, null, null, null, null, null, null, CatalogFoldTest.cols("a:nonsense<"), null, null,
                null, null, null, true)), "merge_schema with a type that is not Hive's");
        assertThrows(MalformedEventException.class, () -> CatalogEvent.platformRecords(new CatalogChange.PlatformRecords(ORIGIN,
                "src", "jobs", null, List.of(new CatalogChange.PlatformRecord("1", "[1,2]")))), "a record that is no object");
        List<Partition> many = new ArrayList<>();
        for (int i = 0; i <= CatalogChange.MAX_PARTITIONS_PER_EVENT; i++) {
            many.add(new Partition(List.of("p" + i), null, null, null));
        }
        assertThrows(MalformedEventException.class, () -> CatalogEvent.partitions(new CatalogChange.Partitions(ORIGIN,
                Conflict.UPSERT, "hive", "db", "t", many)), "too many partitions");
        assertThrows(MalformedEventException.class, () -> CatalogEvent.partitions(new CatalogChange.Partitions(ORIGIN,
                Conflict.UPSERT, "hive", "db", "t", List.of(new Partition(java.util.Arrays.asList("a", null), null, null, null)))),
                "a null value");
    }

    @Test
    void aPartitionNamedTwiceInOneEventKeepsItsLastState() {
        CatalogChange.Partitions p = CatalogEvent.partitions(new CatalogChange.Partitions(ORIGIN, Conflict.UPSERT, "hive", "db",
                "t", List.of(new Partition(List.of("2026", "01"), "s3://old", null, null),
                        new Partition(List.of("2026", "02"), "s3://b", null, null),
                        new Partition(List.of("2026", "01"), "s3://new", null, null))));
        assertEquals(List.of("s3://b", "s3://new"), p.partitions().stream().map(Partition::location).toList());
    }

    @Test
    void platformKindsAreLowerCasedAndRecordsKeepTheirJson() {
        CatalogChange.PlatformRecords r = CatalogEvent.platformRecords(new CatalogChange.PlatformRecords(ORIGIN, "airflow",
                "Jobs", "g1", List.of(new CatalogChange.PlatformRecord("7", "{\"name\": \"nightly\"}"))));
        assertEquals("jobs", r.kind());
        assertEquals("{\"name\": \"nightly\"}", r.records().get(0).json());
    }
}
