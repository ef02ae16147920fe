package io.jobplane.events.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.jobplane.events.sql.ReplicateStatement.TableName;

class ReplicateStatementTest {

    @Test
    void tableFormNamesTheSourceAndTheDestination() {
        ReplicateStatement s = ReplicateStatement.parse("REPLICATE [Accounts];");
        assertEquals(new TableName(null, "Accounts"), s.target());
        assertEquals(s.target(), s.source());
        assertFalse(s.isQueryForm());
        assertNull(s.checkColumn());

        ReplicateStatement qualified = ReplicateStatement.parse("replicate [sales] . [Order Lines]");
        assertEquals(new TableName("sales", "Order Lines"), qualified.target());
        assertEquals(new TableName("public", "orders"), ReplicateStatement.parse("REPLICATE public.orders").target());
    }

    @Test
    void queryFormQuotesBracketsButNotLiteralsOrSubscripts() {
        ReplicateStatement s = ReplicateStatement.parse(
                "REPLICATE [Big Accounts] SELECT [Id], tags[1], (arr)[2], 'it''s [not] a name' AS note FROM [crm].[Accounts] WHERE \"x[1]\" > 0");
        assertEquals(new TableName(null, "Big Accounts"), s.target());
        assertTrue(s.isQueryForm());
        assertEquals("SELECT \"Id\", tags[1], (arr)[2], 'it''s [not] a name' AS note FROM \"crm\".\"Accounts\" WHERE \"x[1]\" > 0",
                s.select());
        assertEquals(new TableName("crm", "Accounts"), s.source());
    }

    @Test
    void withClauseSetsTheCheckColumnAndACommonTableExpressionIsAQuery() {
        ReplicateStatement s = ReplicateStatement.parse("REPLICATE [Accounts] WITH CheckColumn='updated_at'");
        assertEquals("updated_at", s.checkColumn());
        assertFalse(s.isQueryForm());

        ReplicateStatement both = ReplicateStatement.parse("REPLICATE [a] WITH checkcolumn = 'v' SELECT * FROM [b]");
        assertEquals("v", both.checkColumn());
        assertEquals("SELECT * FROM \"b\"", both.select());

        ReplicateStatement cte = ReplicateStatement.parse("REPLICATE [a] WITH x AS (SELECT 1 AS n) SELECT n FROM x");
        assertNull(cte.checkColumn());
        assertEquals("WITH x AS (SELECT 1 AS n) SELECT n FROM x", cte.select());
    }

    @Test
    void mistakesAreRefusedWithTheFix() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReplicateStatement.parse("SELECT 1")).getMessage()
                .contains("Write REPLICATE [Table]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReplicateStatement.parse("REPLICATE [a"))
                .getMessage().contains("never closed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReplicateStatement.parse("REPLICATE [a] WITH Foo='1'"))
                .getMessage().contains("unknown option 'Foo'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReplicateStatement.parse("REPLICATE [a] DELETE FROM b"))
                .getMessage().contains("expected SELECT"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ReplicateStatement.parse("REPLICATE [a] SELECT * FROM b WHERE d = {{FD_DATE}}")).getMessage()
                .contains("placeholders"));
    }
}
