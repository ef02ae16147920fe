package io.jobplane.events.payload.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hive's type syntax ({@code array<struct<a:int,b:map<string,decimal(10,2)>>>}) and the widening rules
 * by which the schemas of a table's files merge (docs/events.md, "Widening"): a discovery merges the
 * schemas of the files it read, and metadata-harvester merges a {@code merge_schema} change into the
 * stored columns, with the same rules.
 */
public final class CatalogTypes {

    /** Integer types, narrowest first. */
    private static final List<String> INTEGERS = List.of("tinyint", "smallint", "int", "bigint");
    /** Digits of precision an integer type needs as a decimal. */
    private static final Map<String, Integer> INTEGER_DIGITS = Map.of("tinyint", 3, "smallint", 5, "int", 10, "bigint", 19);
    private static final int MAX_DECIMAL_PRECISION = 38;
    /** Types nested deeper than this are refused by {@link #parse} (a bound against hostile type texts). */
    public static final int MAX_NESTING = 100;

    private CatalogTypes() {
    }

    /** A widened type, and whether the two could only meet as {@code string} (a conflict worth a warning). */
    public record Widened(String type, boolean conflict) {
    }

    /** The type both {@code a} and {@code b} fit in, in Hive's syntax (lower-case keywords). */
    public static Widened widen(String a, String b) {
        return widen(parse(a), parse(b));
    }

    /**
     * Merges {@code incoming} columns into {@code existing}: matched by name ignoring case, the existing
     * order first and new columns after; a column in one list only is kept; types widen. Each conflict
     * (two types that meet only as {@code string}) adds a warning naming the column and both types.
     */
    public static List<CatalogChange.Column> mergeColumns(List<CatalogChange.Column> existing,
            List<CatalogChange.Column> incoming, List<String> warnings) {
        Map<String, CatalogChange.Column> merged = new LinkedHashMap<>();
        for (CatalogChange.Column column : existing) {
            merged.putIfAbsent(column.name().toLowerCase(Locale.ROOT), column);
        }
        for (CatalogChange.Column column : incoming) {
            String key = column.name().toLowerCase(Locale.ROOT);
            CatalogChange.Column known = merged.get(key);
            if (known == null) {
                merged.put(key, column);
                continue;
            }
            Widened widened = widen(known.type(), column.type());
            if (widened.conflict()) {
                warnings.add("column '" + known.name() + "' is " + normalize(known.type()) + " in some files and "
                        + normalize(column.type()) + " in others: typed string");
            }
            String comment = known.comment() != null ? known.comment() : column.comment();
            merged.put(key, new CatalogChange.Column(known.name(), widened.type(), comment));
        }
        return new ArrayList<>(merged.values());
    }

    /** A type in its canonical spelling: lower-case keywords, no spaces ({@code struct<a:int>}). */
    public static String normalize(String type) {
        return parse(type).toString();
    }

    /** A parsed Hive type. Field names of structs keep their spelling. */
    public sealed interface Type permits Primitive, Decimal, ArrayType, MapType, StructType, UnionType {
    }

    public record Primitive(String name) implements Type {
        @Override
        public String toString() {
            return name;
        }
    }

    public record Decimal(int precision, int scale) implements Type {
        @Override
        public String toString() {
            return "decimal(" + precision + "," + scale + ")";
        }
    }

    public record ArrayType(Type element) implements Type {
        @Override
        public String toString() {
            return "array<" + element + ">";
        }
    }

    public record MapType(Type key, Type value) implements Type {
        @Override
        public String toString() {
            return "map<" + key + "," + value + ">";
        }
    }

    public record Field(String name, Type type) {
    }

    /**
     * A struct. A field name that the syntax could not read back (one holding {@code : , < >} or a
     * backtick, empty, or with spaces at its ends) is printed between backticks, a backtick in it doubled.
     */
    public record StructType(List<Field> fields) implements Type {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("struct<");
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    s.append(',');
                }
                s.append(fieldName(fields.get(i).name())).append(':').append(fields.get(i).type());
            }
            return s.append('>').toString();
        }

        private static String fieldName(String name) {
            boolean plain = !name.isEmpty() && name.equals(name.strip());
            for (int i = 0; plain && i < name.length(); i++) {
                char c = name.charAt(i);
                plain = c != ':' && c != ',' && c != '<' && c != '>' && c != '`';
            }
            return plain ? name : "`" + name.replace("`", "``") + "`";
        }
    }

    /** Hive's {@code uniontype<int,string>}: a value of one of its member types (Avro and ORC unions). */
    public record UnionType(List<Type> members) implements Type {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("uniontype<");
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    s.append(',');
                }
                s.append(members.get(i));
            }
            return s.append('>').toString();
        }
    }

    /** Parses Hive's type syntax; {@link IllegalArgumentException} when it is not one. */
    public static Type parse(String text) {
        Parser parser = new Parser(text);
        Type type = parser.type();
        parser.skipSpaces();
        if (parser.pos != text.length()) {
            throw new IllegalArgumentException("not a Hive type: '" + text + "' (unexpected text at " + parser.pos + ")");
        }
        return type;
    }

    /**
     * The type both parsed types fit in by the rules of {@link #widen(String, String)}, or null when
     * they meet only as {@code string} (a conflict); for callers that merge many parsed types.
     */
    public static Type wider(Type a, Type b) {
        if (a instanceof Primitive pa && pa.name().equals("void")) {
            return b;
        }
        if (b instanceof Primitive pb && pb.name().equals("void")) {
            return a;
        }
        return widenType(a, b);
    }

    private static Widened widen(Type a, Type b) {
        if (a.equals(b)) {
            return new Widened(a.toString(), false);
        }
        if (a instanceof Primitive pa && pa.name().equals("void")) {
            return new Widened(b.toString(), false);
        }
        if (b instanceof Primitive pb && pb.name().equals("void")) {
            return new Widened(a.toString(), false);
        }
        Type widened = widenType(a, b);
        return widened == null ? new Widened("string", true) : new Widened(widened.toString(), false);
    }

    /** The wider type, or null when the two meet only as string. {@code void} (only nulls seen) fits in any type, at any depth. */
    private static Type widenType(Type a, Type b) {
        if (a.equals(b)) {
            return a;
        }
        if (a instanceof Primitive pa && pa.name().equals("void")) {
            return b;
        }
        if (b instanceof Primitive pb && pb.name().equals("void")) {
            return a;
        }
        if (a instanceof ArrayType x && b instanceof ArrayType y) {
            Type element = widenType(x.element(), y.element());
            return element == null ? null : new ArrayType(element);
        }
        if (a instanceof MapType x && b instanceof MapType y) {
            Type key = widenType(x.key(), y.key());
            Type value = widenType(x.value(), y.value());
            return key == null || value == null ? null : new MapType(key, value);
        }
        if (a instanceof StructType x && b instanceof StructType y) {
            Map<String, Field> fields = new LinkedHashMap<>();
            for (Field f : x.fields()) {
                fields.putIfAbsent(f.name().toLowerCase(Locale.ROOT), f);
            }
            for (Field f : y.fields()) {
                String key = f.name().toLowerCase(Locale.ROOT);
                Field known = fields.get(key);
                if (known == null) {
                    fields.put(key, f);
                } else {
                    Type type = widenType(known.type(), f.type());
                    if (type == null) {
                        return null;
                    }
                    fields.put(key, new Field(known.name(), type));
                }
            }
            return new StructType(List.copyOf(fields.values()));
        }
        if (isNumeric(a) && isNumeric(b)) {
            return widenNumeric(a, b);
        }
        if (a instanceof Primitive x && b instanceof Primitive y) {
            if (isDateTime(x.name()) && isDateTime(y.name())) {
                return new Primitive("timestamp");
            }
            if (isText(x.name()) && isText(y.name())) {
                return new Primitive("string");
            }
        }
        return null;
    }

    private static Type widenNumeric(Type a, Type b) {
        if (a instanceof Primitive x && b instanceof Primitive y) {
            int ia = INTEGERS.indexOf(x.name());
            int ib = INTEGERS.indexOf(y.name());
            if (ia >= 0 && ib >= 0) {
                return new Primitive(INTEGERS.get(Math.max(ia, ib)));
            }
            return new Primitive("double");
        }
        if (a instanceof Primitive p && (p.name().equals("float") || p.name().equals("double"))
                || b instanceof Primitive q && (q.name().equals("float") || q.name().equals("double"))) {
            return new Primitive("double");
        }
        Decimal x = asDecimal(a);
        Decimal y = asDecimal(b);
        int scale = Math.max(x.scale(), y.scale());
        int integerDigits = Math.max(x.precision() - x.scale(), y.precision() - y.scale());
        if (integerDigits + scale > MAX_DECIMAL_PRECISION) {
            return new Primitive("double");
        }
        return new Decimal(integerDigits + scale, scale);
    }

    private static Decimal asDecimal(Type type) {
        if (type instanceof Decimal d) {
            return d;
        }
        return new Decimal(INTEGER_DIGITS.get(((Primitive) type).name()), 0);
    }

    private static boolean isNumeric(Type type) {
        return type instanceof Decimal
                || type instanceof Primitive p && (INTEGERS.contains(p.name()) || p.name().equals("float") || p.name().equals("double"));
    }

    private static boolean isDateTime(String name) {
        return name.equals("date") || name.equals("timestamp");
    }

    private static boolean isText(String name) {
        return name.equals("string") || name.startsWith("varchar") || name.startsWith("char");
    }

    private static final class Parser {
        private final String text;
        private int pos;
        private int depth;

        Parser(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("not a Hive type: it is empty");
            }
            this.text = text;
        }

        Type type() {
            if (++depth > MAX_NESTING) {
                throw new IllegalArgumentException("not a Hive type: it nests deeper than " + MAX_NESTING + " levels");
            }
            try {
                return unboundedType();
            } finally {
                depth--;
            }
        }

        private Type unboundedType() {
            skipSpaces();
            String word = word().toLowerCase(Locale.ROOT);
            switch (word) {
                case "array" -> {
                    expect('<');
                    Type element = type();
                    expect('>');
                    return new ArrayType(element);
                }
                case "map" -> {
                    expect('<');
                    Type key = type();
                    expect(',');
                    Type value = type();
                    expect('>');
                    return new MapType(key, value);
                }
                case "struct" -> {
                    expect('<');
                    List<Field> fields = new ArrayList<>();
                    skipSpaces();
                    if (peek() != '>') {
                        do {
                            skipSpaces();
                            String name = fieldName();
                            expect(':');
                            fields.add(new Field(name, type()));
                            skipSpaces();
                        } while (consume(','));
                    }
                    expect('>');
                    return new StructType(List.copyOf(fields));
                }
                case "uniontype" -> {
                    expect('<');
                    List<Type> members = new ArrayList<>();
                    do {
                        members.add(type());
                    } while (consume(','));
                    expect('>');
                    return new UnionType(List.copyOf(members));
                }
                case "decimal", "numeric" -> {
                    skipSpaces();
                    if (!consume('(')) {
                        return new Decimal(10, 0);
                    }
                    int precision = number();
                    int scale = consume(',') ? number() : 0;
                    expect(')');
                    if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
                        throw new IllegalArgumentException("not a Hive type: '" + text + "' (decimal(" + precision + "," + scale + "))");
                    }
                    return new Decimal(precision, scale);
                }
                case "varchar", "char" -> {
                    expect('(');
                    int length = number();
                    expect(')');
                    return new Primitive(word + "(" + length + ")");
                }
                case "integer" -> {
                    return new Primitive("int");
                }
                case "boolean", "tinyint", "smallint", "int", "bigint", "float", "double", "string", "binary", "date",
                        "timestamp", "interval_year_month", "interval_day_time", "void" -> {
                    return new Primitive(word);
                }
                default -> {
                    throw new IllegalArgumentException("not a Hive type: '" + text + "' (unknown type '" + word + "')");
                }
            }
        }

        private String word() {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("not a Hive type: '" + text + "' (a type name expected at " + pos + ")");
            }
            String word = text.substring(start, pos);
            if (word.equalsIgnoreCase("double") && text.regionMatches(true, pos, " precision", 0, 10)) {
                pos += 10;
            }
            return word;
        }

        private String fieldName() {
            if (peek() == '`') {
                StringBuilder name = new StringBuilder();
                int at = pos + 1;
                while (true) {
                    int end = text.indexOf('`', at);
                    if (end < 0) {
                        throw new IllegalArgumentException("not a Hive type: '" + text + "' (an unclosed `)");
                    }
                    name.append(text, at, end);
                    if (end + 1 < text.length() && text.charAt(end + 1) == '`') {
                        name.append('`');
                        at = end + 2;
                        continue;
                    }
                    pos = end + 1;
                    break;
                }
                skipSpaces();
                return name.toString();
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ':' && text.charAt(pos) != ',' && text.charAt(pos) != '>') {
                pos++;
            }
            String name = text.substring(start, pos).trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("not a Hive type: '" + text + "' (a field name expected at " + start + ")");
            }
            return name;
        }

        private int number() {
            skipSpaces();
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos || pos - start > 4) {
                throw new IllegalArgumentException("not a Hive type: '" + text + "' (a number expected at " + start + ")");
            }
            int n = Integer.parseInt(text.substring(start, pos));
            skipSpaces();
            return n;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private boolean consume(char c) {
            skipSpaces();
            if (peek() == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!consume(c)) {
                throw new IllegalArgumentException("not a Hive type: '" + text + "' ('" + c + "' expected at " + pos + ")");
            }
        }

        void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
