package io.jobplane.worker.egress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.jobplane.events.egress.EgressPolicy;
import io.jobplane.events.egress.EgressSettings;
import io.quarkus.runtime.StartupEvent;

/**
 * Installs the worker's egress policy at startup: {@code jobplane.egress.allow}, and never the
 * platform's broker ({@code kafka.bootstrap.servers}) or database ({@code jobplane.egress.platform-endpoints},
 * as the worker has no datasource of its own). Every JDBC session and HTTP request of a run connects
 * through sockets that check it.
 */
@ApplicationScoped
public class EgressInstaller {

    @Produces
    @Singleton
    EgressPolicy policy() {
        return EgressSettings.install(ConfigProvider.getConfig());
    }

    void install(@Observes StartupEvent startup, EgressPolicy policy) {
        // Resolving the bean installs it before the first command.
        policy.describeAllowlist();
    }
}
