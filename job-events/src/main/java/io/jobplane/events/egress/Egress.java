package io.jobplane.events.egress;

/**
 * The service's egress policy, installed once at startup from its configuration
 * ({@code jobplane.egress.allow}, its own datasource and broker). The socket factories that drivers
 * instantiate by class name ({@link PgSocketFactory}, {@link MySqlSocketFactory}) read it here.
 * Until a service installs one, the strict policy applies.
 */
public final class Egress {

    private static volatile EgressPolicy policy = EgressPolicy.strict();

    private Egress() {
    }

    public static void install(EgressPolicy installed) {
        policy = installed;
    }

    public static EgressPolicy policy() {
        return policy;
    }
}
