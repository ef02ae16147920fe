package io.jobplane.events.egress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * Builds a service's egress policy from its configuration:
 * <ul>
 * <li>{@code jobplane.egress.allow}: CIDR blocks, addresses and {@code host:port} tenant connections
 *     may reach although they are loopback, private, link-local or metadata addresses;</li>
 * <li>the platform's own endpoints, never reachable: the hosts and ports of
 *     {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.reactive.url} and
 *     {@code kafka.bootstrap.servers}, plus {@code jobplane.egress.platform-endpoints} (URLs or
 *     {@code host:port}) for what a service does not connect to itself — the worker has no
 *     datasource, so it is told the platform database there;</li>
 * <li>the worker's own job-api ({@code jobplane.worker.api-url}, where it fetches step packages): a
 *     tenant connection of a run never reaches the API's internal endpoints through the worker. The
 *     worker's own fetch does not go through this policy.</li>
 * </ul>
 */
public final class EgressSettings {

    public static final String ALLOW = "jobplane.egress.allow";
    public static final String PLATFORM_ENDPOINTS = "jobplane.egress.platform-endpoints";
    /** Where a worker fetches step packages (job-api); a platform endpoint for tenant connections. */
    public static final String WORKER_API_URL = "jobplane.worker.api-url";

    private EgressSettings() {
    }

    /**
     * The policy the configuration describes, installed for every socket of this process ({@link Egress#install})
     * and logged: what each service's startup does.
     */
    public static EgressPolicy install(Config config) {
        EgressPolicy policy = policy(config);
        Egress.install(policy);
        org.jboss.logging.Logger.getLogger(EgressSettings.class).infof("egress: %s", policy);
        return policy;
    }

    /** The policy the configuration describes; an unreadable allowlist entry fails startup with its text. */
    public static EgressPolicy policy(Config config) {
        List<String> allow = list(config, ALLOW);
        List<EgressPolicy.Endpoint> platform = new ArrayList<>();
        text(config, "quarkus.datasource.jdbc.url").ifPresent(u -> platform.addAll(EgressPolicy.endpointsOf(u, 5432)));
        text(config, "quarkus.datasource.reactive.url").ifPresent(u -> platform.addAll(EgressPolicy.endpointsOf(u, 5432)));
        text(config, "kafka.bootstrap.servers").ifPresent(u -> platform.addAll(EgressPolicy.endpointsOf(u, 9092)));
        text(config, WORKER_API_URL).ifPresent(u -> platform.addAll(EgressPolicy.endpointsOf(u, u.startsWith("https") ? 443 : 80)));
        for (String endpoint : list(config, PLATFORM_ENDPOINTS)) {
            platform.addAll(EgressPolicy.endpointsOf(endpoint, 5432));
        }
        try {
            return EgressPolicy.of(allow, platform);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ALLOW + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> text(Config config, String name) {
        return config.getOptionalValue(name, String.class).filter(s -> !s.isBlank());
    }

    private static List<String> list(Config config, String name) {
        return config.getOptionalValues(name, String.class).orElse(List.of()).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }
}
