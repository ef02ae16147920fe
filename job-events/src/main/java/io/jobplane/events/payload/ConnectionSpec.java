package io.jobplane.events.payload;

/** Where a task runs: the connection as the worker needs it, password sealed. */
public record ConnectionSpec(
        String connectionId,
        String type,
        String jdbcUrl,
        String username,
        SealedValue password) {
}
