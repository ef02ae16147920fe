package io.jobplane.worker.policy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicyChange.Principal;
import io.jobplane.events.payload.policy.PolicyChange.Provenance;
import io.jobplane.events.payload.policy.PolicyChange.Resource;
import io.jobplane.events.payload.policy.PolicySink;

/**
 * The permission migration engine ({@code PERMISSION_MIGRATION}): reads a policy file (Ranger, DLF or
 * LakeFormation, docs/permissions.md), turns what it can into grants and everything else into report entries
 * with their reason, and sends them to a {@link PolicySink}: the grants as one generation in batches, then the
 * commit, and the report in batches. It never calls {@link PolicySink#complete}: the caller does. A file over a
 * bound is refused with a {@link PolicyFileException} (nothing is committed then).
 */
public final class PermissionMigration {

    /** Report kinds. */
    public static final String DISABLED_POLICY = "DISABLED_POLICY";
    public static final String DATA_MASK = "DATA_MASK";
    public static final String ROW_FILTER = "ROW_FILTER";
    public static final String UNSUPPORTED_POLICY_TYPE = "UNSUPPORTED_POLICY_TYPE";
    public static final String OTHER_SERVICE = "OTHER_SERVICE";
    public static final String NO_RESOURCE = "NO_RESOURCE";
    public static final String UNSUPPORTED_RESOURCE = "UNSUPPORTED_RESOURCE";
    public static final String EXCLUDES = "EXCLUDES";
    public static final String CONDITION = "CONDITION";
    public static final String VALIDITY_SCHEDULE = "VALIDITY_SCHEDULE";
    public static final String DENY_ITEM = "DENY_ITEM";
    public static final String ALLOW_EXCEPTION = "ALLOW_EXCEPTION";
    public static final String DENY_EXCEPTION = "DENY_EXCEPTION";
    public static final String DENY_ALL_ELSE = "DENY_ALL_ELSE";
    public static final String NO_ACCESSES = "NO_ACCESSES";
    public static final String NO_PRINCIPALS = "NO_PRINCIPALS";
    public static final String ACCESS_NOT_ALLOWED = "ACCESS_NOT_ALLOWED";
    public static final String UNSUPPORTED_ACCESS_TYPE = "UNSUPPORTED_ACCESS_TYPE";
    public static final String PRINCIPAL_MACRO = "PRINCIPAL_MACRO";
    public static final String PATTERN_NO_MATCH = "PATTERN_NO_MATCH";
    public static final String MALFORMED = "MALFORMED";
    public static final String OTHER_CATALOG = "OTHER_CATALOG";
    public static final String UNSUPPORTED_PRINCIPAL = "UNSUPPORTED_PRINCIPAL";
    public static final String NON_RECURSIVE_LOCATION = "NON_RECURSIVE_LOCATION";

    /** Ranger Hive access types → privileges; the other Hive access types are reported. */
    public static final Map<String, String> HIVE_PRIVILEGES = Map.ofEntries(
            Map.entry("select", "SELECT"), Map.entry("update", "UPDATE"), Map.entry("create", "CREATE"),
            Map.entry("drop", "DROP"), Map.entry("alter", "ALTER"), Map.entry("index", "INDEX"),
            Map.entry("lock", "LOCK"), Map.entry("all", "ALL"), Map.entry("read", "READ"),
            Map.entry("write", "WRITE"), Map.entry("refresh", "REFRESH"));
    /** Ranger HDFS access types → location privileges ({@code execute}, traversal, is reported). */
    public static final Map<String, String> HDFS_PRIVILEGES = Map.of("read", "READ", "write", "WRITE");

    private static final Set<String> HIVE_RESOURCES = Set.of("database", "table", "column", "url");

    /**
     * How to read a file: its {@code policyType} ({@code RANGER}, {@code DLF}, {@code LAKEFORMATION}), the DLF
     * {@code catalogId} to keep (null: any), the principal mapping, and the catalog the grants name
     * ({@code targetCatalog}, default {@code hive}).
     */
    public record Options(String policyType, String catalogId, PrincipalMapping relas, String targetCatalog) {

        public Options {
            Objects.requireNonNull(policyType, "policyType");
            relas = relas == null ? PrincipalMapping.none() : relas;
            targetCatalog = targetCatalog == null || targetCatalog.isBlank() ? "hive" : targetCatalog.toLowerCase(Locale.ROOT);
        }

        public static Options ranger(PrincipalMapping relas) {
            return new Options("RANGER", null, relas, null);
        }
    }

    private final CatalogLookup lookup;
    private final PolicyBounds bounds;

    public PermissionMigration(CatalogLookup lookup, PolicyBounds bounds) {
        this.lookup = lookup == null ? CatalogLookup.UNKNOWN : lookup;
        this.bounds = bounds == null ? PolicyBounds.defaults() : bounds;
    }

    /** Reads at most {@code maxFileBytes} of {@code in} (one more byte refuses the file) and migrates it. */
    public MigrationSummary run(InputStream in, String fileName, Options options, PolicyChange.Run run, String origin,
            PolicySink sink, Consumer<String> log) throws IOException {
        long max = Math.min(bounds.maxFileBytes(), Integer.MAX_VALUE - 16);
        byte[] data = in.readNBytes((int) max + 1);
        if (data.length > max) {
            throw new PolicyFileException("POLICY_FILE_TOO_LARGE", "the policy file has more than " + max + " bytes");
        }
        return run(data, fileName, options, run, origin, sink, log);
    }

    public MigrationSummary run(byte[] policyFile, String fileName, Options options, PolicyChange.Run run, String origin,
            PolicySink sink, Consumer<String> log) {
        long started = System.nanoTime();
        GrantCollector out = new GrantCollector(run, origin, sink, bounds);
        switch (options.policyType().toUpperCase(Locale.ROOT)) {
            case "RANGER" -> {
                RangerPolicies.Parsed parsed = RangerPolicies.parse(policyFile, bounds);
                log.accept("Ranger policy file " + fileName + ": " + parsed.policies().size() + " policies");
                new Ranger(fileName, options, parsed.serviceType(), out).all(parsed.policies());
            }
            case "DLF", "LAKEFORMATION" -> new CloudPermissions(fileName, options, lookup, bounds, out).migrate(policyFile);
            default -> throw new PolicyFileException("UNKNOWN_POLICY_TYPE",
                    "policy_type must be RANGER, DLF or LAKEFORMATION, not " + options.policyType());
        }
        MigrationSummary summary = out.commit();
        log.accept("Permission migration of " + fileName + ": " + summary.grants() + " grants, " + summary.leftOut()
                + " items left out " + summary.byReason() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return summary;
    }

    /** Resolves database/table/column names (patterns expanded when the catalog knows the level) to resources. */
    static final class Resolver {
        private final CatalogLookup lookup;
        private final String catalog;
        private final GrantCollector out;

        Resolver(CatalogLookup lookup, String catalog, GrantCollector out) {
            this.lookup = lookup;
            this.catalog = catalog;
            this.out = out;
        }

        /** {@code tables} / {@code columns} null: the level is not granted; a column list holding {@code *} means the table. */
        List<Resource> resolve(List<String> databases, List<String> tables, List<String> columns, Provenance prov) {
            List<Resource> result = new ArrayList<>();
            for (String db : names(databases)) {
                for (Name d : expand(db, p -> lookup.databases(catalog, p), prov, "database")) {
                    if (tables == null) {
                        result.add(new Resource(catalog, d.name, null, null, null, d.pattern));
                        continue;
                    }
                    for (String tb : names(tables)) {
                        List<Name> ts = d.pattern ? List.of(new Name(tb, true))
                                : expand(tb, p -> lookup.tables(catalog, d.name, p), prov, "table " + d.name + ".");
                        for (Name t : ts) {
                            boolean wholeTable = columns == null || names(columns).contains("*");
                            if (wholeTable) {
                                result.add(new Resource(catalog, d.name, t.name, null, null, t.pattern));
                                continue;
                            }
                            for (String col : names(columns)) {
                                List<Name> cs = t.pattern ? List.of(new Name(col, true))
                                        : expand(col, p -> lookup.columns(catalog, d.name, t.name, p), prov,
                                                "column " + d.name + "." + t.name + ".");
                                for (Name c : cs) {
                                    result.add(new Resource(catalog, d.name, t.name, c.name, null, c.pattern));
                                }
                            }
                        }
                    }
                }
            }
            return result;
        }

        private record Name(String name, boolean pattern) {
        }

        private List<Name> expand(String value, java.util.function.Function<String, Optional<List<String>>> known,
                Provenance prov, String what) {
            if (!CatalogLookup.isPattern(value)) {
                return List.of(new Name(value, false));
            }
            Optional<List<String>> names = known.apply(value);
            if (names.isEmpty()) {
                return List.of(new Name(value, true));
            }
            if (names.get().isEmpty()) {
                out.leaveOut(prov, PATTERN_NO_MATCH, "the " + what + value + " pattern matches nothing the catalog holds");
            }
            List<Name> result = new ArrayList<>(names.get().size());
            for (String n : names.get()) {
                result.add(new Name(n.toLowerCase(Locale.ROOT), false));
            }
            return result;
        }

        private static List<String> names(List<String> values) {
            List<String> result = new ArrayList<>(values.size());
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    result.add(v.trim().toLowerCase(Locale.ROOT));
                }
            }
            return result;
        }
    }

    /** One Ranger file's conversion. */
    private final class Ranger {
        private final String file;
        private final Options options;
        private final String envelopeServiceType;
        private final GrantCollector out;
        private final Resolver resolver;

        Ranger(String file, Options options, String envelopeServiceType, GrantCollector out) {
            this.file = file;
            this.options = options;
            this.envelopeServiceType = envelopeServiceType;
            this.out = out;
            this.resolver = new Resolver(lookup, options.targetCatalog(), out);
        }

        void all(List<RangerPolicies.Policy> policies) {
            for (int i = 0; i < policies.size(); i++) {
                RangerPolicies.Policy p = policies.get(i);
                if (p == null) {
                    out.leaveOut(new Provenance(file, "#" + i, null, "policy"), MALFORMED, "policy #" + i + " is null");
                    continue;
                }
                policy(p, p.idText() != null ? p.idText() : "#" + i);
            }
        }

        private void policy(RangerPolicies.Policy p, String id) {
            Provenance whole = new Provenance(file, id, p.name(), "policy");
            current = whole;
            if (!p.isEnabled()) {
                out.leaveOut(whole, DISABLED_POLICY, "the policy is disabled: a disabled policy grants nothing in Ranger");
                return;
            }
            int type = p.policyType() == null ? 0 : p.policyType();
            if (type == 1) {
                out.leaveOut(whole, DATA_MASK, "a data-masking policy (" + size(p.dataMaskPolicyItems())
                        + " items) changes what a query sees, which no grant expresses");
                return;
            }
            if (type == 2) {
                out.leaveOut(whole, ROW_FILTER, "a row-filter policy (" + size(p.rowFilterPolicyItems())
                        + " items) restricts rows, which no grant expresses");
                return;
            }
            if (type != 0) {
                out.leaveOut(whole, UNSUPPORTED_POLICY_TYPE, "policy type " + type + " is not an access policy");
                return;
            }
            Map<String, RangerPolicies.ResourceValues> resources = p.resources();
            if (resources == null || resources.isEmpty()) {
                out.leaveOut(whole, NO_RESOURCE, "the policy names no resource");
                return;
            }
            String service = serviceType(p, resources.keySet());
            if (!service.equals("hive") && !service.equals("hdfs")) {
                out.leaveOut(whole, OTHER_SERVICE, "a policy of service type " + service + " (service " + p.service()
                        + "): only Hive (catalog objects, URLs) and HDFS (paths) policies become grants");
                return;
            }
            for (Map.Entry<String, RangerPolicies.ResourceValues> r : resources.entrySet()) {
                if (r.getValue() != null && r.getValue().isExcludes()) {
                    out.leaveOut(whole, EXCLUDES, "the " + r.getKey() + " resource excludes " + r.getValue().valuesOrEmpty()
                            + ": a grant names what it covers, not what it leaves out");
                    return;
                }
            }
            if (p.additionalResources() != null && !p.additionalResources().isEmpty()) {
                out.leaveOut(whole, UNSUPPORTED_RESOURCE, "the policy has additionalResources, which are not read");
                return;
            }
            if (p.conditions() != null && !p.conditions().isEmpty()) {
                out.leaveOut(whole, CONDITION, "the policy holds only under conditions " + p.conditions()
                        + ", which a grant cannot carry");
                return;
            }
            if (p.validitySchedules() != null && !p.validitySchedules().isEmpty()) {
                out.leaveOut(whole, VALIDITY_SCHEDULE, "the policy holds only within validity schedules, which a grant cannot carry");
                return;
            }
            List<Resource> targets = service.equals("hive") ? hiveResources(resources, whole) : hdfsResources(resources, whole);
            if (targets == null) {
                return;
            }
            Map<String, Set<String>> withheld = new HashMap<>();
            items(p.denyPolicyItems(), "denyPolicyItems", p, id, DENY_ITEM,
                    "a deny item: grants cannot deny; its principals' same accesses from this policy's allow items are withheld", withheld);
            items(p.allowExceptions(), "allowExceptions", p, id, ALLOW_EXCEPTION,
                    "an allow exception: its principals' accesses are withheld from this policy's grants; members of its groups or roles keep them through other principals", withheld);
            items(p.denyExceptions(), "denyExceptions", p, id, DENY_EXCEPTION,
                    "a deny exception only narrows a deny, which is not migrated", null);
            items(p.dataMaskPolicyItems(), "dataMaskPolicyItems", p, id, DATA_MASK, "a masking item in an access policy", null);
            items(p.rowFilterPolicyItems(), "rowFilterPolicyItems", p, id, ROW_FILTER, "a row-filter item in an access policy", null);
            if (p.denyAllElse() != null && p.denyAllElse()) {
                out.leaveOut(whole, DENY_ALL_ELSE, "isDenyAllElse denies every other principal; the allow items still become grants");
            }
            List<RangerPolicies.Item> allow = p.policyItems() == null ? List.of() : p.policyItems();
            for (int j = 0; j < allow.size(); j++) {
                allowItem(allow.get(j), service, targets, new Provenance(file, id, p.name(), "policyItems[" + j + "]"), withheld);
            }
        }

        private String serviceType(RangerPolicies.Policy p, Set<String> resourceNames) {
            if (p.serviceType() != null && !p.serviceType().isBlank()) {
                return p.serviceType().toLowerCase(Locale.ROOT);
            }
            if (envelopeServiceType != null && !envelopeServiceType.isBlank()) {
                return envelopeServiceType.toLowerCase(Locale.ROOT);
            }
            if (resourceNames.equals(Set.of("path"))) {
                return "hdfs";
            }
            for (String r : resourceNames) {
                if (r.equals("database") || r.equals("url") || r.equals("hiveservice") || r.equals("udf")) {
                    return "hive";
                }
            }
            return "unknown (resources " + new java.util.TreeSet<>(resourceNames) + ")";
        }

        private List<Resource> hiveResources(Map<String, RangerPolicies.ResourceValues> resources, Provenance whole) {
            for (String name : resources.keySet()) {
                if (!HIVE_RESOURCES.contains(name)) {
                    out.leaveOut(whole, UNSUPPORTED_RESOURCE, "the " + name + " resource has no grant on catalog objects or locations");
                    return null;
                }
            }
            if (resources.containsKey("url")) {
                if (resources.size() > 1) {
                    out.leaveOut(whole, UNSUPPORTED_RESOURCE, "a url resource with other resources " + resources.keySet());
                    return null;
                }
                return locations(resources.get("url"), whole);
            }
            if (!resources.containsKey("database") || resources.containsKey("column") && !resources.containsKey("table")) {
                out.leaveOut(whole, UNSUPPORTED_RESOURCE, "resources " + resources.keySet() + " name no database (and table)");
                return null;
            }
            List<Resource> targets = resolver.resolve(values(resources.get("database")),
                    resources.containsKey("table") ? values(resources.get("table")) : null,
                    resources.containsKey("column") ? values(resources.get("column")) : null, whole);
            if (targets.isEmpty()) {
                out.leaveOut(whole, NO_RESOURCE, "the policy's resources resolve to nothing");
            }
            return targets;
        }

        private List<Resource> hdfsResources(Map<String, RangerPolicies.ResourceValues> resources, Provenance whole) {
            if (!resources.keySet().equals(Set.of("path"))) {
                out.leaveOut(whole, UNSUPPORTED_RESOURCE, "an HDFS policy with resources " + resources.keySet());
                return null;
            }
            return locations(resources.get("path"), whole);
        }

        private List<Resource> locations(RangerPolicies.ResourceValues values, Provenance whole) {
            if (values != null && values.recursive() != null && !values.recursive()) {
                out.leaveOut(whole, NON_RECURSIVE_LOCATION, "the location " + values.valuesOrEmpty()
                        + " is not recursive: a location grant covers everything below it, which would widen the policy");
                return null;
            }
            List<Resource> result = new ArrayList<>();
            for (String v : values(values)) {
                if (v != null && !v.isBlank()) {
                    result.add(new Resource(null, null, null, null, v.trim(), CatalogLookup.isPattern(v)));
                }
            }
            if (result.isEmpty()) {
                out.leaveOut(whole, NO_RESOURCE, "the policy names no location");
                return null;
            }
            return result;
        }

        private Provenance current;

        private List<String> values(RangerPolicies.ResourceValues v) {
            List<String> values = v == null ? List.of() : v.valuesOrEmpty();
            if (values.stream().anyMatch(x -> x == null || x.isBlank())) {
                out.leaveOut(current, MALFORMED, "a resource lists a null or blank value, which is skipped");
            }
            return values;
        }

        private void items(List<RangerPolicies.Item> items, String field, RangerPolicies.Policy p, String id, String kind,
                String reason, Map<String, Set<String>> withheld) {
            if (items == null) {
                return;
            }
            for (int j = 0; j < items.size(); j++) {
                RangerPolicies.Item item = items.get(j);
                out.leaveOut(new Provenance(file, id, p.name(), field + "[" + j + "]"), kind, reason + describe(item));
                if (withheld != null && item != null && item.accesses() != null) {
                    for (PrincipalRef ref : principals(item)) {
                        for (RangerPolicies.Access a : item.accesses()) {
                            if (a != null && a.type() != null) {
                                withheld.computeIfAbsent(ref.key(), k -> new HashSet<>()).add(a.type().toLowerCase(Locale.ROOT));
                            }
                        }
                    }
                }
            }
        }

        private String describe(RangerPolicies.Item item) {
            if (item == null) {
                return " (empty item)";
            }
            List<String> accesses = new ArrayList<>();
            if (item.accesses() != null) {
                for (RangerPolicies.Access a : item.accesses()) {
                    if (a != null) {
                        accesses.add(a.type());
                    }
                }
            }
            return " (users " + nz(item.users()) + ", groups " + nz(item.groups()) + ", roles " + nz(item.roles())
                    + ", accesses " + accesses + (item.conditions() == null || item.conditions().isEmpty() ? "" : ", conditions " + item.conditions()) + ")";
        }

        private record PrincipalRef(String kind, String name) {
            String key() {
                return kind + ":" + name;
            }
        }

        private List<PrincipalRef> principals(RangerPolicies.Item item) {
            List<PrincipalRef> refs = new ArrayList<>();
            add(refs, PrincipalMapping.USER, item.users());
            add(refs, PrincipalMapping.GROUP, item.groups());
            add(refs, PrincipalMapping.ROLE, item.roles());
            return refs;
        }

        private void add(List<PrincipalRef> refs, String kind, List<String> names) {
            if (names != null) {
                for (String n : names) {
                    if (n != null && !n.isBlank()) {
                        refs.add(new PrincipalRef(kind, n.trim()));
                    }
                }
            }
        }

        private void allowItem(RangerPolicies.Item item, String service, List<Resource> targets, Provenance prov,
                Map<String, Set<String>> withheld) {
            if (item == null) {
                out.leaveOut(prov, MALFORMED, "the item is null");
                return;
            }
            if (item.conditions() != null && !item.conditions().isEmpty()) {
                out.leaveOut(prov, CONDITION, "the item holds only under conditions, which a grant cannot carry" + describe(item));
                return;
            }
            if (item.accesses() == null || item.accesses().isEmpty()) {
                out.leaveOut(prov, NO_ACCESSES, "the item allows no access" + describe(item));
                return;
            }
            List<PrincipalRef> refs = principals(item);
            if (hasBlank(item.users()) || hasBlank(item.groups()) || hasBlank(item.roles())) {
                out.leaveOut(prov, MALFORMED, "the item lists a null or blank user, group or role, which is skipped");
            }
            if (refs.isEmpty()) {
                out.leaveOut(prov, NO_PRINCIPALS, "the item names no user, group or role");
                return;
            }
            Map<String, String> privileges = service.equals("hdfs") ? HDFS_PRIVILEGES : HIVE_PRIVILEGES;
            List<String[]> accesses = new ArrayList<>();
            Set<String> seenAccess = new HashSet<>();
            for (RangerPolicies.Access a : item.accesses()) {
                String type = a == null || a.type() == null ? null : a.type().toLowerCase(Locale.ROOT);
                if (type == null) {
                    out.leaveOut(prov, MALFORMED, "an access without a type is skipped");
                    continue;
                }
                if (!seenAccess.add(type)) {
                    continue;
                }
                if (!a.isAllowed()) {
                    out.leaveOut(prov, ACCESS_NOT_ALLOWED, "access " + type + " is listed with isAllowed false");
                    continue;
                }
                String privilege = privileges.get(type);
                if (privilege == null) {
                    out.leaveOut(prov, UNSUPPORTED_ACCESS_TYPE, "access type " + type + " of a " + service
                            + " policy has no privilege it maps to");
                    continue;
                }
                accesses.add(new String[] {type, privilege});
            }
            for (PrincipalRef ref : refs) {
                if (ref.name().startsWith("{") && ref.name().endsWith("}")) {
                    out.leaveOut(prov, PRINCIPAL_MACRO, "principal " + ref.name() + " is a Ranger macro, resolved per request");
                    continue;
                }
                Principal principal = options.relas().map(ref.kind(), ref.name());
                Set<String> denied = withheld.getOrDefault(ref.key(), Set.of());
                for (String[] access : accesses) {
                    if (denied.contains(access[0]) || denied.contains("all") || access[0].equals("all") && !denied.isEmpty()) {
                        continue;
                    }
                    for (Resource target : targets) {
                        out.grant(principal, target, access[1], item.grantOption(), prov);
                    }
                }
            }
        }
    }

    private static boolean hasBlank(List<String> names) {
        return names != null && names.stream().anyMatch(n -> n == null || n.isBlank());
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static List<?> nz(List<?> list) {
        return list == null ? List.of() : list;
    }
}
