package io.jobplane.events.payload.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CatalogTypesTest {

    @Test
    void parsesAndPrintsHiveTypesCanonically() {
        assertEquals("array<struct<a:int,B:map<string,decimal(10,2)>>>",
                CatalogTypes.normalize("ARRAY< STRUCT<a : INTEGER, B:map<string, decimal(10, 2)>> >"));
        assertEquals("decimal(10,0)", CatalogTypes.normalize("decimal"));
        assertEquals("varchar(20)", CatalogTypes.normalize("varchar(20)"));
        assertEquals("double", CatalogTypes.normalize("double precision"));
        assertEquals("struct<weird name:string>", CatalogTypes.normalize("struct<`weird name`:string>"));
    }

    @Test
    void unionTypesParsePrintAndOnlyEqualOnesWiden() {
        assertEquals("uniontype<int,struct<a:string>>", CatalogTypes.normalize("UNIONTYPE< int , struct<a:string> >"));
        assertEquals(new CatalogTypes.Widened("uniontype<int,string>", false), CatalogTypes.widen("uniontype<int,string>", "uniontype<int,string>"));
        assertEquals(new CatalogTypes.Widened("uniontype<int,string>", false), CatalogTypes.widen("void", "uniontype<int,string>"));
        assertEquals(new CatalogTypes.Widened("string", true), CatalogTypes.widen("uniontype<int,string>", "uniontype<bigint,string>"));
        assertThrows(IllegalArgumentException.class, () -> CatalogTypes.parse("uniontype<>"));
    }

    @Test
    void fieldNamesTheSyntaxCannotHoldArePrintedQuotedAndReadBack() {
        CatalogTypes.Type type = new CatalogTypes.StructType(List.of(
                new CatalogTypes.Field("a:b", new CatalogTypes.Primitive("int")),
                new CatalogTypes.Field("x`y,z", new CatalogTypes.Primitive("string")),
                new CatalogTypes.Field(" pad", new CatalogTypes.Primitive("date")),
                new CatalogTypes.Field("plain name-1", new CatalogTypes.Primitive("date"))));
        String text = type.toString();
        assertEquals("struct<`a:b`:int,`x``y,z`:string,` pad`:date,plain name-1:date>", text);
        assertEquals(type, CatalogTypes.parse(text));
        assertEquals(text, CatalogTypes.normalize(text));
    }

    @Test
    void refusesTypesNestedBeyondTheBound() {
        String deep = "array<".repeat(CatalogTypes.MAX_NESTING) + "int" + ">".repeat(CatalogTypes.MAX_NESTING);
        assertThrows(IllegalArgumentException.class, () -> CatalogTypes.parse(deep));
        String fits = "array<".repeat(CatalogTypes.MAX_NESTING - 1) + "int" + ">".repeat(CatalogTypes.MAX_NESTING - 1);
        assertEquals(fits, CatalogTypes.normalize(fits));
    }

    @Test
    void parsedTypesWidenByTheSameRules() {
        assertEquals(CatalogTypes.parse("array<bigint>"), CatalogTypes.wider(CatalogTypes.parse("array<int>"), CatalogTypes.parse("array<bigint>")));
        assertEquals(CatalogTypes.parse("int"), CatalogTypes.wider(CatalogTypes.parse("void"), CatalogTypes.parse("int")));
        assertEquals(CatalogTypes.parse("timestamp"), CatalogTypes.wider(CatalogTypes.parse("timestamp"), CatalogTypes.parse("date")));
        assertEquals(null, CatalogTypes.wider(CatalogTypes.parse("int"), CatalogTypes.parse("date")));
    }

    @Test
    void refusesWhatIsNotAType() {
        for (String bad : List.of("", "array<int", "int>", "decimal(40,2)", "decimal(5,6)", "blob", "map<int>", "struct<:int>")) {
            assertThrows(IllegalArgumentException.class, () -> CatalogTypes.parse(bad), bad);
        }
    }

    @Test
    void integersWidenToBigintThenDouble() {
        assertEquals(new CatalogTypes.Widened("bigint", false), CatalogTypes.widen("int", "bigint"));
        assertEquals(new CatalogTypes.Widened("int", false), CatalogTypes.widen("tinyint", "int"));
        assertEquals(new CatalogTypes.Widened("double", false), CatalogTypes.widen("bigint", "double"));
        assertEquals(new CatalogTypes.Widened("double", false), CatalogTypes.widen("float", "int"));
        assertEquals(new CatalogTypes.Widened("decimal(12,2)", false), CatalogTypes.widen("int", "decimal(5,2)"));
        assertEquals(new CatalogTypes.Widened("decimal(22,4)", false), CatalogTypes.widen("decimal(20,2)", "decimal(6,4)"));
        assertEquals(new CatalogTypes.Widened("double", false), CatalogTypes.widen("decimal(38,2)", "decimal(38,10)"));
        assertEquals(new CatalogTypes.Widened("timestamp", false), CatalogTypes.widen("date", "timestamp"));
        assertEquals(new CatalogTypes.Widened("string", false), CatalogTypes.widen("varchar(3)", "string"));
    }

    @Test
    void nestedTypesWidenInsideAndIncompatibleOnesBecomeString() {
        assertEquals(new CatalogTypes.Widened("struct<a:bigint,b:string,c:boolean>", false),
                CatalogTypes.widen("struct<a:int,b:string>", "struct<A:bigint,c:boolean>"));
        assertEquals(new CatalogTypes.Widened("array<double>", false), CatalogTypes.widen("array<int>", "array<double>"));
        assertEquals(new CatalogTypes.Widened("map<string,bigint>", false), CatalogTypes.widen("map<string,int>", "map<string,bigint>"));
        assertEquals(new CatalogTypes.Widened("string", true), CatalogTypes.widen("int", "boolean"));
        assertEquals(new CatalogTypes.Widened("string", true), CatalogTypes.widen("array<int>", "struct<a:int>"));
        assertEquals(new CatalogTypes.Widened("string", true), CatalogTypes.widen("struct<a:int>", "struct<a:boolean>"));
        assertEquals(new CatalogTypes.Widened("bigint", false), CatalogTypes.widen("void", "bigint"));
        assertEquals(new CatalogTypes.Widened("array<struct<a:int,b:string>>", false),
                CatalogTypes.widen("array<struct<a:void,b:string>>", "array<struct<a:int,b:void>>"));
        assertEquals(new CatalogTypes.Widened("map<string,date>", false), CatalogTypes.widen("map<string,void>", "map<string,date>"));
    }

    @Test
    void columnsMergeByNameKeepingFirstOrderAndWarnOnConflicts() {
        List<String> warnings = new ArrayList<>();
        List<CatalogChange.Column> merged = CatalogTypes.mergeColumns(
                List.of(new CatalogChange.Column("id", "int", "key"), new CatalogChange.Column("flag", "boolean", null)),
                List.of(new CatalogChange.Column("ID", "bigint", null), new CatalogChange.Column("note", "string", "n"),
                        new CatalogChange.Column("flag", "int", null)),
                warnings);
        assertEquals(List.of(new CatalogChange.Column("id", "bigint", "key"), new CatalogChange.Column("flag", "string", null),
                new CatalogChange.Column("note", "string", "n")), merged);
        assertEquals(List.of("column 'flag' is boolean in some files and int in others: typed string"), warnings);
    }
}
