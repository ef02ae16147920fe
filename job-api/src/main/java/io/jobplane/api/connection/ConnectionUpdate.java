package io.jobplane.api.connection;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A change to a connection: fields left out keep their value, and so does an empty password. */
public record ConnectionUpdate(
        @Size(min = 1, max = 255) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "may contain letters, digits, '_', '.', '-'") String name,
        @Size(max = 2048) String jdbcUrl,
        @Size(max = 255) String host,
        @Min(1) @Max(65535) Integer port,
        @Size(max = 255) String database,
        @Size(max = 255) String username,
        @Schema(writeOnly = true, description = "Write-only; empty or absent keeps the stored password") @Size(max = 4096) String password) {

    @Override
    public String toString() {
        return "ConnectionUpdate[name=" + name + ", password=" + (password == null || password.isEmpty() ? "kept" : "***") + "]";
    }
}
