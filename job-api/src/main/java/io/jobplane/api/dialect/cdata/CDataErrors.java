package io.jobplane.api.dialect.cdata;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.jobplane.api.error.ErrorBody;

/**
 * Every failure on CData's paths leaves in CData's error shape ({@link CDataMapping#error}): the
 * native error mappers make the error (code, message, fix, request id, never a stack trace) and this
 * filter reshapes it, whatever failed — authentication, the body, the lookup or a native rule.
 */
public class CDataErrors {

    static final String PREFIX = "/api.rsc/";

    @ServerResponseFilter
    public void reshape(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof ErrorBody error && isCData(request.getUriInfo().getPath())) {
            response.setEntity(CDataMapping.error(error), null, MediaType.APPLICATION_JSON_TYPE);
        }
    }

    static boolean isCData(String path) {
        return path.startsWith(PREFIX);
    }
}
