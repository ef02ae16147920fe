package io.jobplane.events.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.events.sql.FileCopyStatement.IfExists;
import io.jobplane.events.sql.FolderLoadStatement.Format;
import io.jobplane.events.sql.ReplicateStatement.TableName;

class FileStatementsTest {

    @Test
    void aFolderLoadNamesItsTableFilesAndCsvDialect() {
        FolderLoadStatement s = FolderLoadStatement.parse(
                "REPLICATE [sales].[Orders] FROM 'incoming/{{FD_DATE}}/orders-*.txt' WITH Format='csv', Header='false',"
                        + " Separator=';', Quote='''', Escape='\\', NullValue='NULL';");
        assertEquals(new TableName("sales", "Orders"), s.target());
        assertEquals("incoming/{{FD_DATE}}/orders-*.txt", s.from().text());
        assertEquals(List.of("FD_DATE"), s.names());
        assertEquals(Format.CSV, s.format());
        assertFalse(s.header());
        assertEquals(';', s.separator());
        assertEquals('\'', s.quote());
        assertEquals(Character.valueOf('\\'), s.escape());
        assertEquals("NULL", s.nullValue());

        FolderLoadStatement defaults = FolderLoadStatement.parse("replicate orders from 'in/orders.csv'");
        assertEquals(Format.CSV, defaults.format());
        assertTrue(defaults.header());
        assertEquals(',', defaults.separator());
        assertEquals('"', defaults.quote());
        assertNull(defaults.escape());
        assertEquals("", defaults.nullValue());
        assertEquals('\t', FolderLoadStatement.parse("REPLICATE [t] FROM 'in/*.tsv'").separator());
        assertEquals('\t', FolderLoadStatement.parse("REPLICATE [t] FROM 'in/*.txt' WITH Format='CSV', Separator='TAB'").separator());
        assertEquals(Format.JSONL, FolderLoadStatement.parse("REPLICATE [t] FROM 'in/*.ndjson'").format());
        assertEquals(Format.PARQUET, FolderLoadStatement.parse("REPLICATE [t] FROM 'in/**/*' WITH Format='Parquet'").format());
    }

    @Test
    void folderLoadMistakesAreRefusedWithTheFix() {
        assertTrue(loadRefused("REPLICATE [t]").contains("expected FROM 'path'"));
        assertTrue(loadRefused("REPLICATE [t] FROM 'in/*'").contains("add WITH Format='CSV'"));
        assertTrue(loadRefused("REPLICATE [t] FROM 'in/*.jsonl' WITH Header='true'").contains("Header applies to CSV files only"));
        assertTrue(loadRefused("REPLICATE [t] FROM 'in/*.csv' WITH Separator=';;'").contains("one character"));
        assertTrue(loadRefused("REPLICATE [t] FROM 'in/*.csv' WITH Separator='\"'").contains("must differ"));
        assertTrue(loadRefused("REPLICATE [t] FROM 'in/*.csv' WITH Format='XML'").contains("CSV, JSONL or PARQUET"));
        assertTrue(loadRefused("REPLICATE [t] FROM '../secret/*.csv'").contains("'..'"));
        assertTrue(loadRefused("REPLICATE [t] FROM '/etc/*.csv'").contains("absolute"));
        assertTrue(loadRefused("REPLICATE [t] FROM 'in/' ").contains("not a directory"));
        assertTrue(loadRefused("REPLICATE [t] FROM 'in/*.csv' Header='true'").contains("after WITH"));
        assertTrue(loadRefused("REPLICATE [t] FROM 'in/*.csv' WITH Foo='1'").contains("unknown option 'Foo'"));
        assertTrue(loadRefused("REPLICATE [t").contains("Write REPLICATE [Table] FROM 'folder/files-*.csv'"));
    }

    @Test
    void aFileCopyNamesWhatAndWhere() {
        FileCopyStatement s = FileCopyStatement.parse("COPY 'in/stores-{{FD_DATE}}-{{FD_TIME}}.csv' TO 'archive/{{FD_DATE}}/'");
        assertEquals(List.of("FD_DATE", "FD_TIME", "FD_DATE"), s.names());
        assertTrue(s.to().isDirectory());
        assertEquals(IfExists.REPLACE, s.ifExists());
        FileCopyStatement renamed = FileCopyStatement.parse("copy 'in/a.csv' to 'out/b.csv' with IfExists='fail'");
        assertFalse(renamed.to().isDirectory());
        assertEquals(IfExists.FAIL, renamed.ifExists());
        assertTrue(FileCopyStatement.parse("COPY 'in/**/*.csv' TO './'").from().isGlob());
    }

    @Test
    void fileCopyMistakesAreRefusedWithTheFix() {
        assertTrue(copyRefused("COPY 'in/*.csv' TO 'out/all.csv'").contains("TO must be a directory"));
        assertTrue(copyRefused("COPY 'in/a.csv' TO 'out/*.csv'").contains("holds a pattern"));
        assertTrue(copyRefused("COPY 'in/a.csv' TO '../out/'").contains("'..'"));
        assertTrue(copyRefused("COPY 'in/a.csv'").contains("expected TO"));
        assertTrue(copyRefused("COPY in/a.csv TO 'x/'").contains("quoted path"));
        assertTrue(copyRefused("COPY 'in/a.csv' TO 'x/' WITH IfExists='MERGE'").contains("REPLACE, SKIP or FAIL"));
        assertTrue(copyRefused("MOVE 'a' TO 'b'").contains("Write COPY 'in/stores-{{FD_DATE}}.csv'"));
    }

    private static String loadRefused(String task) {
        return assertThrows(FolderLoadStatement.SyntaxException.class, () -> FolderLoadStatement.parse(task)).getMessage();
    }

    private static String copyRefused(String task) {
        return assertThrows(FileCopyStatement.SyntaxException.class, () -> FileCopyStatement.parse(task)).getMessage();
    }
}
