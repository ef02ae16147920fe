package io.jobplane.events.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides whether a tenant connection may reach an address, after DNS resolution, at connect time.
 * In order:
 * <ol>
 * <li>the platform's own endpoints (its database and broker, by resolved address and port; any
 *     address of this host matches a platform endpoint on this host) are <b>never</b> reachable;</li>
 * <li>an address or {@code host:port} the operator allowlists ({@code jobplane.egress.allow}) is
 *     reachable; a cloud metadata address only when an entry names exactly it;</li>
 * <li>loopback, the unspecified 0.0.0.0/8 and ::, link-local (169.254/16, fe80::/10), private
 *     (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10), shared 100.64/10, multicast, reserved
 *     and benchmark blocks and the metadata addresses are refused — also when carried inside an
 *     IPv6 address (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16);</li>
 * <li>anything else (a public address) is reachable.</li>
 * </ol>
 * Pure apart from the optional name lookups of allowlisted {@code host:port} entries.
 */
public final class EgressPolicy {

    /** Why an address is refused. */
    public enum Reason {
        PLATFORM("the platform's own database or broker, which tenant connections never reach"),
        METADATA("a cloud metadata address"),
        LOOPBACK("a loopback address"),
        UNSPECIFIED("an address of this host (0.0.0.0/8 or ::)"),
        LINK_LOCAL("a link-local address"),
        PRIVATE("a private network address"),
        SHARED("a shared (carrier-grade NAT) address"),
        MULTICAST("a multicast or broadcast address"),
        RESERVED("a reserved address");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private record Block(Cidr cidr, Reason reason) {
    }

    /** A host and port: an allowlist entry or a platform endpoint. */
    public record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private static final List<Block> METADATA = blocks(Reason.METADATA,
            "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200");
    private static final List<Block> DENIED = new ArrayList<>();

    static {
        DENIED.addAll(METADATA);
        DENIED.addAll(blocks(Reason.UNSPECIFIED, "0.0.0.0/8", "::/128"));
        DENIED.addAll(blocks(Reason.LOOPBACK, "127.0.0.0/8", "::1/128"));
        DENIED.addAll(blocks(Reason.LINK_LOCAL, "169.254.0.0/16", "fe80::/10"));
        DENIED.addAll(blocks(Reason.PRIVATE, "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fec0::/10"));
        DENIED.addAll(blocks(Reason.SHARED, "100.64.0.0/10"));
        DENIED.addAll(blocks(Reason.MULTICAST, "224.0.0.0/4", "ff00::/8", "255.255.255.255/32"));
        DENIED.addAll(blocks(Reason.RESERVED, "240.0.0.0/4", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
                "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "100::/64"));
    }

    private final List<Cidr> allowedBlocks;
    private final List<Endpoint> allowedEndpoints;
    private final List<Platform> platform;
    private final Predicate<InetAddress> thisHost;

    private record Platform(Endpoint endpoint, Set<InetAddress> addresses, boolean onThisHost) {
    }

    private EgressPolicy(List<Cidr> allowedBlocks, List<Endpoint> allowedEndpoints, List<Platform> platform,
            Predicate<InetAddress> thisHost) {
        this.allowedBlocks = allowedBlocks;
        this.allowedEndpoints = allowedEndpoints;
        this.platform = platform;
        this.thisHost = thisHost;
    }

    /** No allowlist and no platform endpoints: every default-denied address is refused. */
    public static EgressPolicy strict() {
        return of(List.of(), List.of());
    }

    /**
     * A policy from the operator's allowlist (CIDR blocks, single addresses, {@code host:port}) and the
     * platform's own endpoints (resolved now; a name that does not resolve is kept by name).
     */
    public static EgressPolicy of(Collection<String> allow, Collection<Endpoint> platformEndpoints) {
        return of(allow, platformEndpoints, Addresses::isThisHost);
    }

    /** As {@link #of(Collection, Collection)}, with the test of "an address of this machine" given. */
    public static EgressPolicy of(Collection<String> allow, Collection<Endpoint> platformEndpoints,
            Predicate<InetAddress> thisHost) {
        List<Cidr> blocks = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        for (String entry : allow) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            if (e.contains("/") || Cidr.literal(e) != null) {
                blocks.add(Cidr.parse(e));
            } else {
                endpoints.add(endpoint(e));
            }
        }
        List<Platform> platform = new ArrayList<>();
        for (Endpoint p : platformEndpoints) {
            Set<InetAddress> addresses = new LinkedHashSet<>();
            try {
                for (InetAddress a : InetAddress.getAllByName(p.host())) {
                    addresses.add(Addresses.canonical(a));
                }
            } catch (UnknownHostException e) {
                // Matched by name only, until it resolves.
            }
            boolean local = addresses.stream().anyMatch(thisHost);
            platform.add(new Platform(p, addresses, local));
        }
        return new EgressPolicy(List.copyOf(blocks), List.copyOf(endpoints), List.copyOf(platform), thisHost);
    }

    /** Reads {@code host:port} ({@code [v6]:port} for IPv6). */
    public static Endpoint endpoint(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is neither a CIDR block, an IP address nor host:port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid port");
        }
        if (port < 1 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no valid host or port");
        }
        return new Endpoint(host.toLowerCase(Locale.ROOT), port);
    }

    /**
     * The hosts and ports a service URL names: a JDBC or reactive database URL
     * ({@code jdbc:postgresql://h1:5432,h2/db}, {@code postgresql://user@h:5432/db}) or a Kafka
     * bootstrap list ({@code h1:9092,h2:9092}). {@code defaultPort} fills a missing port.
     */
    public static List<Endpoint> endpointsOf(String url, int defaultPort) {
        List<Endpoint> out = new ArrayList<>();
        if (url == null || url.isBlank()) {
            return out;
        }
        String s = url.strip();
        String authority = s;
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            authority = s.substring(scheme + 3);
            int end = authority.length();
            for (char c : new char[] { '/', '?', '#' }) {
                int i = authority.indexOf(c);
                if (i >= 0) {
                    end = Math.min(end, i);
                }
            }
            authority = authority.substring(0, end);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                authority = authority.substring(at + 1);
            }
        }
        for (String part : authority.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean hasPort = p.startsWith("[") ? p.contains("]:") : p.indexOf(':') >= 0 && p.indexOf(':') == p.lastIndexOf(':');
            out.add(hasPort ? endpoint(p) : new Endpoint(p.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT),
                    defaultPort));
        }
        return out;
    }

    /** The reason {@code address}:{@code port} (reached as {@code host}, may be null) is refused, or null when it is not. */
    public Reason verdict(String host, InetAddress address, int port) {
        InetAddress a = Addresses.canonical(address);
        for (Platform p : platform) {
            if (p.endpoint().port() != port) {
                continue;
            }
            boolean sameName = host != null && host.equalsIgnoreCase(p.endpoint().host());
            if (sameName || p.addresses().contains(a) || (p.onThisHost() && thisHost.test(a))) {
                return Reason.PLATFORM;
            }
        }
        Reason denied = defaultDenied(a);
        if (denied == null) {
            return null;
        }
        for (Cidr allowed : allowedBlocks) {
            if (allowed.contains(a) && (denied != Reason.METADATA || allowed.single())) {
                return null;
            }
        }
        for (Endpoint allowed : allowedEndpoints) {
            if (allowed.port() == port && matches(allowed, host, a)) {
                return null;
            }
        }
        return denied;
    }

    /** Refuses {@code address}:{@code port} when {@link #verdict} gives a reason. */
    public void check(String host, InetAddress address, int port) throws EgressDeniedException {
        Reason reason = verdict(host, address, port);
        if (reason != null) {
            throw denial(host, address, port, reason);
        }
    }

    /**
     * Resolves {@code host} and checks every address it has; the addresses when all may be reached.
     * The check at connect time is the one that counts: a name may resolve differently later.
     */
    public InetAddress[] resolveAndCheck(String host, int port) throws UnknownHostException, EgressDeniedException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress a : addresses) {
            check(host, a, port);
        }
        return addresses;
    }

    /**
     * The check a request can afford without a DNS lookup (which a tenant's name server could stall):
     * an IP literal, or a {@code localhost} name (as 127.0.0.1 and ::1). A name is left to the check at
     * connect time.
     */
    public void checkWithoutLookup(String host, int port) throws EgressDeniedException {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        InetAddress literal = Cidr.literal(h);
        if (literal != null) {
            check(host, literal, port);
        } else if (h.equals("localhost") || h.endsWith(".localhost")) {
            check(host, InetAddress.getLoopbackAddress(), port);
            check(host, Cidr.literal("::1"), port);
        }
    }

    /**
     * Whether {@code host} is an IP literal (or a {@code localhost} name) that the default rules refuse
     * and the operator's allowlist admits on {@code port}: a test server or an in-house proxy, never a
     * public address and never the platform's own endpoints. Decided without a DNS lookup, so any other
     * name answers false. Connection types whose credentials must not cross the internet in clear
     * (e.g. {@code treasure_data}) take plain {@code http://} only to such an address.
     */
    public boolean allowlistedWithoutLookup(String host, int port) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        List<InetAddress> addresses = new ArrayList<>();
        InetAddress literal = Cidr.literal(h);
        if (literal != null) {
            addresses.add(literal);
        } else if (h.equals("localhost") || h.endsWith(".localhost")) {
            addresses.add(InetAddress.getLoopbackAddress());
            addresses.add(Cidr.literal("::1"));
        } else {
            return false;
        }
        for (InetAddress a : addresses) {
            if (defaultDenied(Addresses.canonical(a)) == null || verdict(host, a, port) != null) {
                return false;
            }
        }
        return true;
    }

    /** The allowlist as configured, for messages. */
    public String describeAllowlist() {
        List<String> all = new ArrayList<>();
        allowedBlocks.forEach(b -> all.add(b.toString()));
        allowedEndpoints.forEach(e -> all.add(e.toString()));
        return all.isEmpty() ? "(empty)" : String.join(", ", all);
    }

    static EgressDeniedException denial(String host, InetAddress address, int port, Reason reason) {
        String shown = (host != null && !host.equals(address.getHostAddress()) ? host + " (" + address.getHostAddress() + ")"
                : address.getHostAddress()) + ":" + port;
        String how = reason == Reason.PLATFORM ? "; no allowlist entry changes that"
                : "; an operator may allow it with jobplane.egress.allow";
        return new EgressDeniedException("connecting to " + shown + " is refused: it is " + reason.text() + how, reason);
    }

    private static boolean matches(Endpoint allowed, String host, InetAddress address) {
        if (host != null && host.equalsIgnoreCase(allowed.host())) {
            return true;
        }
        InetAddress literal = Cidr.literal(allowed.host());
        if (literal != null) {
            return Addresses.canonical(literal).equals(address);
        }
        try {
            return Arrays.stream(InetAddress.getAllByName(allowed.host())).map(Addresses::canonical).anyMatch(address::equals);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The default reason to refuse the (canonical) address, or null for a public one. */
    static Reason defaultDenied(InetAddress address) {
        for (Block b : DENIED) {
            if (b.cidr().contains(address)) {
                return b.reason();
            }
        }
        InetAddress embedded = embeddedIpv4(address);
        return embedded == null ? null : defaultDenied(embedded);
    }

    /** The IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address carries, or null. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        try {
            if (NAT64.contains(address)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            if (SIX_TO_FOUR.contains(address)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private static List<Block> blocks(Reason reason, String... cidrs) {
        return Arrays.stream(cidrs).map(c -> new Block(Cidr.parse(c), reason)).toList();
    }

    /** Parses the entry as {@link URI}-less text; for error messages of configuration. */
    @Override
    public String toString() {
        return "EgressPolicy[allow=" + describeAllowlist() + ", platform=" + platform.stream().map(p -> p.endpoint().toString())
                .toList() + "]";
    }
}
