package io.jobplane.api.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.api.error.ApiException;

/**
 * Paging of a keyset-paged listing: its page size, and its opaque {@code next_cursor}: the listing's name and the last row's sort key,
 * as URL-safe base64 of a JSON array. A cursor given to another listing, altered, or longer than
 * {@value #MAX_CHARS} characters is refused with {@code 400 INVALID_CURSOR}.
 */
public final class ListingCursor {

    public static final int MAX_CHARS = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private ListingCursor() {
    }

    /** A page size from a query: absent means {@code defaultLimit}; 1 to {@code maxLimit}, else {@code 400 INVALID_LIMIT}. */
    public static int limit(String limit, int defaultLimit, int maxLimit) {
        if (limit == null || limit.isBlank()) {
            return defaultLimit;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= maxLimit) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("INVALID_LIMIT", "limit must be a whole number from 1 to " + maxLimit,
                "Leave limit out for pages of " + defaultLimit + ", or send e.g. limit=" + maxLimit + ".");
    }

    /** A cursor for {@code listing} that continues after the row whose sort key is {@code key}. */
    public static String of(String listing, List<String> key) {
        List<String> all = new ArrayList<>();
        all.add(listing);
        all.addAll(key);
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(all));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sort key a cursor of {@code listing} holds ({@code arity} values, or one or more when 0); null without a cursor. */
    public static List<String> after(String listing, String cursor, int arity) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            if (cursor.length() > MAX_CHARS) {
                throw new IllegalArgumentException("too long");
            }
            List<String> all = JSON.readValue(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)), STRINGS);
            if (all.size() < 2 || !listing.equals(all.get(0)) || (arity > 0 && all.size() != arity + 1)
                    || all.stream().anyMatch(v -> v == null)) {
                throw new IllegalArgumentException("not a cursor of " + listing);
            }
            return List.copyOf(all.subList(1, all.size()));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this listing gave out",
                    "Pass next_cursor from the previous page of the same listing unchanged, or leave it out to start over.");
        }
    }
}
