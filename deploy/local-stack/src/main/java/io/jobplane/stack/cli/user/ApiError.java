package io.jobplane.stack.cli.user;

/**
 * A 4xx or 5xx of the API in its error shape: {@code error_code}, {@code error_msg}, {@code solution_msg},
 * {@code request_id}. Printed as it came, so the fix the API names reaches the user.
 */
public final class ApiError extends CliFailure {

    private final int status;
    private final String code;
    private final String fix;
    private final String requestId;

    public ApiError(int status, String code, String message, String fix, String requestId) {
        super(message);
        this.status = status;
        this.code = code;
        this.fix = fix;
        this.requestId = requestId;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The lines for standard error: code and message, then the fix and the request id when the API gave them. */
    public String describe() {
        StringBuilder b = new StringBuilder(code).append(" (HTTP ").append(status).append("): ").append(getMessage());
        if (fix != null && !fix.isBlank()) {
            b.append(System.lineSeparator()).append("  fix: ").append(fix);
        }
        if (requestId != null && !requestId.isBlank()) {
            b.append(System.lineSeparator()).append("  request id: ").append(requestId);
        }
        return b.toString();
    }
}
