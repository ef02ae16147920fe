package io.jobplane.api.job.lakeformation;

import io.jobplane.events.payload.catalog.DataLocation;

import java.util.List;
import java.util.Map;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobType;

/**
 * The rules of LakeFormation's lf-jobs document that span fields (single-field rules are
 * annotations on the records). Secrets of the data source are stored under
 * {@code datasource_parameter.<field>}.
 */
public final class LakeFormationRules {

    public static final String SECRET_PREFIX = "datasource_parameter.";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_]{4,255}");

    private LakeFormationRules() {
    }

    /** lf-jobs names: 4 to 255 letters, digits and underscores. */
    public static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "'" + name + "' breaks the LakeFormation job name rule",
                    "Use 4 to 255 characters, only letters, digits and '_'.");
        }
    }

    /** The parameter matches the type: present for lf-jobs types, with exactly the member of that type. */
    public static void check(JobType type, JobParameter parameter) {
        if (type == JobType.METADATA_INGEST && parameter != null) {
            if (parameter.metadataMigrationParameter() != null || parameter.permissionMigrationParameter() != null
                    || parameter.metadataDiscoveryParameter() != null) {
                throw ApiException.badRequest("SETTING_NOT_APPLICABLE", "only parameter.metadata_ingest_parameter applies to "
                        + type + " jobs", "Send only parameter.metadata_ingest_parameter.");
            }
            return;
        }
        if (parameter != null && parameter.metadataIngestParameter() != null) {
            throw ApiException.badRequest("SETTING_NOT_APPLICABLE", "parameter.metadata_ingest_parameter applies only to"
                    + " METADATA_INGEST jobs", "Leave it out.");
        }
        if (!JobType.LAKEFORMATION.contains(type)) {
            if (parameter != null) {
                throw ApiException.badRequest("SETTING_NOT_APPLICABLE", "'parameter' does not apply to " + type + " jobs",
                        "Leave it out; it belongs to " + JobType.LAKEFORMATION + " and METADATA_INGEST jobs.");
            }
            return;
        }
        String member = member(type);
        if (parameter == null) {
            throw invalid("parameter", "is required for " + type + " jobs", "Send parameter." + member + ".");
        }
        Map<String, Object> members = new java.util.LinkedHashMap<>();
        members.put("metadata_migration_parameter", parameter.metadataMigrationParameter());
        members.put("permission_migration_parameter", parameter.permissionMigrationParameter());
        members.put("metadata_discovery_parameter", parameter.metadataDiscoveryParameter());
        if (members.get(member) == null) {
            throw invalid("parameter." + member, "is required for " + type + " jobs",
                    "Send the " + member + " object as the lf-jobs document describes it.");
        }
        members.forEach((name, value) -> {
            if (!name.equals(member) && value != null) {
                throw ApiException.badRequest("SETTING_NOT_APPLICABLE",
                        "parameter." + name + " does not apply to " + type + " jobs",
                        "Send only parameter." + member + ".");
            }
        });
        switch (type) {
            case METADATA_MIGRATION -> checkMigration(parameter.metadataMigrationParameter());
            case PERMISSION_MIGRATION -> checkPermissions(parameter.permissionMigrationParameter());
            case METADATA_DISCOVERY -> checkDiscovery(parameter.metadataDiscoveryParameter());
            default -> throw new IllegalStateException(type.name());
        }
    }

    /** After secrets are merged: the data source has the credentials its type needs. */
    public static void checkSecrets(JobType type, JobParameter parameter, List<String> sealed) {
        if (type != JobType.METADATA_MIGRATION) {
            return;
        }
        MetadataMigrationParameter m = parameter.metadataMigrationParameter();
        if (m.datasourceType() == MetadataMigrationParameter.DatasourceType.ALIYUN_DLF) {
            for (String key : List.of("access_key", "secret_key")) {
                if (!sealed.contains(SECRET_PREFIX + key)) {
                    throw invalid("parameter.metadata_migration_parameter.datasource_parameter." + key,
                            "is required for an ALIYUN_DLF data source", "Send access_key and secret_key; both are stored sealed.");
                }
            }
        }
    }

    /** The parameter as stored in clear and shown: the data source's secrets removed. */
    public static JobParameter withoutSecrets(JobParameter p) {
        if (p == null || p.metadataMigrationParameter() == null) {
            return p;
        }
        MetadataMigrationParameter m = p.metadataMigrationParameter();
        return new JobParameter(new MetadataMigrationParameter(m.datasourceType(), m.datasourceParameter().withoutSecrets(),
                m.sourceCatalog(), m.targetCatalog(), m.conflictStrategy(), m.logLocation(), m.syncObjects(),
                m.defaultOwner(), m.locations(), m.instanceId(), m.ignoreObsChecked(), m.networkType(),
                m.acceptedVpcId()), null, null);
    }

    /** The secret values the parameter carries, by stored name ({@code datasource_parameter.password}…). */
    public static Map<String, String> secrets(JobParameter p) {
        Map<String, String> secrets = new java.util.LinkedHashMap<>();
        if (p != null && p.metadataMigrationParameter() != null) {
            p.metadataMigrationParameter().datasourceParameter().secrets()
                    .forEach((field, value) -> secrets.put(SECRET_PREFIX + field, value));
        }
        return secrets;
    }

    static String member(JobType type) {
        return switch (type) {
            case METADATA_MIGRATION -> "metadata_migration_parameter";
            case PERMISSION_MIGRATION -> "permission_migration_parameter";
            case METADATA_DISCOVERY -> "metadata_discovery_parameter";
            default -> throw new IllegalArgumentException(type.name());
        };
    }

    private static void checkMigration(MetadataMigrationParameter m) {
        String at = "parameter.metadata_migration_parameter.";
        DataSourceParameter ds = m.datasourceParameter();
        if (m.datasourceType() == MetadataMigrationParameter.DatasourceType.ALIYUN_DLF) {
            if (ds.endpoint() == null || ds.endpoint().isBlank()) {
                throw invalid(at + "datasource_parameter.endpoint", "is required for an ALIYUN_DLF data source",
                        "Send the DLF endpoint, e.g. dlf.cn-hangzhou.aliyuncs.com.");
            }
        } else if (ds.jdbcUrl() == null || !ds.jdbcUrl().startsWith("jdbc:")) {
            throw invalid(at + "datasource_parameter.jdbc_url", "is required for a " + m.datasourceType()
                    + " data source and must start with jdbc:", "Send it as jdbc:protocol://host:port/db_name.");
        }
        if (m.networkType() == MetadataMigrationParameter.NetworkType.VPC_PEERING
                && (m.acceptedVpcId() == null || m.acceptedVpcId().isBlank())) {
            throw invalid(at + "accepted_vpc_id", "is required when network_type is VPC_PEERING",
                    "Send the id of the VPC where the peer RDS is located.");
        }
        if (m.syncObjects().stream().distinct().count() != m.syncObjects().size()) {
            throw invalid(at + "sync_objects", "lists an object type twice", "List each of DATABASE, FUNCTION, TABLE, PARTITION at most once.");
        }
        if (m.syncObjects().contains(MetadataMigrationParameter.SyncObject.PARTITION)
                && !m.syncObjects().contains(MetadataMigrationParameter.SyncObject.TABLE)) {
            throw invalid(at + "sync_objects", "names PARTITION without TABLE: a table's partitions are migrated after its table",
                    "Add TABLE to sync_objects, or leave PARTITION out.");
        }
        if (m.locations().stream().map(MetadataMigrationParameter.LocationReplaceRule::key).distinct().count() != m.locations().size()) {
            throw invalid(at + "locations", "replaces one source path twice", "Give each source path (key) one rule.");
        }
    }

    private static void checkPermissions(PermissionMigrationParameter p) {
        String at = "parameter.permission_migration_parameter.";
        try {
            DataLocation.parse(p.location());
        } catch (IllegalArgumentException e) {
            throw invalid(at + "location", e.getMessage(), "Send e.g. fs://landing/policies, where landing is a filesystem"
                    + " connection of the workspace (GET .../connections).");
        }
        if (p.policyType() == PermissionMigrationParameter.PolicyType.DLF && (p.catalogId() == null || p.catalogId().isBlank())) {
            throw invalid(at + "catalog_id", "is required for DLF policy conversion", "Send the DLF catalog_id.");
        }
        if (p.rangerPermissionMigrationPrincipalRelas() != null && p.policyType() != PermissionMigrationParameter.PolicyType.RANGER) {
            throw ApiException.badRequest("SETTING_NOT_APPLICABLE",
                    at + "ranger_permission_migration_principal_relas applies only to policy_type RANGER",
                    "Leave it out, or set policy_type to RANGER.");
        }
    }

    private static void checkDiscovery(MetadataDiscoveryParameter d) {
        String at = "parameter.metadata_discovery_parameter.";
        try {
            DataLocation.parse(d.dataLocation());
        } catch (IllegalArgumentException e) {
            throw invalid(at + "data_location", e.getMessage(), "Send e.g. fs://landing/sales, where landing is a filesystem"
                    + " connection of the workspace (GET .../connections).");
        }
        boolean scheduled = d.executeStrategy() == MetadataDiscoveryParameter.ExecuteStrategy.SCHEDULE;
        if (!scheduled) {
            if (d.executeFrequency() != null || d.executeDay() != null || d.executeHour() != null || d.executeMinute() != null) {
                throw invalid(at + "execute_frequency", "and execute_day/hour/minute apply only when execute_strategy is SCHEDULE",
                        "Set execute_strategy to SCHEDULE, or leave them out.");
            }
            return;
        }
        if (d.executeFrequency() == null) {
            throw invalid(at + "execute_frequency", "is required when execute_strategy is SCHEDULE",
                    "Send one of MONTHLY, WEEKLY, DAILY, HOURLY.");
        }
        switch (d.executeFrequency()) {
            case MONTHLY -> range(at + "execute_day", d.executeDay(), 1, 31);
            case WEEKLY -> range(at + "execute_day", d.executeDay(), 1, 7);
            case DAILY, HOURLY -> star(at + "execute_day", d.executeDay());
        }
        if (d.executeFrequency() == MetadataDiscoveryParameter.ExecuteFrequency.HOURLY) {
            star(at + "execute_hour", d.executeHour());
        } else {
            range(at + "execute_hour", d.executeHour(), 0, 23);
        }
        range(at + "execute_minute", d.executeMinute(), 0, 59);
    }

    private static void range(String field, String value, int min, int max) {
        int n;
        try {
            n = value == null ? Integer.MIN_VALUE : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            n = Integer.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw invalid(field, "must be a number from " + min + " to " + max + " for this execute_frequency, not "
                    + (value == null ? "missing" : "'" + value + "'"), "Send a value from " + min + " to " + max + ".");
        }
    }

    private static void star(String field, String value) {
        if (!"*".equals(value)) {
            throw invalid(field, "must be '*' for this execute_frequency", "Send \"*\".");
        }
    }

    private static ApiException invalid(String field, String problem, String fix) {
        return ApiException.badRequest("INVALID_PARAMETER", field + " " + problem, fix);
    }
}
