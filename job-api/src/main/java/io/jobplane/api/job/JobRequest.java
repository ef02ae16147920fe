package io.jobplane.api.job;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A job as a client creates it, with its tasks in execution order. */
public record JobRequest(
        @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "may contain letters, digits, '_', '.', '-'") String name,
        @NotNull JobType type,
        @NotNull UUID destinationConnectionId,
        Boolean continueOnError,
        @NotEmpty @Size(max = 1000) List<@Valid @NotNull TaskRequest> tasks) {

    /** One task: a SQL statement run on the destination connection. */
    public record TaskRequest(@NotBlank @Size(max = 1_000_000) String query, Boolean isActive) {
    }
}
