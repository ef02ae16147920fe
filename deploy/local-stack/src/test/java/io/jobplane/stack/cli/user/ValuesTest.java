package io.jobplane.stack.cli.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void paramsKeepTheirOrderAndAValueMayHoldEquals() {
        assertEquals(List.of(Map.entry("region", "eu-west"), Map.entry("filter", "a=b"), Map.entry("empty", "")),
                List.copyOf(Values.params(List.of("region=eu-west", "filter=a=b", "empty=")).entrySet()));
        assertTrue(Values.params(null).isEmpty());
    }

    @Test
    void aParamWithoutNameOrEqualsOrGivenTwiceIsRefused() {
        assertEquals("--param takes NAME=VALUE, got 'region'",
                assertThrows(IllegalArgumentException.class, () -> Values.params(List.of("region"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Values.params(List.of("=x")));
        assertEquals("--param a is given twice",
                assertThrows(IllegalArgumentException.class, () -> Values.params(List.of("a=1", "a=2"))).getMessage());
    }

    @Test
    void durationsTakeANumberAndAUnitAndNeverZero() {
        assertEquals(Optional.of(Duration.ofMinutes(30)), Values.duration("30m"));
        assertEquals(Optional.of(Duration.ofDays(7)), Values.duration(" 7d "));
        assertEquals(Optional.empty(), Values.duration("0h"));
        assertEquals(Optional.empty(), Values.duration("1w"));
    }

    @Test
    void timesAreInstantsDatesOrAges() {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        assertEquals(Instant.parse("2026-11-22T06:00:00Z"), Values.time("2026-11-22T06:00:00Z", now));
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"), Values.time("2026-11-22", now));
        assertEquals(Instant.parse("2026-11-22T12:00:00Z"), Values.time("24h", now));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Values.time("yesterday", now));
        assertTrue(e.getMessage().contains("2026-11-22T06:00:00Z, 2026-11-22, or an age"), e.getMessage());
    }

    @Test
    void numbersAndTimesReadWell() {
        assertEquals("850 ms", Values.elapsed(850L));
        assertEquals("4.2 s", Values.elapsed(4200L));
        assertEquals("3m 07s", Values.elapsed(187_000L));
        assertEquals("2h 05m", Values.elapsed(7_500_000L));
        assertEquals("1,234,567", Values.count(1_234_567L));
        assertEquals("512 B", Values.bytes(512L));
        assertEquals("3.4 KiB", Values.bytes(3482L));
        assertEquals("1.5 GiB", Values.bytes(1_610_612_736L));
    }
}
