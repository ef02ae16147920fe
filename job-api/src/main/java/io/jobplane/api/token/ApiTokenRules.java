package io.jobplane.api.token;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Role;

/** What an API token request must hold: a known role and an expiry in the future, within the maximum lifetime. */
final class ApiTokenRules {

    private ApiTokenRules() {
    }

    static Role role(String value) {
        return Role.parse(value).orElseThrow(() -> ApiException.badRequest("INVALID_ENUM_VALUE",
                "Field 'role' has the unknown value '" + value + "'", "Use one of " + roles() + "."));
    }

    static Instant expiry(String value, Instant now, Duration maxLifetime) {
        Instant at;
        try {
            at = OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_EXPIRY", "Field 'expires_at' is not a timestamp",
                    "Send an RFC 3339 timestamp with its offset, e.g. '" + example(now, maxLifetime) + "'.");
        }
        if (!at.isAfter(now)) {
            throw ApiException.badRequest("INVALID_EXPIRY", "Field 'expires_at' is not in the future",
                    "Send a time after now, at most " + maxLifetime.toDays() + " days ahead, e.g. '"
                            + example(now, maxLifetime) + "'.");
        }
        if (at.isAfter(now.plus(maxLifetime))) {
            throw ApiException.badRequest("INVALID_EXPIRY",
                    "Field 'expires_at' is more than " + maxLifetime.toDays() + " days ahead",
                    "API tokens live at most " + maxLifetime.toDays() + " days (jobplane.api-tokens.max-lifetime); "
                            + "create a new one before this one expires.");
        }
        return at;
    }

    private static String example(Instant now, Duration maxLifetime) {
        Duration half = maxLifetime.dividedBy(2);
        Duration ahead = half.compareTo(Duration.ofDays(90)) < 0 ? half : Duration.ofDays(90);
        return now.plus(ahead).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static String roles() {
        return Arrays.stream(Role.values()).map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
