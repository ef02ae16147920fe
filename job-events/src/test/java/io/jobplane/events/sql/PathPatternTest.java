package io.jobplane.events.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PathPatternTest {

    private static final Map<String, Object> VALUES = SqlTemplate.values(Instant.parse("2026-03-04T05:06:07Z"),
            Map.of("region", "eu", "evil", "../etc", "star", "*", "dots", ".."));

    @Test
    void aPlainPathIsOneFileItsValuesFilledIn() {
        PathPattern p = PathPattern.parse("in/{{region}}/stores-{{FD_DATE}}-{{FD_TIME}}.csv");
        assertEquals(List.of("region", "FD_DATE", "FD_TIME"), p.names());
        assertFalse(p.isGlob());
        PathPattern.Resolved r = p.resolve(VALUES);
        assertEquals("in/eu/stores-20260304-050607.csv", r.literal());
        assertEquals("in/eu", r.directory());
        assertEquals("in/eu/stores-20260304-050607.csv", r.shown());
        assertEquals("", PathPattern.parse("./top.csv").resolve(VALUES).directory());
        assertEquals("archive/20260304", PathPattern.parse("archive/{{FD_DATE}}/").resolve(VALUES).directory());
    }

    @Test
    void globsMatchWithinTheirDirectoryAndValuesAreNeverPatterns() {
        PathPattern.Resolved r = PathPattern.parse("in/{{region}}/orders-*.{csv,tsv}").resolve(VALUES);
        assertTrue(r.isGlob());
        assertEquals("in/eu", r.directory());
        assertEquals(1, r.depth());
        assertTrue(r.matcher().matcher("orders-1.csv").matches());
        assertTrue(r.matcher().matcher("orders-.tsv").matches());
        assertFalse(r.matcher().matcher("orders-1.json").matches());
        assertFalse(r.matcher().matcher("sub/orders-1.csv").matches(), "* stays within one directory");

        PathPattern.Resolved deep = PathPattern.parse("in/**/x[0-9]?.csv").resolve(VALUES);
        assertEquals(Integer.MAX_VALUE, deep.depth());
        assertTrue(deep.matcher().matcher("x1a.csv").matches(), "** matches no directory too");
        assertTrue(deep.matcher().matcher("a/b/x2b.csv").matches());
        assertFalse(deep.matcher().matcher("a/xx1.csv").matches());
        assertFalse(PathPattern.parse("in/[!a]*.csv").resolve(VALUES).matcher().matcher("abc.csv").matches());

        PathPattern.Resolved literalStar = PathPattern.parse("in/{{star}}-*.csv").resolve(VALUES);
        assertTrue(literalStar.matcher().matcher("*-1.csv").matches());
        assertFalse(literalStar.matcher().matcher("a-1.csv").matches(), "a value's '*' is a plain character");
    }

    @Test
    void nothingLeavesTheBasePath() {
        assertTrue(refused("/etc/passwd").contains("absolute"));
        assertTrue(refused("~/x.csv").contains("absolute"));
        assertTrue(refused("in/../../etc/passwd").contains("'..'"));
        assertTrue(refused("in\\x.csv").contains("'/'"));
        assertTrue(refused("in//x.csv").contains("empty segment"));
        assertTrue(refused("in/[abc.csv").contains("never closed"));
        assertTrue(refused("in/a**.csv").contains("whole segment"));
        assertTrue(refused("in/**").contains("ends with '**'"));
        assertTrue(refused("in/{{ FD_DATE").contains("placeholder"));

        String slash = assertThrows(PathPattern.PathException.class,
                () -> PathPattern.parse("in/{{evil}}.csv").resolve(VALUES)).getMessage();
        assertTrue(slash.contains("{{evil}} is '../etc'") && slash.contains("'/'"), slash);
        String dots = assertThrows(PathPattern.PathException.class,
                () -> PathPattern.parse("in/{{dots}}/x.csv").resolve(VALUES)).getMessage();
        assertTrue(dots.contains("segment '..'"), dots);
        String unknown = assertThrows(PathPattern.PathException.class,
                () -> PathPattern.parse("in/{{nope}}.csv").resolve(VALUES)).getMessage();
        assertTrue(unknown.contains("{{nope}}") && unknown.contains("FD_DATE") && unknown.contains("\"parameters\""), unknown);
        assertNull(PathPattern.parse("in/*.csv").resolve(VALUES).literal());
    }

    private static String refused(String path) {
        return assertThrows(PathPattern.PathException.class, () -> PathPattern.parse(path)).getMessage();
    }
}
