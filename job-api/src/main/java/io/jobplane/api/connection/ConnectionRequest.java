package io.jobplane.api.connection;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A connection as a client creates it. Give either {@code jdbc_url} or {@code host} and {@code database}. */
public record ConnectionRequest(
        @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "may contain letters, digits, '_', '.', '-'") String name,
        @NotNull ConnectionType type,
        @Size(max = 2048) String jdbcUrl,
        @Size(max = 255) String host,
        @Min(1) @Max(65535) Integer port,
        @Size(max = 255) String database,
        @Size(max = 255) String username,
        @Schema(writeOnly = true, description = "Write-only: stored sealed, never returned") @Size(max = 4096) String password) {

    @Override
    public String toString() {
        return "ConnectionRequest[name=" + name + ", type=" + type + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
