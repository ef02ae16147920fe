package io.jobplane.events.egress;

import java.net.InetAddress;
import java.util.function.Function;

/**
 * The service's egress policy, installed once at startup from its configuration
 * ({@code jobplane.egress.allow}, its own datasource and broker). The socket factories that drivers
 * instantiate by class name ({@link PgSocketFactory}, {@link MySqlSocketFactory}) check through it.
 * <p>
 * A driver may load those factories through another class loader than the service's (test and dev
 * class loading split libraries from application classes), and so see another copy of this class.
 * The installed check is therefore also kept in the JVM's system properties as a JDK function,
 * which every copy finds. Until a service installs a policy, the strict one applies.
 */
public final class Egress {

    /** Where the installed check is kept for every class loader's copy of this class. */
    private static final String KEY = "io.jobplane.events.egress.check";

    private static volatile EgressPolicy policy = EgressPolicy.strict();

    private Egress() {
    }

    public static void install(EgressPolicy installed) {
        policy = installed;
        Function<Object[], String> check = args -> {
            EgressPolicy.Reason reason = installed.verdict((String) args[0], (InetAddress) args[1], (Integer) args[2]);
            return reason == null ? null : reason.name();
        };
        System.getProperties().put(KEY, check);
    }

    public static EgressPolicy policy() {
        return policy;
    }

    /**
     * Refuses {@code address}:{@code port} (reached as {@code host}) when the installed policy does,
     * whichever class loader installed it.
     */
    @SuppressWarnings("unchecked")
    static void check(String host, InetAddress address, int port) throws EgressDeniedException {
        Object installed = System.getProperties().get(KEY);
        if (installed instanceof Function<?, ?> check) {
            String reason = ((Function<Object[], String>) check).apply(new Object[] { host, address, port });
            if (reason != null) {
                throw EgressPolicy.denial(host, address, port, EgressPolicy.Reason.valueOf(reason));
            }
            return;
        }
        policy.check(host, address, port);
    }
}
