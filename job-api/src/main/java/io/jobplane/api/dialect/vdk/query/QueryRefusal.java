package io.jobplane.api.dialect.vdk.query;

/**
 * A refused argument of a jobs_query (a page below 1, an unsupported filter property…): the engine
 * answers it as a 400 whose error message is this exception's message.
 */
final class QueryRefusal extends RuntimeException {

    QueryRefusal(String message) {
        super(message, null, false, false);
    }
}
