package io.jobplane.events.sql;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pieces the task statements share: {@code Name='value'} option lists and quoted strings. */
final class StatementText {

    static final Pattern OPTION = Pattern.compile("(?s)\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*'((?:[^']|'')*)'\\s*");

    private StatementText() {
    }

    /**
     * Reads {@code Name='value', …} from {@code at[0]} on (after the {@code WITH}); names are
     * matched ignoring case against {@code known} (lower-case name → how it is written). Returns
     * the values by lower-case name, {@code at[0]} past the list.
     */
    static Map<String, String> options(String text, int[] at, Map<String, String> known,
            Function<String, ? extends RuntimeException> error) {
        Map<String, String> options = new TreeMap<>();
        int i = at[0];
        while (true) {
            Matcher option = OPTION.matcher(text).region(i, text.length());
            if (!option.lookingAt()) {
                throw error.apply("expected Name='value' after WITH at position " + (i + 1));
            }
            String key = option.group(1).toLowerCase(Locale.ROOT);
            if (!known.containsKey(key)) {
                throw error.apply("unknown option '" + option.group(1) + "'; known: " + new TreeMap<>(known).values());
            }
            if (options.put(key, option.group(2).replace("''", "'")) != null) {
                throw error.apply("option " + known.get(key) + " is given twice");
            }
            i = option.end();
            if (i < text.length() && text.charAt(i) == ',') {
                i++;
                continue;
            }
            break;
        }
        at[0] = i;
        return options;
    }

    /** A string in single quotes ({@code ''} inside is a quote) at {@code at[0]}, or null when there is none. */
    static String quoted(String text, int[] at) {
        int i = ReplicateStatement.skipSpaces(text, at[0]);
        if (i >= text.length() || text.charAt(i) != '\'') {
            return null;
        }
        StringBuilder value = new StringBuilder();
        for (int j = i + 1; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '\'') {
                if (j + 1 < text.length() && text.charAt(j + 1) == '\'') {
                    value.append('\'');
                    j++;
                    continue;
                }
                at[0] = j + 1;
                return value.toString();
            }
            value.append(c);
        }
        return null;
    }

    /** Whether the keyword (a whole word, any case) stands at {@code at[0]}; if so {@code at[0]} moves past it. */
    static boolean keyword(String text, int[] at, String word) {
        int i = ReplicateStatement.skipSpaces(text, at[0]);
        int end = i + word.length();
        if (end > text.length() || !text.regionMatches(true, i, word, 0, word.length())
                || end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            return false;
        }
        at[0] = end;
        return true;
    }

    /** The text without trailing semicolons and blanks. */
    static String trimmed(String task) {
        String text = task.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).stripTrailing();
        }
        return text;
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
