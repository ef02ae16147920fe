package io.jobplane.api.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;

class GrantParamsTest {

    private static String code(Runnable r) {
        return assertThrows(ApiException.class, r::run).code();
    }

    @Test
    void aResourceIsACatalogObjectFromTheLeftOrALocation() {
        assertEquals(new GrantParams.Resource("hive", null, null, null, null), GrantParams.resource("Hive", true));
        assertEquals(new GrantParams.Resource("hive", "sales", "orders", "amount", null), GrantParams.resource("hive.Sales.ORDERS.amount", true));
        assertEquals(3, GrantParams.resource("hive.sales.orders", false).depth());
        assertEquals(new GrantParams.Resource(null, null, null, null, "s3://Lake/a.b/c"), GrantParams.resource("s3://Lake/a.b/c", true));
        assertEquals(0, GrantParams.resource("/data/x.y", true).depth());
        assertNull(GrantParams.resource(null, false));
        assertEquals("INVALID_RESOURCE", code(() -> GrantParams.resource("", true)));
        assertEquals("INVALID_RESOURCE", code(() -> GrantParams.resource("a.b.c.d.e", true)));
        assertEquals("INVALID_RESOURCE", code(() -> GrantParams.resource("a..c", true)));
        assertEquals("INVALID_RESOURCE", code(() -> GrantParams.resource("hive.", true)));
        assertEquals("INVALID_RESOURCE", code(() -> GrantParams.resource("x".repeat(600), true)));
        assertEquals("INVALID_RESOURCE", code(() -> GrantParams.resource("s3://b/\u0000", true)));
    }

    @Test
    void privilegesPrincipalsAndLimitsAreCheckedWithCodes() {
        assertEquals("SELECT", GrantParams.privilege("select", true));
        assertNull(GrantParams.privilege(null, false));
        assertEquals("INVALID_PRIVILEGE", code(() -> GrantParams.privilege(null, true)));
        assertEquals("INVALID_PRIVILEGE", code(() -> GrantParams.privilege("select; drop", true)));
        assertEquals("arn:aws:iam::1:role/x", GrantParams.principal("arn:aws:iam::1:role/x", true));
        assertEquals("INVALID_PRINCIPAL", code(() -> GrantParams.principal("", true)));
        assertEquals("INVALID_PRINCIPAL", code(() -> GrantParams.principal("a".repeat(513), false)));
        assertEquals("IAM_USER", GrantParams.principalType("iam_user"));
        assertEquals("INVALID_PRINCIPAL_TYPE", code(() -> GrantParams.principalType("a/b")));
        assertEquals(100, GrantParams.limit(null));
        assertEquals(1000, GrantParams.limit("1000"));
        assertEquals("INVALID_LIMIT", code(() -> GrantParams.limit("0")));
        assertEquals("INVALID_LIMIT", code(() -> GrantParams.limit("x")));
    }

    @Test
    void aCursorBelongsToItsListing() {
        String c = GrantParams.cursor("grants", List.of("abc", "file:a.json"));
        assertEquals(List.of("abc", "file:a.json"), GrantParams.after("grants", c, 2));
        assertNull(GrantParams.after("grants", null, 2));
        assertEquals("INVALID_CURSOR", code(() -> GrantParams.after("table-grants", c, 2)));
        assertEquals("INVALID_CURSOR", code(() -> GrantParams.after("grants", c, 3)));
        assertEquals("INVALID_CURSOR", code(() -> GrantParams.after("grants", "not base64!", 2)));
        assertEquals("INVALID_CURSOR", code(() -> GrantParams.after("grants", "A".repeat(5000), 2)));
    }

    @Test
    void rangerWildcardsBecomeALikePatternWithEveryOtherCharacterLiteral() {
        assertEquals("replace(replace(replace(replace(replace(lower(g.res_table), '\\', '\\\\'), '%', '\\%'), '_', '\\_'), '*', '%'), '?', '_')",
                GrantParams.likeOf("g.res_table"));
    }
}
