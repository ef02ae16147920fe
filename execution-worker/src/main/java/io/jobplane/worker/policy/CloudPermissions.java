package io.jobplane.worker.policy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.events.payload.policy.PolicyChange.Principal;
import io.jobplane.events.payload.policy.PolicyChange.Provenance;
import io.jobplane.events.payload.policy.PolicyChange.Resource;

/**
 * DLF and LakeFormation permission files (docs/permissions.md): a list of principal/resource/permissions
 * entries in the shape of Aliyun DLF's {@code ListPermissions}/{@code BatchGrantPermissions} (envelope
 * {@code Permissions} or {@code PrincipalResourcePermissionsList}, principal {@code PrincipalArn}) and of AWS
 * LakeFormation's {@code ListPermissions} (envelope {@code PrincipalResourcePermissions}, principal
 * {@code DataLakePrincipalIdentifier}). Principals are already cloud identities: their ARN is the grant's name.
 */
final class CloudPermissions {

    static final Set<String> DLF_PRIVILEGES = Set.of("ALL", "SELECT", "INSERT", "UPDATE", "DELETE", "ALTER", "DROP",
            "DESCRIBE", "LIST", "CREATE_DATABASE", "CREATE_TABLE", "CREATE_FUNCTION", "DATA_LOCATION_ACCESS");
    static final Set<String> LAKEFORMATION_PRIVILEGES = Set.of("ALL", "SELECT", "INSERT", "DELETE", "ALTER", "DROP",
            "DESCRIBE", "CREATE_DATABASE", "CREATE_TABLE", "DATA_LOCATION_ACCESS");

    private final String file;
    private final PermissionMigration.Options options;
    private final PolicyBounds bounds;
    private final GrantCollector out;
    private final PermissionMigration.Resolver resolver;
    private final boolean dlf;

    CloudPermissions(String file, PermissionMigration.Options options, CatalogLookup lookup, PolicyBounds bounds, GrantCollector out) {
        this.file = file;
        this.options = options;
        this.bounds = bounds;
        this.out = out;
        this.dlf = options.policyType().equalsIgnoreCase("DLF");
        this.resolver = new PermissionMigration.Resolver(lookup, options.targetCatalog(), out);
    }

    void migrate(byte[] data) {
        Set<String> envelopes = dlf ? Set.of("Permissions", "PrincipalResourcePermissionsList") : Set.of("PrincipalResourcePermissions");
        ObjectMapper mapper = BoundedJson.mapper(bounds);
        BoundedJson.check(data, bounds, mapper, envelopes);
        JsonNode root;
        try {
            root = mapper.readTree(data);
        } catch (IOException e) {
            throw new PolicyFileException("POLICY_FILE_INVALID", "the policy file is not valid JSON: " + BoundedJson.originalMessage(e));
        }
        JsonNode list = null;
        for (String name : envelopes) {
            if (root != null && root.path(name).isArray()) {
                list = root.get(name);
            }
        }
        if (list == null) {
            throw new PolicyFileException("POLICY_FILE_INVALID", "a " + options.policyType() + " permission file is an object with a "
                    + String.join(" or ", envelopes) + " array");
        }
        for (int i = 0; i < list.size(); i++) {
            entry(list.get(i), i);
        }
    }

    private void entry(JsonNode e, int i) {
        String item = (dlf ? "Permissions[" : "PrincipalResourcePermissions[") + i + "]";
        String principalId = text(e.path("Principal"), dlf ? "PrincipalArn" : "DataLakePrincipalIdentifier");
        Provenance prov = new Provenance(file, "#" + i, principalId, item);
        if (!e.isObject()) {
            out.leaveOut(prov, PermissionMigration.MALFORMED, "the entry is not an object");
            return;
        }
        Principal principal = principal(principalId);
        if (principal == null) {
            out.leaveOut(prov, PermissionMigration.UNSUPPORTED_PRINCIPAL, "principal " + principalId
                    + " is not a user, group or role ARN of " + options.policyType());
            return;
        }
        List<Resource> resources = resources(e.path("Resource"), prov);
        if (resources == null) {
            return;
        }
        Map<String, Boolean> privileges = new LinkedHashMap<>();
        for (JsonNode p : e.path("Permissions")) {
            privileges.putIfAbsent(p.asText().toUpperCase(Locale.ROOT), false);
        }
        for (JsonNode p : e.path("PermissionsWithGrantOption")) {
            privileges.put(p.asText().toUpperCase(Locale.ROOT), true);
        }
        if (privileges.isEmpty()) {
            out.leaveOut(prov, PermissionMigration.NO_ACCESSES, "the entry lists no permission");
            return;
        }
        Set<String> known = dlf ? DLF_PRIVILEGES : LAKEFORMATION_PRIVILEGES;
        for (Map.Entry<String, Boolean> p : privileges.entrySet()) {
            if (!known.contains(p.getKey())) {
                out.leaveOut(prov, PermissionMigration.UNSUPPORTED_ACCESS_TYPE, "permission " + p.getKey() + " of "
                        + options.policyType() + " has no privilege it maps to");
                continue;
            }
            for (Resource r : resources) {
                out.grant(principal, r, p.getKey(), p.getValue(), prov);
            }
        }
    }

    private Principal principal(String id) {
        if (id == null || id.isBlank()) {
            return null;
        }
        String source = dlf ? "DLF" : "LAKEFORMATION";
        String prefix = dlf ? "acs:ram:" : "arn:aws:";
        if (!id.startsWith(prefix)) {
            return null;
        }
        String tail = id.substring(id.lastIndexOf(':') + 1);
        if (tail.startsWith("user/")) {
            return new Principal("IAM_USER", source, id);
        }
        if (tail.startsWith("role/")) {
            return new Principal("ROLE", source, id);
        }
        if (tail.startsWith("group/")) {
            return new Principal("IAM_GROUP", source, id);
        }
        return null;
    }

    private List<Resource> resources(JsonNode r, Provenance prov) {
        String catalog = options.targetCatalog();
        if (!r.isObject() || r.size() == 0) {
            out.leaveOut(prov, PermissionMigration.NO_RESOURCE, "the entry names no resource");
            return null;
        }
        if (r.size() > 1) {
            out.leaveOut(prov, PermissionMigration.UNSUPPORTED_RESOURCE, "the entry names several resources " + names(r));
            return null;
        }
        String kind = r.fieldNames().next();
        JsonNode v = r.get(kind);
        String catalogId = text(v, "CatalogId");
        if (options.catalogId() != null && catalogId != null && !catalogId.equals(options.catalogId())) {
            out.leaveOut(prov, PermissionMigration.OTHER_CATALOG, "the resource is in catalog " + catalogId
                    + ", not in catalog_id " + options.catalogId());
            return null;
        }
        List<Resource> result;
        switch (kind) {
            case "Catalog" -> result = List.of(new Resource(catalog, null, null, null, null, false));
            case "Database" -> result = resolver.resolve(one(text(v, "Name")), null, null, prov);
            case "Table" -> result = resolver.resolve(one(text(v, "DatabaseName")),
                    one(v.has("TableWildcard") ? "*" : text(v, "Name")), null, prov);
            case "Column", "TableWithColumns" -> {
                JsonNode wildcard = v.path("ColumnWildcard");
                if (wildcard.path("ExcludedColumnNames").size() > 0) {
                    out.leaveOut(prov, PermissionMigration.EXCLUDES, "the column wildcard excludes "
                            + wildcard.path("ExcludedColumnNames") + ": a grant names what it covers, not what it leaves out");
                    return null;
                }
                List<String> columns = new ArrayList<>();
                if (wildcard.isObject()) {
                    columns.add("*");
                }
                for (JsonNode c : v.path("ColumnNames")) {
                    columns.add(c.asText());
                }
                String table = text(v, kind.equals("Column") ? "TableName" : "Name");
                result = resolver.resolve(one(text(v, "DatabaseName")), one(table), columns, prov);
            }
            case "DataLocation" -> {
                String location = text(v, "ResourceArn");
                result = location == null ? List.of() : List.of(new Resource(null, null, null, null, location, CatalogLookup.isPattern(location)));
            }
            default -> {
                out.leaveOut(prov, PermissionMigration.UNSUPPORTED_RESOURCE, "a " + kind
                        + " resource (tag-based or filtered access) has no grant on named objects");
                return null;
            }
        }
        if (result.isEmpty()) {
            out.leaveOut(prov, PermissionMigration.NO_RESOURCE, "the " + kind + " resource names nothing");
            return null;
        }
        return result;
    }

    private static List<String> one(String s) {
        return s == null ? List.of() : List.of(s);
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
    }
}
