package io.jobplane.events.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Address helpers of the egress policy. */
final class Addresses {

    private Addresses() {
    }

    /**
     * The address as it is matched: an IPv4-mapped ({@code ::ffff:a.b.c.d}) or IPv4-compatible
     * ({@code ::a.b.c.d}) IPv6 address becomes the IPv4 address it carries.
     */
    static InetAddress canonical(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            boolean zeros = true;
            for (int i = 0; i < 10; i++) {
                zeros &= b[i] == 0;
            }
            boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compatible = zeros && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
            if (mapped || compatible) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    /** An address of this machine: loopback, the unspecified address (0.0.0.0, ::) or one of its interfaces. */
    static boolean isThisHost(InetAddress address) {
        InetAddress a = canonical(address);
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        if (a instanceof Inet4Address && (a.getAddress()[0] == 0)) {
            return true; // 0.0.0.0/8 reaches this host on Linux
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
