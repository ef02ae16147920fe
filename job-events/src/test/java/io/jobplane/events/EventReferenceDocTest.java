package io.jobplane.events;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.policy.PolicyChange;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskStarted;

/** Keeps docs/events.md true: every type and every payload field must be documented there. */
class EventReferenceDocTest {

    private static final Map<String, Class<? extends Record>> PAYLOADS = Map.ofEntries(
            Map.entry(EventTypes.RUN_CANCELLING, io.jobplane.events.payload.RunCancelling.class),
            Map.entry(EventTypes.RUN_MARKED, io.jobplane.events.payload.RunMarked.class),
            Map.entry(EventTypes.RUN_HEARTBEAT, io.jobplane.events.payload.RunHeartbeat.class),
            Map.entry(EventTypes.RUN_LOG, io.jobplane.events.payload.RunLog.class),
            Map.entry(EventTypes.LAUNCH, LaunchCommand.class),
            Map.entry(EventTypes.CANCEL, CancelCommand.class),
            Map.entry(EventTypes.RUN_QUEUED, RunQueued.class),
            Map.entry(EventTypes.RUN_STARTED, RunStarted.class),
            Map.entry(EventTypes.RUN_FINISHED, RunFinished.class),
            Map.entry(EventTypes.TASK_STARTED, TaskStarted.class),
            Map.entry(EventTypes.TASK_FINISHED, TaskFinished.class),
            Map.entry(EventTypes.TASK_PROGRESS, io.jobplane.events.payload.TaskProgress.class),
            Map.entry(EventTypes.WORKSPACE_RETENTION, io.jobplane.events.payload.WorkspaceRetention.class),
            Map.entry(EventTypes.CATALOG_DATABASE, CatalogChange.Database.class),
            Map.entry(EventTypes.CATALOG_TABLE, CatalogChange.Table.class),
            Map.entry(EventTypes.CATALOG_PARTITIONS, CatalogChange.Partitions.class),
            Map.entry(EventTypes.CATALOG_FUNCTION, CatalogChange.Function.class),
            Map.entry(EventTypes.CATALOG_PLATFORM_RECORDS, CatalogChange.PlatformRecords.class),
            Map.entry(EventTypes.CATALOG_PLATFORM_COMMITTED, CatalogChange.PlatformCommitted.class),
            Map.entry(EventTypes.CATALOG_RUN_COMPLETED, CatalogChange.RunCompleted.class),
            Map.entry(EventTypes.POLICY_GRANTS_STAGED, PolicyChange.GrantsStaged.class),
            Map.entry(EventTypes.POLICY_GRANTS_COMMITTED, PolicyChange.GrantsCommitted.class),
            Map.entry(EventTypes.POLICY_REPORT, PolicyChange.Report.class),
            Map.entry(EventTypes.POLICY_RUN_COMPLETED, PolicyChange.RunCompleted.class));

    @Test
    void everyEventTypeAndFieldIsDocumented() throws Exception {
        String doc = Files.readString(docsRoot().resolve("events.md"));
        List<String> missing = new ArrayList<>();
        for (Field f : EventTypes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String type = (String) f.get(null);
                String section = section(doc, "### `" + type + "`");
                if (section == null) {
                    missing.add("section for " + type);
                    continue;
                }
                Class<? extends Record> payload = PAYLOADS.get(type);
                if (payload == null) {
                    missing.add("payload mapping for " + type + " in this test");
                    continue;
                }
                for (RecordComponent c : payload.getRecordComponents()) {
                    String field = "| `" + snake(c.getName()) + "` |";
                    if (!section.contains(field)) {
                        missing.add(type + " field " + snake(c.getName()));
                    }
                }
            }
        }
        for (Field f : Topics.class.getFields()) {
            String topic = (String) f.get(null);
            if (!doc.contains("`" + topic + "`")) {
                missing.add("topic " + topic);
            }
        }
        assertTrue(missing.isEmpty(), "docs/events.md lacks: " + missing);
    }

    private static String section(String doc, String heading) {
        int start = doc.indexOf(heading);
        if (start < 0) {
            return null;
        }
        int end = doc.indexOf("\n#", start + heading.length());
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    private static Path docsRoot() throws IOException {
        String root = System.getProperty("jobplane.root");
        Path base = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
        Path docs = base.resolve("docs");
        if (!Files.isDirectory(docs)) {
            throw new IOException("docs folder not found at " + docs);
        }
        return docs;
    }
}
