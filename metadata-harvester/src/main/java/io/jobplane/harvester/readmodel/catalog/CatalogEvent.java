package io.jobplane.harvester.readmodel.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventTypes;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogChange.Column;
import io.jobplane.events.payload.catalog.CatalogChange.FunctionResource;
import io.jobplane.events.payload.catalog.CatalogChange.Partition;
import io.jobplane.events.payload.catalog.CatalogChange.PlatformRecord;
import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * One catalog change as the read model applies it: the event's id and type, the run that observed it,
 * and its payload, checked and normalised (absent maps and lists made empty, kinds lower-cased). Reading
 * is pure: whatever is wrong with an event throws {@link MalformedEventException} here, so the event is
 * dead-lettered instead of failing the batch's transaction again and again.
 */
public record CatalogEvent(String id, String type, CatalogChange.Origin origin, Object change) {

    /** Longest name (catalog, database, table, function, source, kind, record id, generation, run id). */
    static final int MAX_NAME = 512;
    /** Most warnings a table keeps, and the longest one. */
    static final int MAX_WARNINGS = 100;
    static final int MAX_WARNING_CHARS = 2_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    public CatalogEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(change, "change");
    }

    /** The key of what the event's report counts go to. */
    public RunKey run() {
        return new RunKey(origin.workspace(), origin.runId(), origin.attempt());
    }

    /** The read-model item of a catalog event, or null when its type is not a catalog change (ignored). */
    public static CatalogEvent read(CloudEvent event) {
        if (event.type() == null || !event.type().startsWith("jobplane.catalog.")) {
            return null;
        }
        Object change = switch (event.type()) {
            case EventTypes.CATALOG_DATABASE -> database(event.dataAs(CatalogChange.Database.class));
            case EventTypes.CATALOG_TABLE -> table(event.dataAs(CatalogChange.Table.class));
            case EventTypes.CATALOG_PARTITIONS -> partitions(event.dataAs(CatalogChange.Partitions.class));
            case EventTypes.CATALOG_FUNCTION -> function(event.dataAs(CatalogChange.Function.class));
            case EventTypes.CATALOG_PLATFORM_RECORDS -> platformRecords(event.dataAs(CatalogChange.PlatformRecords.class));
            case EventTypes.CATALOG_PLATFORM_COMMITTED -> platformCommitted(event.dataAs(CatalogChange.PlatformCommitted.class));
            case EventTypes.CATALOG_RUN_COMPLETED -> runCompleted(event.dataAs(CatalogChange.RunCompleted.class));
            default -> null;
        };
        if (change == null) {
            return null;
        }
        return new CatalogEvent(name("id", event.id()), event.type(), originOf(change), change);
    }

    private static CatalogChange.Origin originOf(Object change) {
        if (change instanceof CatalogChange.Database d) {
            return d.origin();
        } else if (change instanceof CatalogChange.Table t) {
            return t.origin();
        } else if (change instanceof CatalogChange.Partitions p) {
            return p.origin();
        } else if (change instanceof CatalogChange.Function f) {
            return f.origin();
        } else if (change instanceof CatalogChange.PlatformRecords r) {
            return r.origin();
        } else if (change instanceof CatalogChange.PlatformCommitted c) {
            return c.origin();
        }
        return ((CatalogChange.RunCompleted) change).origin();
    }

    static CatalogChange.Database database(CatalogChange.Database d) {
        return new CatalogChange.Database(origin(d.origin()), conflict(d.conflict()), name("catalog", d.catalog()),
                name("database", d.database()), text(d.description()), text(d.location()), text(d.owner()),
                strings("parameters", d.parameters()));
    }

    static CatalogChange.Table table(CatalogChange.Table t) {
        List<Column> columns = columns("columns", t.columns(), t.mergeSchema());
        List<Column> keys = columns("partition_keys", t.partitionKeys(), false);
        List<String> warnings = new ArrayList<>();
        if (t.warnings() != null) {
            for (String w : t.warnings()) {
                if (w != null && warnings.size() < MAX_WARNINGS) {
                    warnings.add(warning(w));
                }
            }
        }
        return new CatalogChange.Table(origin(t.origin()), conflict(t.conflict()), name("catalog", t.catalog()),
                name("database", t.database()), name("table", t.table()), text(t.tableType()), text(t.location()),
                text(t.format()), text(t.inputFormat()), text(t.outputFormat()), text(t.serdeLibrary()),
                strings("serde_parameters", t.serdeParameters()), columns, keys, strings("parameters", t.parameters()),
                text(t.owner()), statistics(t.statistics()), List.copyOf(warnings), t.mergeSchema());
    }

    static CatalogChange.Partitions partitions(CatalogChange.Partitions p) {
        if (p.partitions() == null || p.partitions().size() > CatalogChange.MAX_PARTITIONS_PER_EVENT) {
            throw new MalformedEventException("partitions must be a list of at most " + CatalogChange.MAX_PARTITIONS_PER_EVENT);
        }
        // A batch names each partition once, the last occurrence winning (one statement may write a row once).
        Map<List<String>, Partition> byValues = new LinkedHashMap<>();
        for (Partition partition : p.partitions()) {
            if (partition == null || partition.values() == null || partition.values().isEmpty()) {
                throw new MalformedEventException("a partition has no values");
            }
            List<String> values = new ArrayList<>();
            for (String v : partition.values()) {
                if (v == null) {
                    throw new MalformedEventException("a partition value is null");
                }
                values.add(noNul("partition value", v));
            }
            byValues.remove(values);
            byValues.put(List.copyOf(values), new Partition(List.copyOf(values), text(partition.location()),
                    strings("partition parameters", partition.parameters()), statistics(partition.statistics())));
        }
        return new CatalogChange.Partitions(origin(p.origin()), conflict(p.conflict()), name("catalog", p.catalog()),
                name("database", p.database()), name("table", p.table()), List.copyOf(byValues.values()));
    }

    static CatalogChange.Function function(CatalogChange.Function f) {
        List<FunctionResource> resources = new ArrayList<>();
        if (f.resources() != null) {
            for (FunctionResource r : f.resources()) {
                if (r == null || r.type() == null || r.uri() == null) {
                    throw new MalformedEventException("a function resource lacks its type or uri");
                }
                resources.add(new FunctionResource(noNul("resource type", r.type()), noNul("resource uri", r.uri())));
            }
        }
        return new CatalogChange.Function(origin(f.origin()), conflict(f.conflict()), name("catalog", f.catalog()),
                name("database", f.database()), name("function", f.function()), text(f.className()), text(f.owner()),
                text(f.functionType()), List.copyOf(resources));
    }

    static CatalogChange.PlatformRecords platformRecords(CatalogChange.PlatformRecords r) {
        if (r.records() == null || r.records().size() > CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT) {
            throw new MalformedEventException("records must be a list of at most " + CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT);
        }
        Map<String, PlatformRecord> byId = new LinkedHashMap<>();
        for (PlatformRecord record : r.records()) {
            if (record == null) {
                throw new MalformedEventException("a platform record is null");
            }
            String id = name("record id", record.id());
            byId.remove(id);
            byId.put(id, new PlatformRecord(id, jsonObject(record.json())));
        }
        String generation = r.generation() == null ? null : name("generation", r.generation());
        return new CatalogChange.PlatformRecords(origin(r.origin()), name("source", r.source()), kind(r.kind()), generation,
                List.copyOf(byId.values()));
    }

    static CatalogChange.PlatformCommitted platformCommitted(CatalogChange.PlatformCommitted c) {
        if (c.expectedRecords() < 0) {
            throw new MalformedEventException("expected_records is negative");
        }
        return new CatalogChange.PlatformCommitted(origin(c.origin()), name("source", c.source()), kind(c.kind()),
                name("generation", c.generation()), c.expectedRecords());
    }

    static CatalogChange.RunCompleted runCompleted(CatalogChange.RunCompleted c) {
        if (c.emitted() == null || c.emitted().size() > 100) {
            throw new MalformedEventException("emitted must map at most 100 event types to counts");
        }
        Map<String, Long> emitted = new LinkedHashMap<>();
        c.emitted().forEach((type, n) -> {
            if (n == null || n < 0) {
                throw new MalformedEventException("emitted[" + type + "] is not a count");
            }
            emitted.put(name("event type", type), n);
        });
        return new CatalogChange.RunCompleted(origin(c.origin()), Map.copyOf(emitted));
    }

    private static CatalogChange.Origin origin(CatalogChange.Origin o) {
        if (o == null) {
            throw new MalformedEventException("origin is missing");
        }
        if (o.attempt() < 0) {
            throw new MalformedEventException("origin.attempt is negative");
        }
        return new CatalogChange.Origin(name("origin.workspace", o.workspace()), text(o.jobId()), name("origin.run_id", o.runId()),
                o.attempt(), o.observedAt());
    }

    private static CatalogChange.Conflict conflict(CatalogChange.Conflict c) {
        if (c == null) {
            throw new MalformedEventException("conflict is missing (INSERT, UPDATE or UPSERT)");
        }
        return c;
    }

    private static String kind(String kind) {
        return name("kind", kind).toLowerCase(Locale.ROOT);
    }

    /** A required name: not blank, at most {@link #MAX_NAME} characters, no NUL. */
    static String name(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException(what + " is missing");
        }
        if (value.length() > MAX_NAME) {
            throw new MalformedEventException(what + " is longer than " + MAX_NAME + " characters");
        }
        return noNul(what, value);
    }

    private static String text(String value) {
        return value == null ? null : noNul("a text", value);
    }

    private static String warning(String w) {
        String clean = w.replace('\u0000', ' ');
        return clean.length() > MAX_WARNING_CHARS ? clean.substring(0, MAX_WARNING_CHARS) : clean;
    }

    private static String noNul(String what, String value) {
        if (value.indexOf('\u0000') >= 0) {
            throw new MalformedEventException(what + " holds a NUL character");
        }
        return value;
    }

    private static Map<String, String> strings(String what, Map<String, String> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(noNul(what, k), v == null ? null : noNul(what, v)));
        return java.util.Collections.unmodifiableMap(out);
    }

    private static CatalogChange.Statistics statistics(CatalogChange.Statistics s) {
        return s == null ? new CatalogChange.Statistics(null, null, null) : s;
    }

    private static List<Column> columns(String what, List<Column> columns, boolean parseTypes) {
        if (columns == null) {
            return List.of();
        }
        List<Column> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Column c : columns) {
            if (c == null || c.type() == null || c.type().isBlank()) {
                throw new MalformedEventException(what + ": a column lacks its name or type");
            }
            String name = name(what + " name", c.name());
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw new MalformedEventException(what + ": the column '" + name + "' is named twice");
            }
            if (parseTypes) {
                // merge_schema widens the stored columns by these types: they must be Hive's type syntax.
                try {
                    CatalogTypes.parse(c.type());
                } catch (IllegalArgumentException e) {
                    throw new MalformedEventException(what + ": " + e.getMessage());
                }
            }
            out.add(new Column(name, noNul("column type", c.type()), text(c.comment())));
        }
        return List.copyOf(out);
    }

    /** A record's JSON: must be a JSON object; kept as the platform sent it. */
    private static String jsonObject(String json) {
        if (json == null) {
            throw new MalformedEventException("a platform record has no json");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("a platform record's json is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new MalformedEventException("a platform record's json is not a JSON object");
        }
        if (json.indexOf("\\u0000") >= 0) {
            // PostgreSQL's jsonb cannot hold the NUL character.
            throw new MalformedEventException("a platform record's json holds a NUL character");
        }
        return json;
    }

    /** The run (and attempt) a change is counted for. */
    public record RunKey(String workspace, String runId, int attempt) implements Comparable<RunKey> {
        @Override
        public int compareTo(RunKey o) {
            int c = workspace.compareTo(o.workspace);
            if (c == 0) {
                c = runId.compareTo(o.runId);
            }
            return c != 0 ? c : Integer.compare(attempt, o.attempt);
        }
    }
}
