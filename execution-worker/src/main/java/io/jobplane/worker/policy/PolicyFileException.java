package io.jobplane.worker.policy;

/**
 * A policy file the migration refuses as a whole: too large, malformed, too deeply nested, an array over its
 * bound, or more grants than a run may hold. {@link #code()} is machine-readable (e.g. {@code POLICY_FILE_TOO_LARGE}).
 */
public final class PolicyFileException extends RuntimeException {

    private final String code;

    public PolicyFileException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
