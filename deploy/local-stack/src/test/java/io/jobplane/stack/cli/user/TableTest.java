package io.jobplane.stack.cli.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAlignToTheirWidestCellAndEmptyCellsShowADash() {
        String text = new Table("NAME", "STATUS", "ROWS").row("load-customers", "SUCCESS", 3).row("x", null, "")
                .row("multi\nline", "RUNNING", 12345).render();
        assertEquals(String.join(System.lineSeparator(),
                "NAME            STATUS   ROWS",
                "load-customers  SUCCESS  3",
                "x               -        -",
                "multi line      RUNNING  12345", ""), text);
    }

    @Test
    void aRowOfTheWrongWidthIsABug() {
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }

    @Test
    void cutKeepsTheFirstLineUpToTheLimitAndMarksWhatWasLeftOut() {
        assertEquals("select 1", Table.cut("select 1", 20));
        assertEquals("select…", Table.cut("select 1 from dual", 7));
        assertEquals("create table t (…", Table.cut("create table t (\n id int)", 40));
    }
}
