package io.jobplane.api.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;

class CatalogPagingTest {

    @Test
    void limitsAreBoundedAndAnythingElseIsA400WithACode() {
        assertEquals(CatalogPaging.DEFAULT_LIMIT, CatalogPaging.limit(null));
        assertEquals(1, CatalogPaging.limit("1"));
        assertEquals(1000, CatalogPaging.limit("1000"));
        for (String bad : List.of("0", "1001", "-5", "ten", "1e3", "99999999999")) {
            ApiException e = assertThrows(ApiException.class, () -> CatalogPaging.limit(bad), bad);
            assertEquals("INVALID_LIMIT", e.code());
            assertEquals(400, e.status().getStatusCode());
            assertTrue(e.solution().contains("limit="));
        }
    }

    @Test
    void aCursorRoundTripsAndOnlyFitsItsOwnListing() {
        String cursor = CatalogPaging.cursor("partitions", List.of("2026", "01"));
        assertEquals(List.of("2026", "01"), CatalogPaging.after("partitions", cursor, 0));
        assertNull(CatalogPaging.after("tables", null, 1));
        String tables = CatalogPaging.cursor("tables", List.of("orders"));
        String platform = CatalogPaging.cursor("platform", List.of("only-one"));
        List<Runnable> bad = List.of(
                () -> CatalogPaging.after("partitions", "!!", 0),
                () -> CatalogPaging.after("partitions", "bm90IGpzb24", 0),
                () -> CatalogPaging.after("partitions", tables, 0),
                () -> CatalogPaging.after("platform", platform, 2),
                () -> CatalogPaging.after("partitions", "x".repeat(5000), 0));
        for (Runnable call : bad) {
            assertEquals("INVALID_CURSOR", assertThrows(ApiException.class, call::run).code());
        }
    }

    @Test
    void aPrefixIsTheRangeOfKeysThatStartWithItIgnoringCase() {
        assertArrayEquals(new String[] { "ord", "ore" }, CatalogPaging.prefixRange("ORD"));
        assertArrayEquals(new String[] { "a_%", "a_&" }, CatalogPaging.prefixRange("a_%"), "no wildcards");
        String top = new String(Character.toChars(Character.MAX_CODE_POINT));
        assertNull(CatalogPaging.prefixRange("a" + top)[1], "nothing sorts above the last code point");
        assertEquals("a\uE000", CatalogPaging.prefixRange("a\uD7FF")[1], "the surrogates are skipped");
        assertNull(CatalogPaging.prefixRange(""));
        assertEquals("INVALID_PREFIX", assertThrows(ApiException.class, () -> CatalogPaging.prefixRange("x".repeat(513))).code());
    }

    @Test
    void onlyTheDocumentedKindsAreListed() {
        assertEquals("jobs", CatalogPaging.kind("Jobs"));
        ApiException e = assertThrows(ApiException.class, () -> CatalogPaging.kind("secrets"));
        assertEquals("INVALID_KIND", e.code());
        assertTrue(e.solution().contains("policies"));
    }
}
