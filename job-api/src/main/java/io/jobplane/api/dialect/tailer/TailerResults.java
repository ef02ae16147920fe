package io.jobplane.api.dialect.tailer;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The answer of check_run_status and get_last_status: {@code {"results": [...]}}, newest run first. */
public record TailerResults(@JsonProperty("results") List<Run> results) {

    /** One run with exactly Tailer's fields, in Tailer's order. */
    @JsonPropertyOrder(alphabetic = true)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Run(
            @JsonProperty("account") String account,
            @JsonProperty("configuration_id") String configurationId,
            @JsonProperty("configuration_type") String configurationType,
            @JsonProperty("duration") String duration,
            @JsonProperty("environment") String environment,
            @JsonProperty("job_id") String jobId,
            @JsonProperty("last_update_date") String lastUpdateDate,
            @JsonProperty("run_id") String runId,
            @JsonProperty("start_execution_date") String startExecutionDate,
            @JsonProperty("status") String status) {
    }
}
