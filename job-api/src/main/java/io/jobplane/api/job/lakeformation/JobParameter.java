package io.jobplane.api.job.lakeformation;

import jakarta.validation.Valid;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The typed {@code parameter} object of LakeFormation's lf-jobs: exactly the member that matches
 * the job's type is set. {@code METADATA_INGEST} jobs (not an lf-jobs type) may carry theirs the same way.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobParameter(
        @Valid MetadataMigrationParameter metadataMigrationParameter,
        @Valid PermissionMigrationParameter permissionMigrationParameter,
        @Valid MetadataDiscoveryParameter metadataDiscoveryParameter,
        @Valid MetadataIngestParameter metadataIngestParameter) {

    public JobParameter(MetadataMigrationParameter migration, PermissionMigrationParameter permissions,
            MetadataDiscoveryParameter discovery) {
        this(migration, permissions, discovery, null);
    }
}
