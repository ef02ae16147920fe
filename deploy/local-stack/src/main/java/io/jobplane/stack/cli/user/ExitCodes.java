package io.jobplane.stack.cli.user;

/** The user commands' exit codes; a command that follows a run ends with the run's. */
public final class ExitCodes {

    /** Done; a followed run ended SUCCESS. */
    public static final int OK = 0;
    /** A followed run ended FAILED. */
    public static final int FAILED = 1;
    /** A followed run ended STOPPED (cancelled). */
    public static final int STOPPED = 2;
    /** A usage error, an API error (its code, message and fix on standard error), or the API could not be reached. */
    public static final int ERROR = 3;

    private ExitCodes() {
    }

    /** The code of a run that ended in {@code status}. */
    public static int ofRun(String status) {
        return switch (status) {
            case "SUCCESS" -> OK;
            case "FAILED" -> FAILED;
            case "STOPPED" -> STOPPED;
            default -> ERROR;
        };
    }
}
