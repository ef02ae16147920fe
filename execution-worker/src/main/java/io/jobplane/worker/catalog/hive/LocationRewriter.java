package io.jobplane.worker.catalog.hive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites storage locations by a migration's rules ({@code locations}: key becomes value), at most
 * {@value #MAX_RULES}. The rules are compared as plain strings, case-sensitively, with trailing
 * slashes of keys and values dropped:
 * <ul>
 * <li>a rule matches a location equal to its key, or one that continues its key with a {@code /}
 * (path-segment boundary: {@code hdfs://nn/wh} matches {@code hdfs://nn/wh/t1} but not
 * {@code hdfs://nn/wh2});</li>
 * <li>of the rules that match, the one with the longest key wins; the key is replaced by the value and
 * the rest of the location is kept as it is;</li>
 * <li>a location no rule matches stays as it is.</li>
 * </ul>
 * A key of slashes only ({@code /}) matches every location starting with {@code /}. Keys and values
 * may not be blank or longer than {@value #MAX_LENGTH} characters, and no two keys may be the same
 * after their trailing slashes are dropped (which one would win is not clear).
 */
public final class LocationRewriter {

    public static final int MAX_RULES = 20;
    public static final int MAX_LENGTH = 1024;

    private static final LocationRewriter NONE = new LocationRewriter(List.of());

    private record Rule(String key, String value) {
    }

    /** Longest key first. */
    private final List<Rule> rules;

    private LocationRewriter(List<Rule> rules) {
        this.rules = rules;
    }

    /** A rewriter that changes nothing. */
    public static LocationRewriter none() {
        return NONE;
    }

    /** The rewriter of these rules; {@link HiveMigrationException} ({@code INVALID_OPTIONS}) when they are invalid. */
    public static LocationRewriter of(List<LocationRule> rules) {
        if (rules == null || rules.isEmpty()) {
            return NONE;
        }
        if (rules.size() > MAX_RULES) {
            throw invalid("at most " + MAX_RULES + " location rules are allowed, not " + rules.size());
        }
        List<Rule> normalized = new ArrayList<>(rules.size());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            LocationRule rule = rules.get(i);
            if (rule == null || rule.key() == null || rule.value() == null || rule.key().isBlank() || rule.value().isBlank()) {
                throw invalid("location rule " + (i + 1) + " needs a key and a value");
            }
            if (rule.key().length() > MAX_LENGTH || rule.value().length() > MAX_LENGTH) {
                throw invalid("location rule " + (i + 1) + " is longer than " + MAX_LENGTH + " characters");
            }
            if (!rule.key().equals(rule.key().strip()) || !rule.value().equals(rule.value().strip())) {
                throw invalid("location rule " + (i + 1) + " starts or ends with white space");
            }
            String key = stripTrailingSlashes(rule.key());
            if (!keys.add(key)) {
                throw invalid("location rule " + (i + 1) + " has the same key as an earlier rule: " + rule.key());
            }
            normalized.add(new Rule(key, stripTrailingSlashes(rule.value())));
        }
        normalized.sort(Comparator.comparingInt((Rule r) -> r.key().length()).reversed());
        return new LocationRewriter(List.copyOf(normalized));
    }

    /** The location rewritten by the longest matching rule, or as it is when none matches (null stays null). */
    public String rewrite(String location) {
        if (location == null) {
            return null;
        }
        for (Rule rule : rules) {
            String key = rule.key();
            if (location.startsWith(key) && (location.length() == key.length() || location.charAt(key.length()) == '/')) {
                return rule.value() + location.substring(key.length());
            }
        }
        return location;
    }

    /** How many rules there are. */
    public int size() {
        return rules.size();
    }

    private static String stripTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }

    private static HiveMigrationException invalid(String message) {
        return new HiveMigrationException(HiveMigrationException.Code.INVALID_OPTIONS, message);
    }
}
