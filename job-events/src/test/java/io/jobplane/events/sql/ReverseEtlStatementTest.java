package io.jobplane.events.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.events.sql.ReplicateStatement.TableName;

class ReverseEtlStatementTest {

    @Test
    void theTargetIsThePathAndTheOptionsAreTyped() {
        ReverseEtlStatement s = ReverseEtlStatement.parse(
                "REPLICATE [contacts] WITH RateLimit='20', keycolumn='tenant_id, [id]', MaxRetries='2', RequestTimeout='5',"
                        + " AllowRefusedRows='TRUE' SELECT * FROM [crm_contacts] WHERE active");
        assertEquals("contacts", s.path());
        assertEquals(new BigDecimal("20"), s.rateLimit());
        assertEquals(List.of("tenant_id", "id"), s.keyColumns());
        assertEquals(2, s.maxRetries());
        assertEquals(5, s.requestTimeoutSeconds());
        assertTrue(s.allowRefusedRows());
        assertEquals("SELECT * FROM \"crm_contacts\" WHERE active", s.statement().select());
        assertNull(s.sourceTable());

        ReverseEtlStatement table = ReverseEtlStatement.parse("REPLICATE [crm].[Contacts]");
        assertEquals("crm/Contacts", table.path());
        assertEquals(new TableName("crm", "Contacts"), table.sourceTable());
        assertNull(table.rateLimit());
        assertEquals(List.of(), table.keyColumns());
        assertEquals(ReverseEtlStatement.DEFAULT_MAX_RETRIES, table.maxRetries());
        assertEquals(ReverseEtlStatement.DEFAULT_REQUEST_TIMEOUT_SECONDS, table.requestTimeoutSeconds());
        assertFalse(table.allowRefusedRows());

        assertEquals("v1/people%20&%20things/%C3%BC%3Fx", ReverseEtlStatement.parse("REPLICATE [/v1/people & things/ü?x/] SELECT 1 AS id").path());
    }

    @Test
    void mistakesAreRefusedWithTheFixAndEachGrammarKeepsItsOptions() {
        assertMessage("REPLICATE [a] WITH RateLimit='0'", "RateLimit='0' is not a number", "REPLICATE [path]");
        assertMessage("REPLICATE [a] WITH RateLimit='fast'", "leave it out for no limit", "KeyColumn='id'");
        assertMessage("REPLICATE [a] WITH MaxRetries='99'", "MaxRetries='99' must be a whole number from 0 to 20", "REPLICATE [path]");
        assertMessage("REPLICATE [a] WITH AllowRefusedRows='yes'", "must be 'true' or 'false'", "REPLICATE [path]");
        assertMessage("REPLICATE [a] WITH KeyColumn='id,,x'", "names an empty column", "REPLICATE [path]");
        assertMessage("REPLICATE [a] WITH CheckColumn='updated_at'", "unknown option 'CheckColumn'", "AllowRefusedRows");
        assertMessage("REPLICATE [a] WITH RateLimit='1', ratelimit='2'", "given twice", "REPLICATE [path]");
        assertMessage("POST [a]", "a reverse ETL task starts with REPLICATE", "REPLICATE [path]");
        assertMessage("REPLICATE [a] SELECT * FROM b WHERE d = {{FD_DATE}}", "take no {{placeholders}}", "REPLICATE [path]");
        assertMessage("REPLICATE [ / ]", "names no path", "REPLICATE [path]");

        IllegalArgumentException replication = assertThrows(IllegalArgumentException.class,
                () -> ReplicateStatement.parse("REPLICATE [a] WITH RateLimit='20'"));
        assertTrue(replication.getMessage().contains("unknown option 'RateLimit'; known: [CheckColumn]")
                && replication.getMessage().contains("CheckColumn='updated_at'"), replication.getMessage());
    }

    private static void assertMessage(String task, String what, String fix) {
        String message = assertThrows(IllegalArgumentException.class, () -> ReverseEtlStatement.parse(task)).getMessage();
        assertTrue(message.contains(what) && message.contains(fix), message);
    }
}
