package io.jobplane.api.job.lakeformation;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** LakeFormation's MetaDataDiscoveryParameter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetadataDiscoveryParameter(
        @Schema(description = "Path the files are discovered under") @NotBlank @Size(max = 1024) String dataLocation,
        @NotBlank @Size(max = 255) String targetCatalog,
        @NotBlank @Size(max = 255) String targetDatabase,
        @NotNull ConflictStrategy conflictStrategy,
        @NotNull FileDiscoveryType fileDiscoveryType,
        @Size(max = 8) String separator,
        Quote quote,
        @Size(max = 8) String escape,
        @Schema(description = "First line is a header; default false") Boolean header,
        @Schema(description = "Percent of files scanned, 0 (one per folder) to 100") @Min(0) @Max(100) Integer fileSampleRate,
        @Schema(description = "Folder level that names tables") @Min(0) @Max(64) Integer tableDepth,
        @NotBlank @Size(max = 1024) String logLocation,
        @Size(max = 255) String defaultOwner,
        @Size(max = 100) List<@NotNull @Valid Principal> principals,
        @Schema(description = "Grant write as well as read; default false") Boolean giveWrite,
        @NotBlank @Size(max = 64) String instanceId,
        RediscoveryPolicy rediscoveryPolicy,
        @Schema(description = "MANNUAL (sic, as the document spells it) or SCHEDULE; default MANNUAL") ExecuteStrategy executeStrategy,
        ExecuteFrequency executeFrequency,
        @Schema(description = "MONTHLY: 1-31, WEEKLY: 1-7, DAILY/HOURLY: *") @Size(max = 2) String executeDay,
        @Schema(description = "MONTHLY/WEEKLY/DAILY: 0-23, HOURLY: *") @Size(max = 2) String executeHour,
        @Schema(description = "0-59") @Size(max = 2) String executeMinute) {

    /**
     * The five-field cron (UTC) that {@code execute_strategy: SCHEDULE} and {@code execute_frequency}/
     * {@code day}/{@code hour}/{@code minute} stand for; null when the job is started by hand. WEEKLY's day
     * 1–7 is Monday to Sunday (ISO 8601).
     */
    public String cron() {
        if (executeStrategy != ExecuteStrategy.SCHEDULE || executeFrequency == null) {
            return null;
        }
        String minute = Integer.toString(Integer.parseInt(executeMinute));
        return switch (executeFrequency) {
            case HOURLY -> minute + " * * * *";
            case DAILY -> minute + " " + Integer.parseInt(executeHour) + " * * *";
            case WEEKLY -> minute + " " + Integer.parseInt(executeHour) + " * * " + Integer.parseInt(executeDay) % 7;
            case MONTHLY -> minute + " " + Integer.parseInt(executeHour) + " " + Integer.parseInt(executeDay) + " * *";
        };
    }

    public enum ConflictStrategy {
        UPDATE, INSERT, UPSERT
    }

    public enum FileDiscoveryType {
        PARQUET, CSV, JSON, ORC, AVRO, ALL
    }

    public enum Quote {
        DOUBLE_QUOTE, SINGLE_QUOTE, NULL_QUOTE
    }

    public enum RediscoveryPolicy {
        FULL_DISCOVERY, INCREMENTAL_DISCOVERY
    }

    public enum ExecuteStrategy {
        MANNUAL, SCHEDULE
    }

    public enum ExecuteFrequency {
        MONTHLY, WEEKLY, DAILY, HOURLY
    }

    /** LakeFormation's Principal: who is granted the discovered tables. */
    public record Principal(
            @NotNull PrincipalType principalType,
            @NotNull PrincipalSource principalSource,
            @NotBlank @Size(min = 1, max = 49) @Pattern(regexp = "[A-Za-z0-9_.-]*", message = "may contain only letters, digits, '_', '-' and '.'") String principalName) {
    }

    public enum PrincipalType {
        USER, GROUP, ROLE, SHARE, OTHER
    }

    public enum PrincipalSource {
        IAM, SAML, LDAP, LOCAL, AGENTTENANT, OTHER
    }
}
