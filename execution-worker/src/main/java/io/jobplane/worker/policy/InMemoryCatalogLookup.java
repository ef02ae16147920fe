package io.jobplane.worker.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link CatalogLookup} over names held in memory: catalog → database → table → columns. A catalog it does not
 * hold is unknown at every level; a table without columns given has unknown columns.
 */
public final class InMemoryCatalogLookup implements CatalogLookup {

    private final Map<String, Map<String, Map<String, List<String>>>> catalogs = new TreeMap<>();

    /** Adds a table (and its database and catalog); {@code columns} may be empty (columns unknown). */
    public InMemoryCatalogLookup table(String catalog, String database, String table, String... columns) {
        catalogs.computeIfAbsent(lower(catalog), k -> new TreeMap<>())
                .computeIfAbsent(lower(database), k -> new TreeMap<>())
                .put(lower(table), columns.length == 0 ? null : List.of(columns));
        return this;
    }

    /** Adds a database without tables. */
    public InMemoryCatalogLookup database(String catalog, String database) {
        catalogs.computeIfAbsent(lower(catalog), k -> new TreeMap<>()).computeIfAbsent(lower(database), k -> new TreeMap<>());
        return this;
    }

    @Override
    public Optional<List<String>> databases(String catalog, String pattern) {
        Map<String, Map<String, List<String>>> dbs = catalogs.get(lower(catalog));
        return dbs == null ? Optional.empty() : Optional.of(match(dbs.keySet(), pattern));
    }

    @Override
    public Optional<List<String>> tables(String catalog, String database, String pattern) {
        Map<String, Map<String, List<String>>> dbs = catalogs.get(lower(catalog));
        if (dbs == null) {
            return Optional.empty();
        }
        Map<String, List<String>> tables = dbs.get(lower(database));
        return Optional.of(tables == null ? List.of() : match(tables.keySet(), pattern));
    }

    @Override
    public Optional<List<String>> columns(String catalog, String database, String table, String pattern) {
        Map<String, Map<String, List<String>>> dbs = catalogs.get(lower(catalog));
        Map<String, List<String>> tables = dbs == null ? null : dbs.get(lower(database));
        if (tables == null || !tables.containsKey(lower(table)) || tables.get(lower(table)) == null) {
            return Optional.empty();
        }
        return Optional.of(match(tables.get(lower(table)), pattern));
    }

    private static List<String> match(Iterable<String> names, String pattern) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (CatalogLookup.matches(pattern, n)) {
                out.add(n);
            }
        }
        return out;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
