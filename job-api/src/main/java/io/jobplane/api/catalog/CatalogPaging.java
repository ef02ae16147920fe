package io.jobplane.api.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Set;


import io.jobplane.api.error.ApiException;
import io.jobplane.api.json.ListingCursor;

/**
 * The paging of catalog listings: a page size ({@code limit}, 1 to {@value #MAX_LIMIT}, default
 * {@value #DEFAULT_LIMIT}), a cursor (the last row's sort key, opaque to callers and bound to its listing),
 * a name prefix, and the platform record kinds. Pure: whatever is wrong answers 400 with a code.
 */
public final class CatalogPaging {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    static final int MAX_PREFIX_CHARS = 512;
    /** The kinds of platform records one may list. */
    public static final List<String> KINDS = List.of("jobs", "schedules", "connections", "users", "databases", "policies");

    private static final Set<String> LISTINGS = Set.of("databases", "tables", "partitions", "functions", "platform", "versions");

    private CatalogPaging() {
    }

    /** The page size: absent means {@value #DEFAULT_LIMIT}. */
    public static int limit(String limit) {
        return ListingCursor.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /** A cursor for {@code listing} that continues after the row whose sort key is {@code key}. */
    public static String cursor(String listing, List<String> key) {
        if (!LISTINGS.contains(listing)) {
            throw new IllegalArgumentException(listing);
        }
        return ListingCursor.of(listing, key);
    }

    /** The sort key a cursor of {@code listing} holds ({@code arity} values, or any number when 0); null without a cursor. */
    public static List<String> after(String listing, String cursor, int arity) {
        return ListingCursor.after(listing, cursor, arity);
    }

    /**
     * A name prefix as a range of the lower-cased keys, {@code [prefix, upper)}: every key that starts
     * with the prefix and no other (the keys compare by code point, collation "C"). {@code upper} is the
     * prefix with its last code point moved on, null when there is none above it. Null without a prefix.
     */
    public static String[] prefixRange(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return null;
        }
        if (prefix.length() > MAX_PREFIX_CHARS || prefix.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("INVALID_PREFIX", "prefix must be at most " + MAX_PREFIX_CHARS
                    + " characters, without NUL", "Send the first characters of the names you look for, e.g. prefix=ord.");
        }
        String lower = prefix.toLowerCase(Locale.ROOT);
        int last = lower.codePointBefore(lower.length());
        String head = lower.substring(0, lower.length() - Character.charCount(last));
        int next = last + 1;
        if (next == Character.MIN_SURROGATE) {
            next = Character.MAX_SURROGATE + 1;
        }
        String upper = next > Character.MAX_CODE_POINT ? null : head + new String(Character.toChars(next));
        return new String[] { lower, upper };
    }

    static ApiException badCursor() {
        return ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this listing gave out",
                "Pass next_cursor from the previous page of the same listing unchanged, or leave it out to start over.");
    }

    /** A platform record kind, lower-cased; 400 for any other. */
    public static String kind(String kind) {
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        if (!KINDS.contains(k)) {
            throw ApiException.badRequest("INVALID_KIND", "'" + (kind == null ? "" : kind.length() > 64 ? kind.substring(0, 64) + "…" : kind)
                    + "' is not a kind of platform record", "Use one of " + KINDS + ", e.g. /platform/jobs.");
        }
        return k;
    }
}
