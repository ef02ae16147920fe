package io.jobplane.api.run;

import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** Options of a rerun; every field is optional, and so is the body. */
public record RerunRequest(
        @Schema(description = "FAILED (default): the failed tasks and every task after the first failed one; ALL: every task"
                + " the original ran; or a list of task ids", oneOf = { String.class, String[].class })
        JsonNode from,
        @Schema(description = "Values the tasks can use, name to value; absent: the original run's parameters")
        @Size(max = 100) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,63}", message = "must be an identifier of at most 64 characters") String, @NotNull @Size(max = 4096) String> parameters) {

    public static final RerunRequest NONE = new RerunRequest(null, null);
}
