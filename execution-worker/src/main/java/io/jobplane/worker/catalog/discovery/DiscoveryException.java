package io.jobplane.worker.catalog.discovery;

/** A discovery run ended because its folder tree broke one of its {@link Limits}, or cannot be walked. */
public final class DiscoveryException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What ended the run (machine-readable; the message says it for people). */
    public enum Code {
        /** More files than {@link Limits#maxFiles()}. */
        FILES_LIMIT,
        /** More folders than {@link Limits#maxDirectories()}. */
        DIRECTORIES_LIMIT,
        /** More tables than {@link Limits#maxTables()}. */
        TABLES_LIMIT,
        /** Reads asking for more bytes than {@link Limits#maxBytesRead()}. */
        BYTES_LIMIT,
        /** The data location cannot be walked safely (this platform cannot open folders without following links). */
        UNSUPPORTED_PLATFORM
    }

    private final Code code;

    public DiscoveryException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
