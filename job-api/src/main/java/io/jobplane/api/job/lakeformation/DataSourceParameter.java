package io.jobplane.api.job.lakeformation;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * LakeFormation's DataSourceParameter. {@code password}, {@code access_key} and {@code secret_key}
 * are write-only: sealed when the job is saved, absent from every read, and an empty value on
 * update keeps the stored one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSourceParameter(
        @Schema(example = "jdbc:mysql://metastore-db:3306/hive") @Size(max = 2048) String jdbcUrl,
        @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9]*", message = "may contain only letters and digits") String username,
        @Schema(writeOnly = true, description = "Write-only") @Size(max = 4096) String password,
        @Size(max = 2048) String endpoint,
        @Schema(writeOnly = true, description = "Write-only") @Size(max = 4096) String accessKey,
        @Schema(writeOnly = true, description = "Write-only") @Size(max = 4096) String secretKey,
        @Size(max = 64) String subnetIp) {

    /** The secret values given, by field name. */
    public Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("password", password);
        secrets.put("access_key", accessKey);
        secrets.put("secret_key", secretKey);
        return secrets;
    }

    /** The same parameter without its secrets: what is stored in clear and shown. */
    public DataSourceParameter withoutSecrets() {
        return new DataSourceParameter(jdbcUrl, username, null, endpoint, null, null, subnetIp);
    }

    @Override
    public String toString() {
        return "DataSourceParameter[jdbcUrl=" + jdbcUrl + ", endpoint=" + endpoint + "]";
    }
}
