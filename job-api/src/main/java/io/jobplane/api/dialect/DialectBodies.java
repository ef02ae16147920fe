package io.jobplane.api.dialect;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jobplane.api.error.ApiException;

/**
 * How every vendor dialect reads a request body it parses itself: bounded, a JSON object, or one clear
 * error (the dialect's error filter gives it the vendor's shape). Each dialect keeps its own Jackson
 * settings (what the vendor's clients send differs).
 */
public final class DialectBodies {

    private DialectBodies() {
    }

    /**
     * The body as a JSON object, or null when it is empty and {@code required} is false. Errors: larger
     * than {@code maxBytes} → 413 {@code BODY_TOO_LARGE}; empty → 400 {@code MISSING_BODY}; not JSON → 400
     * {@code MALFORMED_JSON} (with where); not an object → 400 {@code INVALID_FIELD_TYPE}. {@code what} says
     * what the body should hold ("the job's fields"), {@code reference} where it is documented.
     */
    public static ObjectNode object(ObjectMapper json, String body, int maxBytes, boolean required, String what,
            String reference) {
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new ApiException(Status.REQUEST_ENTITY_TOO_LARGE, "BODY_TOO_LARGE",
                    "The body is larger than " + maxBytes + " bytes", "Send only " + what + ".");
        }
        if (body == null || body.isBlank()) {
            if (!required) {
                return null;
            }
            throw ApiException.badRequest("MISSING_BODY", "The request has no body",
                    "Send " + what + " as a JSON object (see " + reference + ").");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw ApiException.badRequest("MALFORMED_JSON", "The body is not valid JSON" + where,
                    "Send a well-formed JSON object (every brace closed) with Content-Type: application/json.");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("INVALID_FIELD_TYPE", "The body must be a JSON object",
                    "Send " + what + " as a JSON object.");
        }
        return (ObjectNode) root;
    }
}
