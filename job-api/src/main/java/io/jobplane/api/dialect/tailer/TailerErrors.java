package io.jobplane.api.dialect.tailer;

import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.jobplane.api.error.ErrorBody;

/**
 * Every failure on Tailer's paths leaves in Tailer's KO form ({@link TailerReply#ko}): the native
 * error mappers make the error (code, message, fix, request id, never a stack trace) and this filter
 * reshapes it, whatever failed — authentication, the body, the lookup or a native rule.
 */
public class TailerErrors {

    /** Tailer's paths (LakeFormation's lf-jobs also live under /v1, so the paths are named one by one). */
    static final Set<String> PATHS = Set.of("/v1/dag/launch", "/v1/dag/status", "/v1/workflow/status",
            "/v1/configuration/status");

    @ServerResponseFilter
    public void reshape(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof ErrorBody error && isTailer(request.getUriInfo().getPath())) {
            response.setEntity(TailerReply.ko(response.getStatus(), error), null, MediaType.APPLICATION_JSON_TYPE);
        }
    }

    static boolean isTailer(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return PATHS.contains(p);
    }
}
