package io.jobplane.stack.cli.user;

/** A failure of a user command with a message meant for people (what went wrong, what to do); no stack trace. */
public class CliFailure extends RuntimeException {

    public CliFailure(String message) {
        super(message);
    }
}
