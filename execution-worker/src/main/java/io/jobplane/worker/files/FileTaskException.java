package io.jobplane.worker.files;

/**
 * A file task cannot be carried out; the message is safe to publish and says what to change.
 * {@code retryable} failures (a file not there yet, a read that failed) may pass on another try;
 * the others (a path that leaves the base path, a malformed file, a missing column) cannot.
 */
public class FileTaskException extends Exception {

    private final boolean retryable;
    private final String code;

    public FileTaskException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public FileTaskException(String message, boolean retryable, String code) {
        super(message, null, false, false);
        this.retryable = retryable;
        this.code = code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The run's error code when this failure ends the run before any task (null: the executor's own). */
    public String code() {
        return code;
    }

    /** The run was cancelled while files were being read or written. */
    public static final class Cancelled extends FileTaskException {
        public Cancelled(String message) {
            super(message, false);
        }
    }
}
