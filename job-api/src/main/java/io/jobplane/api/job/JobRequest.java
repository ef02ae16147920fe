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
        @NotBlank @Size(max = 255) @Pattern(regexp = NAME, message = NAME_RULE) String name,
        @NotNull JobType type,
        @NotNull UUID destinationConnectionId,
        Boolean continueOnError,
        JobStatus status,
        @Size(max = 4000) String description,
        @Size(max = 50) List<@NotNull @Pattern(regexp = LABEL, message = LABEL_RULE) String> labels,
        @NotEmpty @Size(max = 1000) List<@Valid @NotNull TaskRequest> tasks) {

    static final String NAME = "[A-Za-z0-9_.-]+";
    static final String NAME_RULE = "may contain letters, digits, '_', '.', '-'";
    static final String LABEL = "[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?";
    static final String LABEL_RULE = "must be 1 to 63 lower-case letters, digits, '_', '.', '-', starting and ending alphanumeric";

    /** One task: a SQL statement run on the destination connection. */
    public record TaskRequest(@NotBlank @Size(max = 1_000_000) String query, Boolean isActive) {
    }
}
