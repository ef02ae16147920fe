package io.jobplane.api.error;

import jakarta.ws.rs.core.Response.Status;

/** A failure the caller can act on: an HTTP status, a stable machine-readable code, and how to fix it. */
public class ApiException extends RuntimeException {

    private final Status status;
    private final String code;
    private final String solution;

    public ApiException(Status status, String code, String message, String solution) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.solution = solution;
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(Status.NOT_FOUND, what.toUpperCase().replace(' ', '_') + "_NOT_FOUND",
                what + " '" + id + "' does not exist in this workspace",
                "Check the id; list the " + what + "s of the workspace to find the right one.");
    }

    public static ApiException badRequest(String code, String message, String solution) {
        return new ApiException(Status.BAD_REQUEST, code, message, solution);
    }

    public static ApiException conflict(String code, String message, String solution) {
        return new ApiException(Status.CONFLICT, code, message, solution);
    }

    public Status status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String solution() {
        return solution;
    }
}
