package io.jobplane.events.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * A plain socket that asks the egress policy before it connects, with the address it is about to
 * connect to (resolved here if the caller did not): a name that resolves differently later is
 * checked again, so DNS rebinding does not get past it.
 */
public class EgressSocket extends Socket {

    private final EgressPolicy policy;

    /** A socket checked by the installed policy ({@link Egress}), whichever class loader installed it. */
    public EgressSocket() {
        this.policy = null;
    }

    /** A socket checked by {@code policy}. */
    public EgressSocket(EgressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress target)) {
            throw new EgressDeniedException("connecting to " + endpoint + " is refused: not an internet address",
                    EgressPolicy.Reason.RESERVED);
        }
        InetSocketAddress resolved = target;
        if (target.isUnresolved()) {
            resolved = new InetSocketAddress(InetAddress.getByName(target.getHostString()), target.getPort());
        }
        try {
            if (policy == null) {
                Egress.check(target.getHostString(), resolved.getAddress(), resolved.getPort());
            } else {
                policy.check(target.getHostString(), resolved.getAddress(), resolved.getPort());
            }
        } catch (EgressDeniedException e) {
            close();
            throw e;
        }
        super.connect(resolved, timeout);
    }
}
