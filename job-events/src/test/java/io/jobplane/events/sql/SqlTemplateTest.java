package io.jobplane.events.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The template reader on its own; binding against a real database is in the worker's CommandExecutionIT. */
class SqlTemplateTest {

    @Test
    void placeholdersBecomeParametersAndLiteralQuestionMarksStayOperators() {
        SqlTemplate t = SqlTemplate.parse("select * from s where d = {{ FD_DATE }}::date and r = {{region}}"
                + " and j ? 'k' and x = {{FD_DATE}}");
        assertEquals("select * from s where d = ?::date and r = ? and j ?? 'k' and x = ?", t.jdbcSql());
        assertEquals(List.of("FD_DATE", "region", "FD_DATE"), t.names());
    }

    @Test
    void quotesAndCommentsAreCopiedAsTheyAre() {
        String sql = "select 'it''s {not} ?', E'\\'?', \"col?\", $$ ? $$, $tag$ a $ b $tag$ -- {{FD_DATE}} ?\n"
                + "/* {{FD_TIME}} /* nested ? */ */ , {{FD_TIME}}";
        SqlTemplate t = SqlTemplate.parse(sql);
        assertEquals("select 'it''s {not} ?', E'\\'?', \"col?\", $$ ? $$, $tag$ a $ b $tag$ -- {{FD_DATE}} ?\n"
                + "/* {{FD_TIME}} /* nested ? */ */ , ?", t.jdbcSql());
        assertEquals(List.of("FD_TIME"), t.names());
    }

    @Test
    void sqlWithoutPlaceholdersRunsAsWritten() {
        SqlTemplate t = SqlTemplate.parse("select '{}'::jsonb ? 'a'");
        assertNull(t.jdbcSql());
        assertTrue(t.names().isEmpty());
    }

    @Test
    void aPlaceholderWhereNoParameterCanGoIsRefusedWithTheFix() {
        for (String sql : List.of("select 'stores-{{FD_DATE}}.csv'", "select 1 as \"c_{{FD_DATE}}\"",
                "do $$ begin perform {{FD_DATE}}; end $$")) {
            var e = assertThrows(SqlTemplate.TemplateException.class, () -> SqlTemplate.parse(sql), sql);
            assertTrue(e.getMessage().contains("{{FD_DATE}} stands inside") && e.getMessage().contains("|| {{FD_DATE}}"),
                    e.getMessage());
        }
        var e = assertThrows(SqlTemplate.TemplateException.class, () -> SqlTemplate.parse("select {{ 1abc }}"));
        assertTrue(e.getMessage().contains("does not start a placeholder"), e.getMessage());
    }

    @Test
    void mysqlReadsItsOwnQuotesAndComments() {
        SqlTemplate.Dialect mysql = SqlTemplate.Dialect.MYSQL;
        SqlTemplate t = SqlTemplate.parse("select 'it\\'s {x}', `col`, \"str\" # {{FD_DATE}} ?\n"
                + "-- {{FD_TIME}}\n , 1--{{FD_DATE}}\n , {{region}}", mysql);
        assertEquals("select 'it\\'s {x}', `col`, \"str\" # {{FD_DATE}} ?\n-- {{FD_TIME}}\n , 1--?\n , ?", t.jdbcSql());
        assertEquals(List.of("FD_DATE", "region"), t.names(), "'--' without a space after it is two minus signs in MySQL");
        for (String sql : List.of("select `c_{{FD_DATE}}`", "select \"stores-{{FD_DATE}}\"", "select 'a\\' {{FD_DATE}}'")) {
            var e = assertThrows(SqlTemplate.TemplateException.class, () -> SqlTemplate.parse(sql, mysql), sql);
            assertTrue(e.getMessage().contains("{{FD_DATE}} stands inside"), e.getMessage());
        }
        assertEquals("select ? from t where a = '?'", SqlTemplate.parse("select {{x}} from t where a = '?'", mysql).jdbcSql(),
                "a MySQL '?' is not doubled: Connector/J reads quotes itself");
    }

    @Test
    void valuesComeFromTheExecutionDateAndTheLaunchParametersWhichCannotShadowABuiltIn() {
        Map<String, Object> values = SqlTemplate.values(Instant.parse("2026-01-02T21:08:09Z"),
                Map.of("region", "eu", "FD_DATE", "19990101"));
        assertEquals("20260102", values.get("FD_DATE"));
        assertEquals("210809", values.get("FD_TIME"));
        assertEquals(OffsetDateTime.parse("2026-01-02T21:08:09Z"), values.get("execution_date"));
        assertEquals("eu", values.get("region"));

        SqlTemplate t = SqlTemplate.parse("select {{regoin}}");
        var e = assertThrows(SqlTemplate.TemplateException.class, () -> t.requireValues(values));
        assertTrue(e.getMessage().contains("{{regoin}} names no value") && e.getMessage().contains("region"), e.getMessage());
    }
}
