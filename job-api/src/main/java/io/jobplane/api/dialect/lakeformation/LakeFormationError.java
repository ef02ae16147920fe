package io.jobplane.api.dialect.lakeformation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * LakeFormation's error body: {@code error_code} as the reference prints it for the status
 * ({@code common.01000001} for 400 and 404, {@code APIG.1002} for 401, {@code 403} with the nested
 * {@code error} object and {@code title}, {@code common.00000408}, {@code common.00000500}; other
 * statuses {@code common.00000<status>}), {@code error_msg}, jobplane's machine-readable code as
 * {@code common_error_code}, {@code solution_msg} and the request id.
 */
@JsonPropertyOrder({ "error", "error_code", "error_msg", "common_error_code", "solution_msg", "request_id", "title" })
public record LakeFormationError(
        @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_NULL) Forbidden error,
        @JsonProperty("error_code") String errorCode,
        @JsonProperty("error_msg") String errorMsg,
        @JsonProperty("common_error_code") String commonErrorCode,
        @JsonProperty("solution_msg") String solutionMsg,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("title") @JsonInclude(JsonInclude.Include.NON_NULL) String title) {

    /** The nested object of a 403, as the reference prints it (its own error_code and error_msg are null). */
    @JsonPropertyOrder({ "code", "message", "error_code", "error_msg", "title" })
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Forbidden(@JsonProperty("code") String code, @JsonProperty("message") String message,
            @JsonProperty("error_code") String errorCode, @JsonProperty("error_msg") String errorMsg,
            @JsonProperty("title") String title) {
    }
}
