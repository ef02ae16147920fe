package io.jobplane.worker.catalog.td;

import java.io.IOException;

/**
 * Why a Treasure Data ingest stopped, with a code and a message fit for the run's error and log: they
 * name the request's path and status, never the API key or anything the server sent back.
 */
public final class TdException extends IOException {

    /** TD refused the key (401) or the key may not read the endpoint (403). */
    public static final String AUTH_FAILED = "TD_AUTH_FAILED";
    /** An answer the run cannot go on from: a 4xx, a 3xx (redirects are not followed), a 5xx after every try. */
    public static final String HTTP_ERROR = "TD_HTTP_ERROR";
    /** Transient failures (timeouts, resets, 5xx, 429) outlasted the tries. */
    public static final String UNAVAILABLE = "TD_UNAVAILABLE";
    /** A response body over the limit. */
    public static final String RESPONSE_TOO_LARGE = "TD_RESPONSE_TOO_LARGE";
    /** A body that is not the JSON the endpoint documents. */
    public static final String INVALID_RESPONSE = "TD_INVALID_RESPONSE";
    /** The run would emit or hold more than its limits allow. */
    public static final String LIMIT_EXCEEDED = "TD_LIMIT_EXCEEDED";
    /** The connection cannot be used as configured (no key, a base_url that is not https…). */
    public static final String UNUSABLE_CONNECTION = "TD_UNUSABLE_CONNECTION";
    /** The endpoint's address is one tenant connections may not reach. */
    public static final String EGRESS_DENIED = "EGRESS_DENIED";
    /** The connection failed in a way that is not worth another try (unknown host, TLS). */
    public static final String CONNECTION_FAILED = "TD_CONNECTION_FAILED";

    private final String code;
    private final int status;

    public TdException(String code, String message) {
        this(code, message, 0, null);
    }

    TdException(String code, String message, int status, Throwable cause) {
        // No stack trace and no cause in messages: the cause's text may come from the remote side.
        super(message, cause);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    /** The HTTP status that caused it, 0 when none. */
    public int status() {
        return status;
    }
}
