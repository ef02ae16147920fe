package io.jobplane.api.job.lakeformation;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** LakeFormation's PermissionMigrationParameter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PermissionMigrationParameter(
        @Schema(description = "Path of the permissions to migrate") @NotBlank @Size(max = 1024) String location,
        @Schema(description = "Permission JSON file") @Size(max = 255) @Pattern(regexp = "[^<>:\"/\\\\|?*]*", message = "must not contain < > : \" / \\ | ? *") String fileName,
        @NotBlank @Size(max = 1024) String logLocation,
        @NotNull PolicyType policyType,
        @Schema(description = "Needed for DLF policy conversion") @Size(max = 255) String catalogId,
        @NotBlank @Size(max = 64) String instanceId,
        @Valid RangerPrincipalRelations rangerPermissionMigrationPrincipalRelas) {

    public enum PolicyType {
        DLF, RANGER, LAKEFORMATION
    }

    /** What Ranger users, groups and roles become. */
    public enum PrincipalTarget {
        IAM_USER, IAM_GROUP, ROLE
    }

    /** LakeFormation's RangerPermissionMigrationPrincipalRelas. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RangerPrincipalRelations(
            PrincipalTarget userTo, @Size(max = 64) String userPrefix, @Size(max = 64) String userSuffix,
            PrincipalTarget groupTo, @Size(max = 64) String groupPrefix, @Size(max = 64) String groupSuffix,
            PrincipalTarget roleTo, @Size(max = 64) String rolePrefix, @Size(max = 64) String roleSuffix) {
    }
}
