package io.jobplane.api.dialect.lakeformation;

import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.jobplane.api.error.ErrorBody;

/**
 * Every failure on LakeFormation's lf-jobs paths leaves in LakeFormation's error shape
 * ({@link LakeFormationMapping#error}): the native error mappers make the error (code, message, fix,
 * request id, never a stack trace) and this filter reshapes it, whatever failed — authentication,
 * the tenant, the body or a native rule.
 */
public class LakeFormationErrors {

    /** The lf-jobs paths: the collection, one job, its start and stop. */
    static final Pattern PATHS = Pattern.compile("/v1/[^/]+/instances/[^/]+/lf-jobs(/[^/]+(/[^/]+)?)?/?");

    @ServerResponseFilter
    public void reshape(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof ErrorBody error && isLakeFormation(request.getUriInfo().getPath())) {
            response.setEntity(LakeFormationMapping.error(response.getStatus(), error), null, MediaType.APPLICATION_JSON_TYPE);
        }
    }

    static boolean isLakeFormation(String path) {
        return PATHS.matcher(path).matches();
    }
}
