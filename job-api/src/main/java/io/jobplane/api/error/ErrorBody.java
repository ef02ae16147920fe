package io.jobplane.api.error;

/** The JSON body of every 4xx and 5xx: what went wrong, in words and as a code, and how to fix it. */
public record ErrorBody(String errorCode, String errorMsg, String solutionMsg, String requestId) {
}
