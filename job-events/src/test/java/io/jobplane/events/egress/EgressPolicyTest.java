package io.jobplane.events.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jobplane.events.egress.EgressPolicy.Endpoint;
import io.jobplane.events.egress.EgressPolicy.Reason;
import io.jobplane.events.failure.FailureKind;
import io.jobplane.events.failure.Failures;

class EgressPolicyTest {

    /** "This host" is loopback and 0.0.0.0/8 here, so no test depends on the machine's interfaces. */
    private static final Predicate<InetAddress> THIS_HOST = a -> Addresses.canonical(a).isLoopbackAddress()
            || Addresses.canonical(a).isAnyLocalAddress() || Addresses.canonical(a).getAddress()[0] == 0;

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static EgressPolicy policy(List<String> allow, List<Endpoint> platform) {
        return EgressPolicy.of(allow, platform, THIS_HOST);
    }

    @ParameterizedTest
    @CsvSource({
            "169.254.169.254, METADATA", "fd00:ec2::254, METADATA", "169.254.170.2, METADATA",
            "127.0.0.1, LOOPBACK", "127.255.0.9, LOOPBACK", "::1, LOOPBACK",
            "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED",
            "169.254.1.1, LINK_LOCAL", "fe80::1, LINK_LOCAL", "febf::1, LINK_LOCAL",
            "10.1.2.3, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE", "192.168.1.1, PRIVATE",
            "fc00::1, PRIVATE", "fd12:3456::1, PRIVATE",
            "100.64.0.1, SHARED", "100.127.255.255, SHARED",
            "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "ff02::1, MULTICAST", "255.255.255.255, MULTICAST",
            "240.0.0.1, RESERVED", "198.18.0.1, RESERVED",
            // IPv4 inside IPv6: mapped, compatible, NAT64, 6to4
            "::ffff:127.0.0.1, LOOPBACK", "::ffff:169.254.169.254, METADATA", "::ffff:10.0.0.1, PRIVATE",
            "::10.0.0.1, PRIVATE", "64:ff9b::a9fe:a9fe, METADATA", "2002:c0a8:0101::1, PRIVATE" })
    void refusesTheDefaultDeniedBlocks(String address, Reason reason) {
        assertEquals(reason, EgressPolicy.strict().verdict(null, ip(address), 80), address);
    }

    @ParameterizedTest
    @CsvSource({ "8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.169.0.1", "11.0.0.1",
            "2606:4700:4700::1111", "::ffff:8.8.8.8", "169.253.255.255", "fec0::1" })
    void letsPublicAddressesThrough(String address) {
        Reason verdict = EgressPolicy.strict().verdict(null, ip(address), 443);
        if (address.equals("fec0::1")) {
            assertEquals(Reason.PRIVATE, verdict, "site-local is private");
        } else {
            assertNull(verdict, address);
        }
    }

    @Test
    void anAllowlistedBlockOrHostPortIsReachable() {
        EgressPolicy p = policy(List.of("127.0.0.0/8", "10.1.0.0/16", "db.internal:5432", "[fd00::5]:3306"), List.of());
        assertNull(p.verdict(null, ip("127.0.0.1"), 15433));
        assertNull(p.verdict(null, ip("::ffff:127.0.0.2"), 1));
        assertNull(p.verdict(null, ip("10.1.200.3"), 5432));
        assertEquals(Reason.PRIVATE, p.verdict(null, ip("10.2.0.1"), 5432));
        assertNull(p.verdict("db.internal", ip("10.9.9.9"), 5432), "host:port by name");
        assertNull(p.verdict("DB.Internal", ip("10.9.9.9"), 5432), "names are case-insensitive");
        assertEquals(Reason.PRIVATE, p.verdict("db.internal", ip("10.9.9.9"), 5433), "another port");
        assertNull(p.verdict(null, ip("fd00::5"), 3306));
        assertEquals(Reason.PRIVATE, p.verdict(null, ip("fd00::5"), 3307));
        assertEquals(Reason.LOOPBACK, p.verdict(null, ip("::1"), 80), "127/8 does not allow ::1");
    }

    @Test
    void metadataNeedsAnEntryNamingExactlyIt() {
        assertEquals(Reason.METADATA, policy(List.of("169.254.0.0/16"), List.of()).verdict(null, ip("169.254.169.254"), 80));
        assertNull(policy(List.of("169.254.0.0/16"), List.of()).verdict(null, ip("169.254.1.1"), 80));
        assertNull(policy(List.of("169.254.169.254"), List.of()).verdict(null, ip("169.254.169.254"), 80));
        assertNull(policy(List.of("169.254.169.254:80"), List.of()).verdict(null, ip("169.254.169.254"), 80));
    }

    @Test
    void thePlatformIsNeverReachableWhateverTheAllowlist() {
        EgressPolicy p = policy(List.of("127.0.0.0/8", "::1/128", "0.0.0.0/8", "localhost:15432", "127.0.0.1:15432"),
                List.of(new Endpoint("127.0.0.1", 15432), new Endpoint("127.0.0.1", 19092)));
        assertEquals(Reason.PLATFORM, p.verdict(null, ip("127.0.0.1"), 15432));
        assertEquals(Reason.PLATFORM, p.verdict("localhost", ip("127.0.0.1"), 15432));
        assertEquals(Reason.PLATFORM, p.verdict(null, ip("127.0.0.2"), 15432), "another loopback address, same server");
        assertEquals(Reason.PLATFORM, p.verdict(null, ip("::1"), 15432));
        assertEquals(Reason.PLATFORM, p.verdict(null, ip("::ffff:127.0.0.1"), 15432));
        assertEquals(Reason.PLATFORM, p.verdict(null, ip("0.0.0.0"), 15432), "0.0.0.0 connects to this host");
        assertEquals(Reason.PLATFORM, p.verdict(null, ip("127.0.0.1"), 19092), "the broker");
        assertNull(p.verdict(null, ip("127.0.0.1"), 15433), "a tenant server on another port");
    }

    @Test
    void aRemotePlatformEndpointMatchesItsAddressOnly() {
        EgressPolicy p = policy(List.of("10.0.0.0/8"), List.of(new Endpoint("10.0.0.7", 5432)));
        assertEquals(Reason.PLATFORM, p.verdict(null, ip("10.0.0.7"), 5432));
        assertNull(p.verdict(null, ip("10.0.0.8"), 5432));
        assertNull(p.verdict(null, ip("127.0.0.1"), 5432) == Reason.PLATFORM ? Reason.PLATFORM : null,
                "loopback is not the remote platform server");
    }

    @Test
    void checkThrowsAPermanentDenialThatSaysWhy() {
        EgressDeniedException e = assertThrows(EgressDeniedException.class,
                () -> EgressPolicy.strict().check("metadata.internal", ip("169.254.169.254"), 80));
        assertEquals(Reason.METADATA, e.reason());
        assertTrue(e.getMessage().contains("metadata.internal (169.254.169.254):80"), e.getMessage());
        assertTrue(e.getMessage().contains("jobplane.egress.allow"), e.getMessage());
        java.sql.SQLException wrapped = new java.sql.SQLException("Connection attempt failed.", "08001", e);
        assertEquals(FailureKind.PERMANENT, Failures.classify(wrapped), "a denial is not retried");
    }

    @Test
    void readsTheEndpointsOfServiceUrls() {
        assertEquals(List.of(new Endpoint("h1", 5432), new Endpoint("h2", 5433)),
                EgressPolicy.endpointsOf("jdbc:postgresql://h1,h2:5433/jobplane?ssl=true", 5432));
        assertEquals(List.of(new Endpoint("db", 15432)), EgressPolicy.endpointsOf("postgresql://u:p@db:15432/jobplane", 5432));
        assertEquals(List.of(new Endpoint("k1", 9092), new Endpoint("::1", 19092)),
                EgressPolicy.endpointsOf("k1:9092,[::1]:19092", 9092));
        assertTrue(EgressPolicy.endpointsOf(null, 1).isEmpty());
    }

    @Test
    void refusesUnreadableAllowlistEntries() {
        assertThrows(IllegalArgumentException.class, () -> EgressPolicy.of(List.of("10.0.0.0/33"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> EgressPolicy.of(List.of("just-a-name"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> EgressPolicy.of(List.of("host:99999"), List.of()));
    }

    @Test
    void cidrMatchesItsOwnFamilyAndMappedAddresses() {
        Cidr v4 = Cidr.parse("192.168.0.0/16");
        assertTrue(v4.contains(ip("::ffff:192.168.3.4")));
        assertFalse(v4.contains(ip("fe80::1")));
        assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("::ffff:10.0.0.0/104"));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("2606:4700::1")));
    }

    @Test
    void plainHttpIsForAllowlistedInternalAddressesOnly() {
        EgressPolicy p = policy(List.of("127.0.0.0/8", "10.1.2.3"), List.of(new Endpoint("127.0.0.1", 5432)));
        assertTrue(p.allowlistedWithoutLookup("127.0.0.1", 8080));
        assertTrue(p.allowlistedWithoutLookup("10.1.2.3", 80));
        assertFalse(p.allowlistedWithoutLookup("10.1.2.4", 80), "private but not allowlisted");
        assertFalse(p.allowlistedWithoutLookup("127.0.0.1", 5432), "the platform's own database");
        assertFalse(p.allowlistedWithoutLookup("8.8.8.8", 80), "a public address is no test server");
        assertFalse(p.allowlistedWithoutLookup("api.example.com", 80), "a name is not looked up");
        assertFalse(p.allowlistedWithoutLookup("localhost", 8080), "::1 is not allowlisted");
        assertTrue(policy(List.of("127.0.0.0/8", "::1/128"), List.of()).allowlistedWithoutLookup("localhost", 8080));
        assertFalse(EgressPolicy.strict().allowlistedWithoutLookup("127.0.0.1", 8080));
    }
}
