package io.jobplane.stack;

/** A component of the local stack could not be started, reached or stopped; the message says why. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
