package io.jobplane.api.dialect.tailer;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jobplane.api.error.ErrorBody;

/**
 * Tailer's OK/KO answer: {@code {"code": 200, "data": {}, "message": "ok"}}; a failure has the HTTP
 * status as {@code code}, the reason as {@code message} and, in {@code data}, the machine-readable
 * {@code error_code}, how to fix it and the request id.
 */
@JsonPropertyOrder({ "code", "data", "message" })
public record TailerReply(@JsonProperty("code") int code, @JsonProperty("data") Map<String, Object> data,
        @JsonProperty("message") String message) {

    public static TailerReply ok() {
        return new TailerReply(200, Map.of(), "ok");
    }

    /** The KO form of a native error body. */
    public static TailerReply ko(int status, ErrorBody error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("error_code", error.errorCode());
        data.put("solution", error.solutionMsg());
        data.put("request_id", error.requestId());
        return new TailerReply(status, data, error.errorMsg());
    }
}
