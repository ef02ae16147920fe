package io.jobplane.api.connection;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A change to a connection: fields left out keep their value, and so does an empty secret. A
 * secret is removed only by naming it in {@code remove_secrets}. The type cannot change.
 */
public record ConnectionUpdate(
        @Size(min = 1, max = 255) @Pattern(regexp = ConnectionRequest.NAME, message = ConnectionRequest.NAME_RULE) String name,
        @Size(max = 2048) String jdbcUrl,
        @Size(max = 255) String host,
        @Min(1) @Max(65535) Integer port,
        @Size(max = 255) String database,
        @Size(max = 255) String username,
        @Schema(writeOnly = true, description = "Write-only; empty or absent keeps the stored password") @Size(max = 4096) String password,
        @Size(max = 1024) String basePath,
        @Size(max = 2048) String baseUrl,
        @Schema(description = "Replaces all plain headers") @Size(max = 50) Map<@Size(max = 255) String, @NotNull @Size(max = 8192) String> headers,
        @Schema(writeOnly = true, description = "Sets these secret headers; others stay") @Size(max = 20) Map<@Size(max = 255) String, @NotNull @Size(max = 8192) String> secretHeaders,
        @Schema(writeOnly = true, description = "Write-only; empty or absent keeps the stored token") @Size(max = 8192) String authToken,
        @Schema(writeOnly = true, description = "treasure_data: write-only; empty or absent keeps the stored key") @Size(max = 512) String apiKey,
        @Schema(description = "Secrets to delete, as listed in secrets_set (e.g. password, secret_headers.X-Api-Key)") @Size(max = 30) List<@NotNull @Size(max = 300) String> removeSecrets) {

    ConnectionFields fields() {
        return new ConnectionFields(jdbcUrl, host, port, database, username, basePath, baseUrl, headers,
                ConnectionFields.secrets(password, authToken, secretHeaders, apiKey),
                removeSecrets == null ? List.of() : removeSecrets);
    }

    @Override
    public String toString() {
        return "ConnectionUpdate[name=" + name + "]";
    }
}
