package io.jobplane.api.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The API speaks JSON only: a request without a Content-Type, or without a body whatever its
 * Content-Type says, is read as JSON, so {@code curl -X POST …/runs} (no body, no header) launches
 * a run instead of failing with 415, and authorisation is checked before the media type matters.
 */
public class JsonByDefault {

    @ServerRequestFilter(preMatching = true)
    public void defaultToJson(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean noBody = "0".equals(length) || (length == null && request.getHeaderString("Transfer-Encoding") == null);
        if (request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null || noBody) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
