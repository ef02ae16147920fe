package io.jobplane.worker.catalog.hive;

/**
 * A migration that cannot start or go on, with a machine-readable {@link Code} the caller reports.
 * The message names what is wrong in words a user can act on; it never holds connection details.
 */
public final class HiveMigrationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a migration cannot run. */
    public enum Code {
        /** The options are invalid: location rules, catalogs, sync objects or limits. */
        INVALID_OPTIONS,
        /** The connection is to neither PostgreSQL nor MySQL/MariaDB. */
        UNSUPPORTED_DATABASE,
        /** The database does not hold a Hive metastore schema (no readable DBS / VERSION table). */
        NOT_A_HIVE_METASTORE,
        /** The source catalog does not exist in the metastore. */
        UNKNOWN_CATALOG
    }

    private final Code code;

    public HiveMigrationException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public HiveMigrationException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
