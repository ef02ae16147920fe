package io.jobplane.api.run;

import java.util.Map;
import java.util.TreeMap;

/**
 * Tags a launch gives its run: at most {@value #MAX_TAGS}, keys matching {@value #KEY}, values of at
 * most {@value #MAX_VALUE} characters without control characters. They travel in the run's queued
 * event to the run read model, where {@code GET …/runs?tag=key:value} finds the run by them.
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

    /** The tags of a launch, sorted by key; empty for none. */
    public static Map<String, String> of(Map<String, String> tags) {
        return tags == null ? Map.of() : new TreeMap<>(tags);
    }
}
