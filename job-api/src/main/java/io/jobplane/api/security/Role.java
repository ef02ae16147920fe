package io.jobplane.api.security;

import java.util.Locale;
import java.util.Optional;

/** Roles a token holds per workspace; each includes the rights of the ones before it. */
public enum Role {
    /** Reads definitions, runs and logs. */
    VIEWER,
    /** Also launches and cancels runs. */
    OPERATOR,
    /** Also creates, changes and deletes definitions. */
    EDITOR,
    /** Also changes workspace settings. */
    ADMIN;

    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Role.valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
