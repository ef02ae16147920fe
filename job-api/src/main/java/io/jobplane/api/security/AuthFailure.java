package io.jobplane.api.security;

import java.util.Map;

import jakarta.ws.rs.core.Response.Status;

import io.quarkus.security.AuthenticationFailedException;

/**
 * Why a request's credentials were refused, in the words of the API's error body. It travels as an
 * attribute of the {@link AuthenticationFailedException} that Quarkus hands to the error mappers, so
 * the answer can say what was wrong (two credentials, a malformed header, a revoked API token)
 * without ever repeating a credential.
 */
public record AuthFailure(Status status, String code, String message, String fix) {

    /** The attribute of {@link AuthenticationFailedException} that holds an {@link AuthFailure}. */
    public static final String ATTRIBUTE = "jobplane.auth-failure";

    /** A 401 {@code UNAUTHENTICATED} with this message and fix. */
    public static AuthFailure unauthenticated(String message, String fix) {
        return new AuthFailure(Status.UNAUTHORIZED, "UNAUTHENTICATED", message, fix);
    }

    /** The exception Quarkus security expects from a mechanism or provider, carrying this failure. */
    public AuthenticationFailedException exception() {
        return new AuthenticationFailedException(message, Map.of(ATTRIBUTE, this));
    }

    /** The failure an exception carries, if it carries one. */
    public static AuthFailure of(AuthenticationFailedException e) {
        return e.getAttribute(ATTRIBUTE) instanceof AuthFailure failure ? failure : null;
    }
}
