package io.jobplane.worker.policy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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

    /** Ranger's wildcard match: {@code *} any characters, {@code ?} one, case-insensitive. */
    static boolean matches(String pattern, String name) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(name).matches();
    }
}
