package io.jobplane.worker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.policy.PolicyChange;

/** Files crafted to exhaust the worker are refused with a clear code, and nothing is committed. */
class HostilePolicyFileTest {

    private static PolicyFileException refused(byte[] data, PolicyBounds bounds, String type) {
        MemoryPolicySink sink = new MemoryPolicySink();
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> new PermissionMigration(CatalogLookup.UNKNOWN, bounds)
                .run(data, "f.json", new PermissionMigration.Options(type, null, null, null), MemoryPolicySink.RUN,
                        MemoryPolicySink.ORIGIN, sink, l -> { }));
        assertTrue(sink.events.stream().noneMatch(ev -> ev instanceof PolicyChange.GrantsCommitted), "nothing committed");
        return e;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFileOverTheSizeBoundIsRefusedWithoutReadingItAll() throws Exception {
        PolicyBounds bounds = PolicyBounds.defaults().withMaxFileBytes(1024);
        assertEquals("POLICY_FILE_TOO_LARGE", refused(new byte[1025], bounds, "RANGER").code());
        // a stream is read up to one byte past the bound, never further
        long[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return ' ';
            }
        };
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> new PermissionMigration(null, bounds)
                .run(endless, "f.json", PermissionMigration.Options.ranger(null), MemoryPolicySink.RUN, MemoryPolicySink.ORIGIN,
                        new MemoryPolicySink(), l -> { }));
        assertEquals("POLICY_FILE_TOO_LARGE", e.code());
        assertTrue(read[0] <= 1025 + 8192, "read " + read[0]);
        // within the bound, a stream is read like bytes
        MigrationSummary ok = new PermissionMigration(null, PolicyBounds.defaults()).run(new ByteArrayInputStream(bytes("{\"policies\":[]}")),
                "f.json", PermissionMigration.Options.ranger(null), MemoryPolicySink.RUN, MemoryPolicySink.ORIGIN, new MemoryPolicySink(), l -> { });
        assertEquals(0, ok.grants());
    }

    @Test
    void deeplyNestedJsonIsRefused() {
        String deep = "{\"policies\":[{\"conditions\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}]}";
        PolicyFileException e = refused(bytes(deep), PolicyBounds.defaults(), "RANGER");
        assertEquals("POLICY_FILE_TOO_COMPLEX", e.code());
        assertTrue(e.getMessage().contains("depth"), e.getMessage());
    }

    @Test
    void aMillionValuesInOneResourceAreRefused() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            values.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        String file = "{\"policies\":[{\"id\":1,\"resources\":{\"database\":{\"values\":[\"d\"]},\"table\":{\"values\":[" + values
                + "]}},\"policyItems\":[{\"accesses\":[{\"type\":\"select\"}],\"users\":[\"ann\"]}]}]}";
        PolicyFileException e = refused(bytes(file), PolicyBounds.defaults(), "RANGER");
        assertEquals("TOO_MANY_VALUES", e.code());
        assertTrue(e.getMessage().contains("/policies/0/resources/table/values"), e.getMessage());
    }

    @Test
    void tooManyPoliciesOrGrantsAreRefused() {
        PolicyBounds bounds = new PolicyBounds(1 << 20, 3, 100, 32, 1000, 5, 50);
        String p = "{\"id\":1,\"resources\":{\"database\":{\"values\":[\"d\"]}},\"policyItems\":[{\"accesses\":[{\"type\":\"select\"}],\"users\":[\"a\",\"b\",\"c\"]}]}";
        assertEquals("TOO_MANY_POLICIES", refused(bytes("{\"policies\":[" + p + "," + p + "," + p + "," + p + "]}"), bounds, "RANGER").code());
        String six = p.replace("\"a\",\"b\",\"c\"", "\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"");
        assertEquals("TOO_MANY_GRANTS", refused(bytes("{\"policies\":[" + six + "]}"), bounds, "RANGER").code());
    }

    @Test
    void malformedOrWronglyShapedFilesAreRefusedClearly() {
        assertEquals("POLICY_FILE_INVALID", refused(bytes("{\"policies\":[{]}"), PolicyBounds.defaults(), "RANGER").code());
        assertEquals("POLICY_FILE_INVALID", refused(bytes("\"just a string\""), PolicyBounds.defaults(), "RANGER").code());
        assertEquals("POLICY_FILE_INVALID", refused(bytes("{\"items\":[]}"), PolicyBounds.defaults(), "RANGER").code());
        assertEquals("POLICY_FILE_INVALID", refused(bytes("{\"policies\":{\"id\":1}}"), PolicyBounds.defaults(), "RANGER").code());
        assertEquals("POLICY_FILE_INVALID", refused(bytes("{\"policies\":[{\"policyItems\":\"x\"}]}"), PolicyBounds.defaults(), "RANGER").code());
        assertEquals("POLICY_FILE_INVALID", refused(bytes(""), PolicyBounds.defaults(), "DLF").code());
        assertEquals("UNKNOWN_POLICY_TYPE", refused(bytes("{}"), PolicyBounds.defaults(), "SENTRY").code());
    }

    @Test
    void nullsInsideAFileAreReportedNotFatal() {
        MemoryPolicySink sink = RangerFixturesTest.migrate("{\"policies\":[null,{\"id\":2,\"resources\":{\"database\":{\"values\":[null,\"d\"]}},"
                + "\"policyItems\":[null,{\"accesses\":[null,{\"type\":\"select\"}],\"users\":[null,\"a\"]}]}]}");
        assertEquals(1, sink.grants().size());
        // the null policy, the null item, the null database value, the null access, the null user: each reported
        assertEquals(java.util.Map.of("MALFORMED", 5L), sink.kinds());
    }

    @Test
    void anObjectWithTooManyFieldsIsRefused() {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            keys.append(i == 0 ? "" : ",").append("\"r").append(i).append("\":{\"values\":[\"x\"]}");
        }
        PolicyFileException e = refused(bytes("{\"policies\":[{\"id\":1,\"resources\":{" + keys + "}}]}"), PolicyBounds.defaults(), "RANGER");
        assertEquals("TOO_MANY_VALUES", e.code());
        assertTrue(e.getMessage().contains("/policies/0/resources") && e.getMessage().contains("fields"), e.getMessage());
    }

    @Test
    void wildcardMatchingStaysLinearOnHostilePatterns() {
        String pattern = "*a".repeat(2000) + "b";
        String name = "a".repeat(5000);
        long start = System.nanoTime();
        assertTrue(!CatalogLookup.matches(pattern, name));
        assertTrue((System.nanoTime() - start) < 5_000_000_000L, "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertTrue(CatalogLookup.matches("sa?es_*", "SALES_2024"));
        assertTrue(CatalogLookup.matches("*", ""));
        assertTrue(!CatalogLookup.matches("sales_?", "sales_"));
        assertTrue(CatalogLookup.matches("*_dim", "date_dim"));
        assertTrue(!CatalogLookup.matches("*_dim", "date_dims"));
    }
}
