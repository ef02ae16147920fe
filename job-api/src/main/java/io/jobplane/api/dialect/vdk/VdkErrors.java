package io.jobplane.api.dialect.vdk;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.jobplane.api.error.ErrorBody;

/**
 * Every failure on VDK's paths leaves in VDK's error shape, {@code {"messages": […]}}: the native
 * error mappers make the error (code, message, fix, request id, never a stack trace) and this filter
 * reshapes it ({@link VdkMapping#error}), whatever failed — authentication, the team, the body or a
 * native rule.
 */
public class VdkErrors {

    @ServerResponseFilter
    public void reshape(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof ErrorBody error && isVdk(request.getUriInfo().getPath())) {
            response.setEntity(VdkMapping.error(error), null, MediaType.APPLICATION_JSON_TYPE);
        }
    }

    static boolean isVdk(String path) {
        return path.equals("/data-jobs") || path.startsWith("/data-jobs/");
    }
}
