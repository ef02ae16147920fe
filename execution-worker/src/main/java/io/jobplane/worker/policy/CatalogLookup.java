package io.jobplane.worker.policy;

import java.util.List;
import java.util.Optional;

/**
 * The names the catalog knows, to expand the wildcards ({@code *}, {@code ?}) of a policy's resources. Each
 * method returns the known names matching {@code pattern} (case-insensitive), or {@link Optional#empty()} when the
 * catalog does not know the objects at that level (the pattern is then kept as a pattern grant). A known level
 * where nothing matches is an empty list.
 */
public interface CatalogLookup {

    Optional<List<String>> databases(String catalog, String pattern);

    Optional<List<String>> tables(String catalog, String database, String pattern);

    Optional<List<String>> columns(String catalog, String database, String table, String pattern);

    /** Knows nothing: every pattern stays a pattern. */
    CatalogLookup UNKNOWN = new CatalogLookup() {
        @Override
        public Optional<List<String>> databases(String catalog, String pattern) {
            return Optional.empty();
        }

        @Override
        public Optional<List<String>> tables(String catalog, String database, String pattern) {
            return Optional.empty();
        }

        @Override
        public Optional<List<String>> columns(String catalog, String database, String table, String pattern) {
            return Optional.empty();
        }
    };

    /** True when {@code name} holds a Ranger wildcard. */
    static boolean isPattern(String name) {
        return name != null && (name.indexOf('*') >= 0 || name.indexOf('?') >= 0);
    }

    /**
     * Ranger's wildcard match: {@code *} any characters, {@code ?} one, case-insensitive. Greedy with one
     * backtrack point (the last {@code *}), so at most pattern × name steps whatever the pattern holds.
     */
    static boolean matches(String pattern, String name) {
        String p = pattern.toLowerCase(java.util.Locale.ROOT);
        String n = name.toLowerCase(java.util.Locale.ROOT);
        int pi = 0;
        int ni = 0;
        int star = -1;
        int mark = 0;
        while (ni < n.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == n.charAt(ni))) {
                pi++;
                ni++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = ni;
            } else if (star >= 0) {
                pi = star + 1;
                ni = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
