package io.jobplane.api.egress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.jobplane.api.error.ApiException;
import io.jobplane.events.egress.EgressDeniedException;
import io.jobplane.events.egress.EgressPolicy;
import io.jobplane.events.egress.EgressSettings;
import io.quarkus.runtime.StartupEvent;

/**
 * Installs job-api's egress policy at startup ({@code jobplane.egress.allow}; its own database and
 * broker never reachable) for every tenant connection it opens: connection tests and webhooks.
 */
@ApplicationScoped
public class EgressInstaller {

    @Produces
    @Singleton
    EgressPolicy policy() {
        return EgressSettings.install(ConfigProvider.getConfig());
    }

    void install(@Observes StartupEvent startup, EgressPolicy policy) {
        // Resolving the bean installs it before the first request.
        policy.describeAllowlist();
    }

    /** The 400 a request that names a refused address gets: the address is the caller's own input. */
    public static ApiException refused(String field, EgressDeniedException e) {
        return ApiException.badRequest(EgressDeniedException.CODE, field + ": " + e.getMessage(),
                e.reason() == EgressPolicy.Reason.PLATFORM
                        ? "Point it at a server of your own; the platform's database and broker are not reachable from connections."
                        : "Point it at a public address, or ask an operator to allow this one (jobplane.egress.allow).");
    }
}
