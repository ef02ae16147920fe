package io.jobplane.worker.replication;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What replication needs to know of PostgreSQL types, as {@code format_type} writes them. */
final class PgTypes {

    private static final Pattern LENGTH = Pattern.compile("(character varying|character)\\((\\d+)\\)");
    private static final Pattern NUMERIC = Pattern.compile("numeric(?:\\((\\d+),(\\d+)\\))?");
    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");
    private static final List<String> FLOATS = List.of("real", "double precision");

    private PgTypes() {
    }

    /** The most characters a column of this type holds, or null when unbounded. */
    static Integer lengthLimit(String type) {
        Matcher m = LENGTH.matcher(type);
        return m.matches() ? Integer.valueOf(m.group(2)) : null;
    }

    /**
     * Whether a destination column of type {@code destination} should become {@code source} so every
     * source value fits: longer strings, larger integers, more numeric digits, double precision.
     */
    static boolean wider(String source, String destination) {
        if (source.equals(destination)) {
            return false;
        }
        if (isText(source) && isText(destination)) {
            Integer s = lengthLimit(source);
            Integer d = lengthLimit(destination);
            return d != null && (s == null || s > d);
        }
        if (INTEGERS.contains(destination)) {
            return INTEGERS.indexOf(source) > INTEGERS.indexOf(destination) || source.startsWith("numeric");
        }
        if (FLOATS.contains(destination)) {
            return FLOATS.indexOf(source) > FLOATS.indexOf(destination);
        }
        Matcher s = NUMERIC.matcher(source);
        Matcher d = NUMERIC.matcher(destination);
        if (s.matches() && d.matches() && d.group(1) != null) {
            if (s.group(1) == null) {
                return true;
            }
            int sScale = Integer.parseInt(s.group(2));
            int dScale = Integer.parseInt(d.group(2));
            int sWhole = Integer.parseInt(s.group(1)) - sScale;
            int dWhole = Integer.parseInt(d.group(1)) - dScale;
            return sScale > dScale || sWhole > dWhole;
        }
        return false;
    }

    /** The type a widened column takes: the source's, or for numerics one that holds both. */
    static String widened(String source, String destination) {
        Matcher s = NUMERIC.matcher(source);
        Matcher d = NUMERIC.matcher(destination);
        if (s.matches() && d.matches() && s.group(1) != null && d.group(1) != null) {
            int scale = Math.max(Integer.parseInt(s.group(2)), Integer.parseInt(d.group(2)));
            int whole = Math.max(Integer.parseInt(s.group(1)) - Integer.parseInt(s.group(2)),
                    Integer.parseInt(d.group(1)) - Integer.parseInt(d.group(2)));
            return "numeric(" + (whole + scale) + "," + scale + ")";
        }
        if (isText(source) && lengthLimit(source) == null) {
            return "text";
        }
        return source;
    }

    static boolean isTemporal(String type) {
        return type.equals("date") || type.startsWith("timestamp");
    }

    static boolean isNumber(String type) {
        return INTEGERS.contains(type) || FLOATS.contains(type) || type.startsWith("numeric");
    }

    private static boolean isText(String type) {
        return type.equals("text") || type.startsWith("character");
    }
}
