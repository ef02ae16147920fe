package io.jobplane.harvester.readmodel.catalog;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a batch did for each run, per kind ({@link #KINDS}) — added, changed, unchanged, skipped (an
 * {@code UPDATE} of an object that is not there, a partition of a table that is not) and removed (records
 * a platform replace dropped) — and how many events of each type were applied.
 */
public final class CatalogCounts {

    public static final String DATABASES = "databases";
    public static final String TABLES = "tables";
    public static final String PARTITIONS = "partitions";
    public static final String COLUMNS = "columns";
    public static final String FUNCTIONS = "functions";
    public static final String PLATFORM_RECORDS = "platform_records";
    public static final java.util.List<String> KINDS = java.util.List.of(DATABASES, TABLES, PARTITIONS, COLUMNS, FUNCTIONS,
            PLATFORM_RECORDS);

    /** One kind's counters. */
    public static final class Counts {
        public long added;
        public long changed;
        public long unchanged;
        public long skipped;
        public long removed;

        public void add(CatalogFold.Outcome outcome) {
            switch (outcome) {
                case ADDED -> added++;
                case CHANGED -> changed++;
                case UNCHANGED -> unchanged++;
                case SKIPPED -> skipped++;
            }
        }

        public void add(long added, long changed, long unchanged, long skipped, long removed) {
            this.added += added;
            this.changed += changed;
            this.unchanged += unchanged;
            this.skipped += skipped;
            this.removed += removed;
        }

        public boolean isEmpty() {
            return added == 0 && changed == 0 && unchanged == 0 && skipped == 0 && removed == 0;
        }

        @Override
        public String toString() {
            return "+" + added + " ~" + changed + " =" + unchanged + " skipped " + skipped + " removed " + removed;
        }
    }

    /**
     * Counts a set-based write: of {@code total} objects, {@code valid} could be applied (the others are
     * skipped), {@code existed} of those were stored already, and {@code written} rows were written (an
     * object equal to the stored one is not). {@code INSERT} writes only new objects, {@code UPDATE}
     * only stored ones (a new one is skipped).
     */
    public static void countWrite(Counts c, io.jobplane.events.payload.catalog.CatalogChange.Conflict conflict, long total,
            long valid, long existed, long written, long removed) {
        boolean update = conflict == io.jobplane.events.payload.catalog.CatalogChange.Conflict.UPDATE;
        long added = update ? 0 : valid - existed;
        long changed = written - added;
        long skipped = (total - valid) + (update ? valid - existed : 0);
        c.add(added, changed, existed - changed, skipped, removed);
    }

    private final Map<CatalogEvent.RunKey, Map<String, Counts>> kinds = new TreeMap<>();
    private final Map<CatalogEvent.RunKey, Map<String, Long>> events = new TreeMap<>();

    /** The counters of {@code kind} for the run. */
    public Counts of(CatalogEvent.RunKey run, String kind) {
        return kinds.computeIfAbsent(run, r -> new TreeMap<>()).computeIfAbsent(kind, k -> new Counts());
    }

    /** One more event of {@code type} applied for the run. */
    public void applied(CatalogEvent.RunKey run, String type) {
        events.computeIfAbsent(run, r -> new TreeMap<>()).merge(type, 1L, Long::sum);
    }

    /** Run → kind → counts, in a stable order (runs, then kinds, sorted), so concurrent writers lock rows alike. */
    public Map<CatalogEvent.RunKey, Map<String, Counts>> kinds() {
        return kinds;
    }

    /** Run → event type → events applied, sorted. */
    public Map<CatalogEvent.RunKey, Map<String, Long>> events() {
        return events;
    }
}
