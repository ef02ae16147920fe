package io.jobplane.api.job.lakeformation;

import jakarta.validation.Valid;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The typed {@code parameter} object of LakeFormation's lf-jobs: exactly the member that matches
 * the job's type is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobParameter(
        @Valid MetadataMigrationParameter metadataMigrationParameter,
        @Valid PermissionMigrationParameter permissionMigrationParameter,
        @Valid MetadataDiscoveryParameter metadataDiscoveryParameter) {
}
