package io.jobplane.stack.cli.user;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the user commands read from their arguments and how they show numbers and times. */
public final class Values {

    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

    private Values() {
    }

    /** {@code k=v} pairs in order; the value may hold {@code =}; a name given twice is refused. */
    public static Map<String, String> params(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : pairs == null ? List.<String>of() : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--param takes NAME=VALUE, got '" + pair + "'");
            }
            String name = pair.substring(0, eq).trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("--param takes NAME=VALUE, got '" + pair + "'");
            }
            if (out.put(name, pair.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--param " + name + " is given twice");
            }
        }
        return out;
    }

    /** A duration as {@code 30s}, {@code 30m}, {@code 24h} or {@code 7d}; empty when it is not one or is zero. */
    public static Optional<Duration> duration(String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        if (n == 0) {
            return Optional.empty();
        }
        return Optional.of(switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    /**
     * A point in time as {@code --since}/{@code --until} take it: an RFC 3339 instant
     * ({@code 2026-11-22T06:00:00Z}), a date ({@code 2026-11-22}, its start in UTC) or an age
     * ({@code 30m}, {@code 24h}, {@code 7d}: that long before {@code now}).
     */
    public static Instant time(String value, Instant now) {
        String v = value.trim();
        Optional<Duration> ago = duration(v);
        if (ago.isPresent()) {
            return now.minus(ago.get());
        }
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a time: use 2026-11-22T06:00:00Z, 2026-11-22, or an age"
                    + " such as 30m, 24h, 7d");
        }
    }

    /** Milliseconds as {@code 850 ms}, {@code 4.2 s}, {@code 3m 07s}, {@code 2h 05m}. */
    public static String elapsed(Long millis) {
        if (millis == null) {
            return null;
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long s = millis / 1000;
        return s < 3600 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }

    /** A count with thousands separators: {@code 1,234,567}. */
    public static String count(Long n) {
        return n == null ? null : String.format(Locale.ROOT, "%,d", n);
    }

    /** Bytes as {@code 512 B}, {@code 3.4 KiB}, {@code 12.0 MiB}, {@code 1.2 GiB}. */
    public static String bytes(Long n) {
        if (n == null) {
            return null;
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = { "KiB", "MiB", "GiB", "TiB" };
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
