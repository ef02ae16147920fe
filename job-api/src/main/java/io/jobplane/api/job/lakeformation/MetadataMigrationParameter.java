package io.jobplane.api.job.lakeformation;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** LakeFormation's MetaDataMigrationParameter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetadataMigrationParameter(
        @NotNull DatasourceType datasourceType,
        @NotNull @Valid DataSourceParameter datasourceParameter,
        @Schema(description = "Catalog migrated out") @NotBlank @Size(max = 255) String sourceCatalog,
        @Schema(description = "Catalog that receives the metadata") @NotBlank @Size(max = 255) String targetCatalog,
        @NotNull ConflictStrategy conflictStrategy,
        @Schema(description = "Where the job writes its logs") @NotBlank @Size(max = 1024) String logLocation,
        @NotEmpty @Size(max = 4) List<@NotNull SyncObject> syncObjects,
        @Size(max = 255) String defaultOwner,
        @Schema(description = "Path replacement rules, at most 20") @NotNull @Size(max = 20) List<@NotNull @Valid LocationReplaceRule> locations,
        @NotBlank @Size(max = 64) String instanceId,
        Boolean ignoreObsChecked,
        NetworkType networkType,
        @Size(max = 64) String acceptedVpcId) {

    public enum DatasourceType {
        ALIYUN_DLF, MRS_RDS_FOR_MYSQL, OPEN_FOR_MYSQL, MRS_RDS_FOR_PG, MRS_LOCAL_GAUSSDB
    }

    /** Only existing metadata is created and updated, never deleted. */
    public enum ConflictStrategy {
        UPSERT
    }

    public enum SyncObject {
        DATABASE, FUNCTION, TABLE, PARTITION
    }

    public enum NetworkType {
        EIP, VPC_PEERING
    }

    /** One path replacement: {@code key} (source path) becomes {@code value} (target path). */
    public record LocationReplaceRule(@NotBlank @Size(max = 1024) String key, @NotBlank @Size(max = 1024) String value) {
    }
}
