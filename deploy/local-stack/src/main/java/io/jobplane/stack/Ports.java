package io.jobplane.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback ports: free ones for tests, and whether something listens on one. */
public final class Ports {

    private Ports() {
    }

    /** Ports handed out by this JVM: the OS may offer a just-closed port again before anyone binds it. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** A TCP port on 127.0.0.1 that nothing listens on right now and this JVM has not handed out before. */
    public static int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
        }
        throw new IllegalStateException("no fresh free loopback port after 100 attempts");
    }

    /**
     * Starts a server on ports chosen by {@link #free()}. Another program can take a free port
     * between the choice and the bind (an outgoing connection gets its local port from the same
     * range), so a start refused for a taken port is tried again, up to three times, with fresh ports.
     */
    public static <T> T startOnFreePorts(java.util.function.Supplier<T> start) {
        for (int attempt = 1;; attempt++) {
            try {
                return start.get();
            } catch (PortTakenException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * True when another program holds the port: binding it fails. Used before starting a server;
     * unlike a connection attempt it cannot be fooled by a TCP self-connect on an unused port.
     */
    public static boolean taken(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** True when a server accepts connections on 127.0.0.1:port. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
