package io.jobplane.events.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A block of addresses, IPv4 or IPv6, written {@code 10.0.0.0/8}, {@code fe80::/10} or as one address.
 * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are read as the IPv4 address they carry, on
 * both sides of a match.
 */
public record Cidr(byte[] network, int prefix) {

    /** Parses a block; only literal addresses are read (no DNS lookup). */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        InetAddress parsed = literal(address);
        if (parsed == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
        }
        byte[] bytes = Addresses.canonical(parsed).getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
            }
            if (bytes.length == 4 && address.contains(":") && prefix >= 96) {
                prefix -= 96; // ::ffff:a.b.c.d/120 names the IPv4 block a.b.c.d/24
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bits);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    /** True when {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] bytes = Addresses.canonical(address).getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        return java.util.Arrays.equals(mask(bytes, prefix), network);
    }

    /** True when the block is a single address. */
    public boolean single() {
        return prefix == network.length * 8;
    }

    /** An IP literal, or null when {@code text} is not one (never a DNS lookup). */
    static InetAddress literal(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        // Short and decimal IPv4 forms (127.1, 2130706433) are addresses too, as the resolver reads them.
        boolean v4 = s.matches("\\d+(\\.\\d+){0,3}") && s.length() <= 15;
        boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return "?/" + prefix;
        }
    }
}
