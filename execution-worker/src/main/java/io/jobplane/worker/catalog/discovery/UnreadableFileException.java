package io.jobplane.worker.catalog.discovery;

/** A file that is not what its format says, or breaks a per-file bound: it is skipped with a warning. */
final class UnreadableFileException extends Exception {

    private static final long serialVersionUID = 1L;

    UnreadableFileException(String message) {
        super(message, null, false, false);
    }
}
