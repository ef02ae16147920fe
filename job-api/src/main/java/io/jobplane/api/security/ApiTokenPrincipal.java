package io.jobplane.api.security;

import java.security.Principal;
import java.util.UUID;

/**
 * Who calls with an API token: the token itself, acting with exactly one role in exactly one
 * workspace. Its name ({@code api-token:<id>}) is the actor the audit trail records.
 */
public record ApiTokenPrincipal(UUID tokenId, String workspace, Role role) implements Principal {

    public static final String NAME_PREFIX = "api-token:";

    @Override
    public String getName() {
        return NAME_PREFIX + tokenId;
    }
}
