package io.jobplane.worker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.MetadataSpec;

class KnownTablesTest {

    @Test
    void theCatalogsTablesInTheCommandExpandWildcards() {
        CatalogLookup lookup = PermissionJobExecutor.knownTables(command(Map.of("catalog_tables",
                "[[\"finance\", \"ledger\"], [\"finance\", \"budget\"], [\"sales\", \"orders\"]]")));
        assertEquals(Optional.of(List.of("budget", "ledger")), lookup.tables("hive", "finance", "*"));
        assertEquals(Optional.of(List.of("finance", "sales")), lookup.databases("hive", "*"));
        assertEquals(Optional.empty(), lookup.tables("other", "finance", "*"), "only the hive catalog is known");
    }

    @Test
    void withoutThemOrWithGarbageWildcardsStayPatterns() {
        assertSame(CatalogLookup.UNKNOWN, PermissionJobExecutor.knownTables(command(Map.of())));
        assertSame(CatalogLookup.UNKNOWN, PermissionJobExecutor.knownTables(command(Map.of("catalog_tables", "{not json"))));
        assertSame(CatalogLookup.UNKNOWN, PermissionJobExecutor.knownTables(command(Map.of("catalog_tables", "[[1]]"))));
    }

    private static LaunchCommand command(Map<String, String> state) {
        return LaunchCommand.builder().run("run-1", 1, "ws").job("job-1", "policies", "PERMISSION_MIGRATION", false)
                .metadata(new MetadataSpec(null, Map.of(), null, state)).build();
    }
}
