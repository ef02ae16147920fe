package io.jobplane.worker.catalog.discovery;

import java.util.ArrayList;
import java.util.List;

import io.jobplane.events.payload.catalog.CatalogTypes;

/**
 * Builds one file's column types within the run's bounds: a type may nest at most
 * {@link Limits#maxTypeDepth()} levels and the file hold at most {@link Limits#maxColumns()}
 * columns and struct fields together. Collects what could not be mapped exactly.
 */
final class TypeBudget {

    static final CatalogTypes.Type BOOLEAN = new CatalogTypes.Primitive("boolean");
    static final CatalogTypes.Type TINYINT = new CatalogTypes.Primitive("tinyint");
    static final CatalogTypes.Type SMALLINT = new CatalogTypes.Primitive("smallint");
    static final CatalogTypes.Type INT = new CatalogTypes.Primitive("int");
    static final CatalogTypes.Type BIGINT = new CatalogTypes.Primitive("bigint");
    static final CatalogTypes.Type FLOAT = new CatalogTypes.Primitive("float");
    static final CatalogTypes.Type DOUBLE = new CatalogTypes.Primitive("double");
    static final CatalogTypes.Type STRING = new CatalogTypes.Primitive("string");
    static final CatalogTypes.Type BINARY = new CatalogTypes.Primitive("binary");
    static final CatalogTypes.Type DATE = new CatalogTypes.Primitive("date");
    static final CatalogTypes.Type TIMESTAMP = new CatalogTypes.Primitive("timestamp");
    static final CatalogTypes.Type VOID = new CatalogTypes.Primitive("void");
    static final int MAX_DECIMAL_PRECISION = 38;

    private final int maxDepth;
    private final int maxFields;
    private int fields;
    final List<String> warnings = new ArrayList<>();

    TypeBudget(Limits limits) {
        this.maxDepth = limits.maxTypeDepth();
        this.maxFields = limits.maxColumns();
    }

    /** Counts a column or struct field. */
    void field() throws UnreadableFileException {
        if (++fields > maxFields) {
            throw new UnreadableFileException("has more than " + maxFields + " columns and nested fields");
        }
    }

    /** Checks the nesting of a complex type at {@code depth} (a column's own type is at depth 1). */
    void nest(int depth) throws UnreadableFileException {
        if (depth > maxDepth) {
            throw new UnreadableFileException("has a type nested deeper than " + maxDepth + " levels");
        }
    }

    /** {@code decimal(p,s)}, or {@code string} with a warning when Hive cannot hold its precision. */
    CatalogTypes.Type decimal(String column, int precision, int scale) {
        if (precision >= 1 && precision <= MAX_DECIMAL_PRECISION && scale >= 0 && scale <= precision) {
            return new CatalogTypes.Decimal(precision, scale);
        }
        warnings.add("column '" + column + "' is decimal(" + precision + "," + scale + "), beyond Hive's decimal(38): typed string");
        return STRING;
    }

    /** The number of columns and fields counted so far. */
    int fields() {
        return fields;
    }

    /** A type with every {@code void} (a column or element seen only as null) typed {@code string}. */
    static CatalogTypes.Type voidAsString(CatalogTypes.Type type) {
        if (type instanceof CatalogTypes.Primitive p) {
            return p.name().equals("void") ? STRING : p;
        }
        if (type instanceof CatalogTypes.ArrayType a) {
            return new CatalogTypes.ArrayType(voidAsString(a.element()));
        }
        if (type instanceof CatalogTypes.MapType m) {
            return new CatalogTypes.MapType(voidAsString(m.key()), voidAsString(m.value()));
        }
        if (type instanceof CatalogTypes.StructType s) {
            List<CatalogTypes.Field> fields = new ArrayList<>(s.fields().size());
            for (CatalogTypes.Field f : s.fields()) {
                fields.add(new CatalogTypes.Field(f.name(), voidAsString(f.type())));
            }
            return new CatalogTypes.StructType(List.copyOf(fields));
        }
        if (type instanceof CatalogTypes.UnionType u) {
            return new CatalogTypes.UnionType(u.members().stream().map(TypeBudget::voidAsString).toList());
        }
        return type;
    }

    /** Columns and struct fields a type holds (a column itself not counted). */
    static int fieldsIn(CatalogTypes.Type type) {
        if (type instanceof CatalogTypes.ArrayType a) {
            return fieldsIn(a.element());
        }
        if (type instanceof CatalogTypes.MapType m) {
            return fieldsIn(m.key()) + fieldsIn(m.value());
        }
        if (type instanceof CatalogTypes.StructType s) {
            int n = s.fields().size();
            for (CatalogTypes.Field f : s.fields()) {
                n += fieldsIn(f.type());
            }
            return n;
        }
        if (type instanceof CatalogTypes.UnionType u) {
            int n = 0;
            for (CatalogTypes.Type member : u.members()) {
                n += fieldsIn(member);
            }
            return n;
        }
        return 0;
    }
}
