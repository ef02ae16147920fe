package io.jobplane.api.run;

import java.util.Map;
import java.util.TreeMap;

/**
 * Tags a launch gives its run: at most {@value #MAX_TAGS}, keys matching {@value #KEY}, values of at
 * most {@value #MAX_VALUE} characters. The run stores them as {@code key=value} strings (a key holds
 * no {@code =}), so a search for some tags is an array containment an index answers.
 */
public final class RunTags {

    public static final int MAX_TAGS = 20;
    public static final int MAX_VALUE = 256;
    public static final String KEY = "[A-Za-z0-9_.-]{1,63}";
    public static final String KEY_RULE = "must be 1 to 63 letters, digits, '_', '.' or '-'";
    /** Values hold no control characters. */
    public static final String VALUE = "\\P{Cntrl}*";
    public static final String VALUE_RULE = "must hold no control characters";

    private RunTags() {
    }

    /** The stored form of tags (sorted by key); empty for none. */
    public static String[] stored(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return new String[0];
        }
        return new TreeMap<>(tags).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /** Tags from their stored form; empty for none. */
    public static Map<String, String> of(String[] stored) {
        Map<String, String> tags = new TreeMap<>();
        if (stored != null) {
            for (String tag : stored) {
                int eq = tag.indexOf('=');
                tags.put(tag.substring(0, eq), tag.substring(eq + 1));
            }
        }
        return tags;
    }
}
