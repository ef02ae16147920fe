package io.jobplane.api.connection;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A connection as a client creates it. Which fields apply depends on {@code type}:
 * {@code postgresql}/{@code mysql} take {@code jdbc_url} or {@code host}, {@code port}, {@code database},
 * plus {@code username} and {@code password}; {@code hive_metastore} takes the {@code jdbc_url} of the
 * metastore database with {@code username} and {@code password}; {@code filesystem} takes
 * {@code base_path}; {@code http} takes {@code base_url}, {@code headers}, {@code auth_token} (sent as
 * a bearer token), {@code secret_headers} (e.g. an API key header), or {@code username} and
 * {@code password} for basic authentication; {@code treasure_data} takes {@code base_url} (default
 * {@value ConnectionSettings#TREASURE_DATA_API}) and {@code api_key}.
 */
public record ConnectionRequest(
        @NotBlank @Size(max = 255) @Pattern(regexp = NAME, message = NAME_RULE) String name,
        @NotNull ConnectionType type,
        @Size(max = 2048) String jdbcUrl,
        @Size(max = 255) String host,
        @Min(1) @Max(65535) Integer port,
        @Size(max = 255) String database,
        @Size(max = 255) String username,
        @Schema(writeOnly = true, description = "Write-only: stored sealed, never returned") @Size(max = 4096) String password,
        @Schema(description = "filesystem: absolute path of the directory") @Size(max = 1024) String basePath,
        @Schema(description = "http: base URL, http or https") @Size(max = 2048) String baseUrl,
        @Schema(description = "http: headers sent with every request (visible; put keys in secret_headers)") @Size(max = 50) Map<@Size(max = 255) String, @NotNull @Size(max = 8192) String> headers,
        @Schema(writeOnly = true, description = "http: headers whose values are secret, e.g. X-Api-Key. Write-only") @Size(max = 20) Map<@Size(max = 255) String, @NotNull @Size(max = 8192) String> secretHeaders,
        @Schema(writeOnly = true, description = "http: bearer token. Write-only") @Size(max = 8192) String authToken,
        @Schema(writeOnly = true, description = "treasure_data: the account's API key, sent as 'Authorization: TD1 <api_key>'. Write-only") @Size(max = 512) String apiKey) {

    static final String NAME = "[A-Za-z0-9_.-]+";
    static final String NAME_RULE = "may contain letters, digits, '_', '.', '-'";

    ConnectionFields fields() {
        return new ConnectionFields(jdbcUrl, host, port, database, username, basePath, baseUrl, headers,
                ConnectionFields.secrets(password, authToken, secretHeaders, apiKey), List.of());
    }

    @Override
    public String toString() {
        return "ConnectionRequest[name=" + name + ", type=" + type + "]";
    }
}
