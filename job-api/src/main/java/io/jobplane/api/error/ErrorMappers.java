package io.jobplane.api.error;

import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.JsonMappingException;

import io.jobplane.api.security.AuthFailure;
import io.jobplane.events.failure.Failures;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place where failures become HTTP responses. Every error leaves as {@link ErrorBody};
 * no stack trace or internal message ever leaves the service.
 */
public class ErrorMappers {

    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response apiError(ApiException e, HttpHeaders headers) {
        Response.ResponseBuilder response = builder(e.status(), e.code(), e.getMessage(), e.solution(), headers);
        if (e instanceof io.jobplane.api.quota.Quotas.RateLimited limited) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(limited.retryAfterSeconds()));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, HttpHeaders headers) {
        String detail = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ErrorMappers::describe)
                .collect(Collectors.joining("; "));
        return respond(Status.BAD_REQUEST, "VALIDATION_FAILED", "The request is invalid: " + detail,
                "Correct the named fields and send the request again.", headers);
    }

    /** Quarkus REST maps this subtype itself; a mapper of the exact type is needed to win. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, HttpHeaders headers) {
        return unreadableJson(e, headers);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, HttpHeaders headers) {
        String field = e instanceof JsonMappingException jme ? fieldPath(jme) : "";
        if (e instanceof UnrecognizedPropertyException upe) {
            return respond(Status.BAD_REQUEST, "UNKNOWN_FIELD", "Unknown field '" + fieldPath(upe) + "'",
                    "Remove the field or check its spelling; fields are snake_case. Known fields: "
                            + upe.getKnownPropertyIds(),
                    headers);
        }
        if (e instanceof InvalidFormatException ife && ife.getTargetType() != null && ife.getTargetType().isEnum()) {
            return respond(Status.BAD_REQUEST, "INVALID_ENUM_VALUE",
                    "Field '" + field + "' has the unknown value '" + ife.getValue() + "'",
                    "Use one of " + java.util.Arrays.toString(ife.getTargetType().getEnumConstants()) + ".", headers);
        }
        if (e instanceof ValueInstantiationException vie && vie.getType() != null && vie.getType().isEnumType()) {
            return respond(Status.BAD_REQUEST, "INVALID_ENUM_VALUE",
                    "Field '" + field + "' has an unknown value: " + vie.getCause().getMessage(),
                    "Use one of " + java.util.Arrays.toString(vie.getType().getRawClass().getEnumConstants()) + ".",
                    headers);
        }
        if (e instanceof MismatchedInputException mie) {
            String type = mie.getTargetType() == null ? "another type" : simpleType(mie.getTargetType());
            return respond(Status.BAD_REQUEST, "INVALID_FIELD_TYPE",
                    field.isEmpty() ? "The body does not have the expected shape"
                            : "Field '" + field + "' must be " + type,
                    "Send a JSON object whose fields have the documented types (see /q/openapi).", headers);
        }
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        return respond(Status.BAD_REQUEST, "MALFORMED_JSON", "The body is not valid JSON" + where,
                "Send a well-formed JSON document with Content-Type: application/json.", headers);
    }

    /** Two writers raced on one object and this one lost: the same answer as a failed If-Match. */
    @ServerExceptionMapper({ org.hibernate.StaleStateException.class, jakarta.persistence.OptimisticLockException.class })
    public Response lostUpdate(RuntimeException e, HttpHeaders headers) {
        LOG.infof("a concurrent change won: %s", e.getMessage());
        return respond(Status.PRECONDITION_FAILED, "VERSION_MISMATCH", "The object was changed by someone else meanwhile",
                "GET it again, re-apply your change, and send it again (with If-Match).", headers);
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(RuntimeException e, HttpHeaders headers) {
        AuthFailure failure = e instanceof AuthenticationFailedException afe ? AuthFailure.of(afe) : null;
        if (failure != null && failure.status() != Status.UNAUTHORIZED) {
            return respond(failure.status(), failure.code(), failure.message(), failure.fix(), headers);
        }
        Response r = failure != null
                ? respond(Status.UNAUTHORIZED, failure.code(), failure.message(), failure.fix(), headers)
                : respond(Status.UNAUTHORIZED, "UNAUTHENTICATED", "A valid token is required",
                        "Send 'Authorization: Bearer <token>' with a JWT that is signed by the configured issuer, "
                                + "meant for this API and not expired (locally: ./jobplane token), or with an API "
                                + "token of the workspace (docs/api.md, API tokens).",
                        headers);
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers) {
        return respond(Status.FORBIDDEN, "FORBIDDEN", "Your token does not allow this operation",
                "Ask a workspace admin for a role that allows it.", headers);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers) {
        if (e instanceof NotFoundException) {
            return respond(Status.NOT_FOUND, "NOT_FOUND", "No such resource",
                    "Check the path; the API is described at /q/openapi.", headers);
        }
        if (e instanceof NotAllowedException) {
            return respond(Status.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "This method is not allowed here",
                    "Use one of the methods documented for this path at /q/openapi.", headers);
        }
        if (e instanceof NotSupportedException) {
            return respond(Status.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "The body's media type is not supported",
                    "Send the body as JSON with Content-Type: application/json.", headers);
        }
        if (e instanceof NotAcceptableException) {
            return respond(Status.NOT_ACCEPTABLE, "NOT_ACCEPTABLE", "The requested media type cannot be produced",
                    "Accept application/json.", headers);
        }
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return unreadableJson(jpe, headers);
        }
        Status status = Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null || status.getFamily() == Response.Status.Family.SERVER_ERROR) {
            return unexpected(e, headers);
        }
        return respond(status, status.name(), status.getReasonPhrase(),
                "Check the request against the API description at /q/openapi.", headers);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpHeaders headers) {
        if (Failures.isDuplicate(e)) {
            // Two requests made the same unique thing at the same moment (a job name, a Tailer identity):
            // the checks before the insert passed for both, the database's unique index took one.
            return respond(Status.CONFLICT, "ALREADY_EXISTS", "Another request created the same object at the same moment",
                    "Read the object back; to create another one, give it a name (or identity) of its own.", headers);
        }
        if (isDataException(e)) {
            // The database refused a value the validation let through (a NUL character, say).
            return respond(Status.BAD_REQUEST, "INVALID_VALUE", "A value in the request cannot be stored",
                    "Remove control characters such as NUL (\\u0000) and keep values within their documented ranges.",
                    headers);
        }
        String requestId = requestId(headers);
        LOG.errorf(e, "request %s failed unexpectedly", requestId);
        return Response.status(Status.INTERNAL_SERVER_ERROR)
                .type(MediaType.APPLICATION_JSON)
                .header(REQUEST_ID_HEADER, requestId)
                .entity(new ErrorBody("INTERNAL_ERROR", "The server failed to handle the request",
                        "Retry later; if it persists, report the request id to the operators.", requestId))
                .build();
    }

    /** SQLSTATE class 22 (data exception), or Hibernate's reading of one, anywhere in the cause chain. */
    private static boolean isDataException(Throwable e) {
        if (Failures.isDataException(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.DataException) {
                return true;
            }
        }
        return false;
    }

    private static Response respond(Status status, String code, String message, String solution, HttpHeaders headers) {
        return builder(status, code, message, solution, headers).build();
    }

    private static Response.ResponseBuilder builder(Status status, String code, String message, String solution,
            HttpHeaders headers) {
        String requestId = requestId(headers);
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .header(REQUEST_ID_HEADER, requestId)
                .entity(new ErrorBody(code, message, solution, requestId));
    }

    private static String requestId(HttpHeaders headers) {
        String given = headers == null ? null : headers.getHeaderString(REQUEST_ID_HEADER);
        if (given != null && given.matches("[A-Za-z0-9._-]{1,64}")) {
            return given;
        }
        return UUID.randomUUID().toString();
    }

    private static String describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // Parameter paths look like "create.request.name": the caller knows only the last part.
        int dot = path.indexOf('.', path.indexOf('.') + 1);
        String field = dot < 0 ? path : path.substring(dot + 1);
        return snake(field) + " " + v.getMessage();
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String simpleType(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        return "an object";
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
