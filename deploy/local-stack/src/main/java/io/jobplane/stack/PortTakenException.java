package io.jobplane.stack;

/** A server could not start because another program holds the port it was to listen on. */
public class PortTakenException extends StackException {
    public PortTakenException(String component, int port) {
        super("cannot start " + component + ": port " + port + " is already taken by another program");
    }
}
