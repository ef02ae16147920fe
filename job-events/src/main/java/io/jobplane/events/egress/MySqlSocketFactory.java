package io.jobplane.events.egress;

import java.net.Socket;

import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.protocol.StandardSocketFactory;

/**
 * The socket factory the platform gives MySQL Connector/J for tenant connections
 * ({@code socketFactory=} this class): Connector/J resolves the host and connects each address in
 * turn through a socket that checks the installed {@link Egress#policy()} first.
 */
public class MySqlSocketFactory extends StandardSocketFactory {

    @Override
    protected Socket createSocket(PropertySet props) {
        return new EgressSocket();
    }
}
