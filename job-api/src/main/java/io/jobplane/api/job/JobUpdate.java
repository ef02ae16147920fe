package io.jobplane.api.job;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A change to a job: fields left out keep their value. Tasks change through the task endpoints. */
public record JobUpdate(
        @Size(min = 1, max = 255) @Pattern(regexp = JobRequest.NAME, message = JobRequest.NAME_RULE) String name,
        UUID destinationConnectionId,
        Boolean continueOnError,
        JobStatus status,
        @Size(max = 4000) String description,
        @Size(max = 50) List<@NotNull @Pattern(regexp = JobRequest.LABEL, message = JobRequest.LABEL_RULE) String> labels) {

    /** True when the update changes nothing but the status, which is allowed even while the job runs. */
    boolean onlyStatus() {
        return name == null && destinationConnectionId == null && continueOnError == null && description == null
                && labels == null;
    }
}
